package dev.rumor.plugins.webhook;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.HandlerContext;
import dev.rumor.plugin.Member;
import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.QueryEvent;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One configured webhook handler: fans each event out to the endpoints whose filter matches it.
 *
 * <p>{@link #handle} never blocks on the network: it renders the document and queues it on each matching
 * endpoint's {@link EndpointWorker}, so the host's event thread is never held up by a receiver. A query
 * that an endpoint is to answer skips that endpoint's queue (it must beat the query deadline, not wait for
 * older notifications) and is posted from a small pool; the 2xx body becomes the query response.
 *
 * <p>Thread contract: {@link #handle} may be called from any thread (the host uses one); {@link #stats}
 * from any thread; {@link #close} once.
 */
public final class WebhookHandler implements EventHandler {
    /** Queries answered at the same time; more wait in the pool's queue (bounded by queue_size). */
    private static final int QUERY_THREADS = 4;
    private static final Duration CLOSE_BUDGET = Duration.ofSeconds(1);

    private final HandlerContext context;
    private final WebhookSettings settings;
    private final Timing timing;
    private final List<EndpointWorker> workers = new ArrayList<>();
    private final ThreadPoolExecutor queryPool;

    WebhookHandler(HandlerContext context, WebhookSettings settings, Timing timing) {
        this.context = context;
        this.settings = settings;
        this.timing = timing;
        Duration connectTimeout = Duration.ZERO;
        for (EndpointSettings e : settings.endpoints()) {
            connectTimeout = e.timeout().compareTo(connectTimeout) > 0 ? e.timeout() : connectTimeout;
        }
        HttpClient.Builder cb = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // no h2c Upgrade on plain http (receivers mishandle it)
                .followRedirects(HttpClient.Redirect.NEVER) // a redirected POST would lose or replay its body
                .connectTimeout(connectTimeout);
        if (settings.sslContext() != null) {
            cb.sslContext(settings.sslContext());
        }
        HttpClient client = cb.build(); // JDK 17 cannot close it; its threads are daemons, dropped with us
        Signer signer = settings.secret() == null ? null : new Signer(settings.secret());
        String name = "rumor-webhook-" + context.instanceName();
        for (int i = 0; i < settings.endpoints().size(); i++) {
            workers.add(new EndpointWorker(settings.endpoints().get(i), client, signer, settings.retry(),
                    settings.queueSize(), timing, context.logger(), name + "-" + i));
        }
        AtomicInteger n = new AtomicInteger();
        queryPool = new ThreadPoolExecutor(QUERY_THREADS, QUERY_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.queueSize()), r -> {
                    Thread t = new Thread(r, name + "-query-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        queryPool.allowCoreThreadTimeOut(true);
        workers.forEach(EndpointWorker::start);
    }

    @Override
    public void handle(Event event) {
        Instant now = timing.now();
        Member self = context.self();
        int responder = event instanceof QueryEvent q ? responderFor(q) : -1;
        for (int i = 0; i < workers.size(); i++) {
            EndpointWorker w = workers.get(i);
            if (!w.settings().events().matches(event)) {
                continue;
            }
            String id = UUID.randomUUID().toString();
            byte[] body = EventDocument.render(id, now, self, event).getBytes(StandardCharsets.UTF_8);
            Delivery d = new Delivery(id, event.type().wireName(), now, body);
            if (i == responder) {
                answer(w, d, (QueryEvent) event);
            } else {
                w.offer(d);
            }
        }
    }

    private int responderFor(QueryEvent q) {
        int r = settings.queryResponder();
        if (r == WebhookSettings.FIRST_MATCHING) {
            for (int i = 0; i < workers.size(); i++) {
                if (workers.get(i).settings().events().matches(q)) {
                    return i;
                }
            }
            return -1;
        }
        return r; // an index, or NO_RESPONSES (-1)
    }

    private void answer(EndpointWorker w, Delivery d, QueryEvent q) {
        try {
            queryPool.execute(() -> {
                try {
                    EndpointWorker.Response r = w.deliver(d, q.deadline(), settings.maxResponseBytes());
                    if (r == null) {
                        return;
                    }
                    if (r.body().overflow()) {
                        // Refused, not truncated: a cut-off answer (half a JSON document) would look valid.
                        context.logger().warn("webhook {}: not answering query '{}' (delivery {}): the response "
                                + "is over max_response_bytes ({})", w.settings().displayUrl(), q.name(), d.id(),
                                settings.maxResponseBytes());
                    } else if (!context.respond(q, r.body().bytes())) {
                        context.logger().info("webhook {}: response to query '{}' (delivery {}) not sent: "
                                + "deadline passed, already answered, or over the cluster's limit",
                                w.settings().displayUrl(), q.name(), d.id());
                    }
                    w.markDelivered();
                } catch (InterruptedException e) {
                    w.drop(d, "handler closed during delivery");
                }
            });
        } catch (RejectedExecutionException e) {
            w.drop(d, queryPool.isShutdown() ? "handler is closed" : "too many queries pending");
        }
    }

    /** Per-endpoint counters, in config order. */
    public List<EndpointStats> stats() {
        List<EndpointStats> s = new ArrayList<>(workers.size());
        for (EndpointWorker w : workers) {
            s.add(w.stats());
        }
        return s;
    }

    /**
     * Stops every worker within about a second: the delivery in flight is abandoned, queued ones are
     * dropped (counted and logged), pending query answers are abandoned.
     */
    @Override
    public void close() {
        queryPool.shutdownNow();
        long end = System.nanoTime() + CLOSE_BUDGET.toNanos();
        for (EndpointWorker w : workers) {
            w.close(Duration.ofNanos(Math.max(1_000_000, end - System.nanoTime())));
        }
    }
}
