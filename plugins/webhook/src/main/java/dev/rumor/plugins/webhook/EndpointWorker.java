package dev.rumor.plugins.webhook;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Delivers to one endpoint: a bounded queue drained by the endpoint's own thread, so deliveries reach it
 * in event order and a slow or dead endpoint delays nobody else; plus {@link #deliver}, the attempt/retry
 * loop, which query responses also use from other threads.
 *
 * <p>Thread contract: {@link #offer} and {@link #deliver} may be called from any thread; counters are
 * atomic; {@link #close} interrupts the worker, which abandons its current delivery at once.
 */
final class EndpointWorker {
    /** A notification's response body is only read for the log line of a failure. */
    private static final int NOTIFICATION_BODY_LIMIT = 512;

    /** Extra time given to the JDK's own request timeout before the outer bound cancels the exchange. */
    private static final Duration OUTER_GRACE = Duration.ofMillis(50);

    private final EndpointSettings settings;
    private final HttpClient client;
    private final Signer signer;
    private final RetryPolicy retry;
    private final Timing timing;
    private final Logger log;
    private final String url;
    private final BlockingQueue<Delivery> queue;
    private final Thread thread;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    /** A 2xx answer. */
    record Response(int status, LimitedBody.Result body) {
    }

    /** The result of one attempt: success (response set), or a failure that may be retried. */
    private record Attempt(Response response, boolean retryable, String failure, Duration retryAfter) {
        static Attempt ok(Response r) {
            return new Attempt(r, false, null, null);
        }

        static Attempt retry(String why, Duration retryAfter) {
            return new Attempt(null, true, why, retryAfter);
        }

        static Attempt fatal(String why) {
            return new Attempt(null, false, why, null);
        }
    }

    EndpointWorker(EndpointSettings settings, HttpClient client, Signer signer, RetryPolicy retry,
                   int queueSize, Timing timing, Logger log, String threadName) {
        this.settings = settings;
        this.client = client;
        this.signer = signer;
        this.retry = retry;
        this.timing = timing;
        this.log = log;
        this.url = settings.displayUrl();
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    EndpointSettings settings() {
        return settings;
    }

    /** Queues a delivery; never blocks. A full queue drops the new delivery (counted and logged). */
    void offer(Delivery d) {
        if (closed) {
            drop(d, "handler is closed");
            return;
        }
        if (!queue.offer(d)) {
            drop(d, "queue full (" + (queue.size() + queue.remainingCapacity()) + " pending)");
        }
    }

    private void run() {
        while (!closed) {
            Delivery d;
            try {
                d = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            try {
                if (deliver(d, null, NOTIFICATION_BODY_LIMIT) != null) {
                    markDelivered();
                }
            } catch (InterruptedException e) {
                drop(d, "handler closed during delivery");
                break;
            } catch (RuntimeException e) {
                drop(d, "unexpected error: " + e);
            }
        }
    }

    /**
     * POSTs {@code d} until it is accepted, fails for good, or runs out of attempts or time. A failure is
     * counted and logged here; success is counted by the caller with {@link #markDelivered()}, after it has
     * used the response.
     *
     * @param deadline  no attempt or wait extends past it (queries), or null
     * @param bodyLimit bytes of the response body to keep
     * @return the 2xx response, or null if the delivery was dropped
     * @throws InterruptedException when the handler is closing
     */
    Response deliver(Delivery d, Instant deadline, int bodyLimit) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Duration timeout = settings.timeout();
            if (deadline != null) {
                Duration left = Duration.between(timing.now(), deadline);
                if (left.isZero() || left.isNegative()) {
                    drop(d, "query deadline passed after " + (attempt - 1) + " attempt(s)");
                    return null;
                }
                timeout = left.compareTo(timeout) < 0 ? left : timeout;
            }
            Attempt a = attempt(d, timeout, bodyLimit);
            if (a.response() != null) {
                return a.response();
            }
            if (!a.retryable()) {
                drop(d, a.failure() + " (not retried)");
                return null;
            }
            if (attempt >= retry.maxAttempts()) {
                drop(d, "giving up after " + attempt + " attempt(s), last: " + a.failure());
                return null;
            }
            Duration wait = retry.backoff(attempt, timing.random(), a.retryAfter());
            if (deadline != null && !timing.now().plus(wait).isBefore(deadline)) {
                drop(d, "no time left before the query deadline, last: " + a.failure());
                return null;
            }
            retried.incrementAndGet();
            log.info("webhook {}: delivery {} attempt {} failed ({}); retrying in {} ms",
                    url, d.id(), attempt, a.failure(), wait.toMillis());
            timing.sleep(wait);
        }
    }

    private Attempt attempt(Delivery d, Duration timeout, int bodyLimit) throws InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.url())
                .version(HttpClient.Version.HTTP_1_1)
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(d.body()));
        for (Map.Entry<String, String> h : settings.headers().entrySet()) {
            b.header(h.getKey(), h.getValue());
        }
        b.setHeader("Content-Type", "application/json")
                .setHeader("User-Agent", "Rumor-Webhook/1")
                .setHeader("X-Rumor-Delivery", d.id())
                .setHeader("X-Rumor-Event", d.type())
                .setHeader("X-Rumor-Timestamp", Long.toString(d.timestamp().getEpochSecond()));
        if (signer != null) {
            b.setHeader("X-Rumor-Signature-256", signer.sign(d.body()));
        }
        CompletableFuture<HttpResponse<LimitedBody.Result>> f =
                client.sendAsync(b.build(), info -> new LimitedBody(bodyLimit));
        HttpResponse<LimitedBody.Result> r;
        try {
            // The request timeout covers waiting for the headers; this outer bound also covers the body.
            r = f.get(timeout.plus(OUTER_GRACE).toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return Attempt.retry("timed out after " + timeout.toMillis() + " ms", null);
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
                return Attempt.retry("timed out after " + timeout.toMillis() + " ms", null);
            }
            if (cause instanceof IOException) {
                return Attempt.retry(describe(cause), null);
            }
            return Attempt.fatal(describe(cause));
        }
        return classify(r);
    }

    private Attempt classify(HttpResponse<LimitedBody.Result> r) {
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            return Attempt.ok(new Response(status, r.body()));
        }
        String why = "HTTP " + status + snippet(r.body());
        boolean retryable = status == 408 || status == 425 || status == 429 || status >= 500;
        if (!retryable) {
            return Attempt.fatal(why);
        }
        Duration retryAfter = status == 429 || status == 503
                ? RetryAfter.parse(r.headers().firstValue("Retry-After").orElse(null), timing.now())
                : null;
        return Attempt.retry(why, retryAfter);
    }

    private static String snippet(LimitedBody.Result body) {
        if (body == null || body.bytes().length == 0) {
            return "";
        }
        String s = new String(body.bytes(), StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        boolean cut = body.overflow() || s.length() > 200;
        return ": " + (s.length() > 200 ? s.substring(0, 200) : s) + (cut ? "..." : "");
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isEmpty() ? "" : ": " + m);
    }

    void markDelivered() {
        delivered.incrementAndGet();
    }

    /** Counts and logs a delivery that will never be made. */
    void drop(Delivery d, String why) {
        dropped.incrementAndGet();
        log.warn("webhook {}: dropped delivery {} ({}): {}", url, d.id(), d.type(), why);
    }

    EndpointStats stats() {
        return new EndpointStats(url, delivered.get(), retried.get(), dropped.get(), queue.size());
    }

    /** Stops the worker within {@code budget}; what is still queued is dropped (counted, logged). */
    void close(Duration budget) {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Math.max(1, budget.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Delivery d;
        while ((d = queue.poll()) != null) {
            drop(d, "handler closed before delivery");
        }
    }
}
