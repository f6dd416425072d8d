package dev.rumor.plugins.webhook;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body up to a limit and then stops reading (cancels the subscription, which closes the
 * connection), so a receiver that answers with a huge or endless body can neither exhaust memory nor hold
 * a worker past its timeout. The JDK calls the subscriber methods one at a time.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<LimitedBody.Result> {

    /**
     * @param bytes    the body, or its first {@code limit} bytes when {@code overflow}
     * @param overflow the body was longer than the limit
     */
    record Result(byte[] bytes, boolean overflow) {
    }

    private final int limit;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
        this.limit = limit;
    }

    @Override
    public CompletionStage<Result> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            int room = limit - out.size();
            int n = b.remaining();
            if (n > room) {
                byte[] part = new byte[room];
                b.get(part);
                out.writeBytes(part);
                result.complete(new Result(out.toByteArray(), true));
                subscription.cancel();
                return;
            }
            byte[] all = new byte[n];
            b.get(all);
            out.writeBytes(all);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(new Result(out.toByteArray(), false));
    }
}
