package dev.rumor.agent.plugin;

import static dev.rumor.agent.plugin.TestEvents.await;
import static dev.rumor.agent.plugin.TestEvents.join;
import static dev.rumor.agent.plugin.TestEvents.member;
import static dev.rumor.agent.plugin.TestEvents.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.EventHandlerFactory;
import dev.rumor.plugin.HandlerContext;
import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.MemberEvent;
import dev.rumor.plugin.event.UserEvent;
import dev.rumor.testing.FixedClusterView;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dispatch isolation, ordering, overflow and timeouts, with handlers registered as built-ins. */
class EventDispatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private final FixedClusterView view = new FixedClusterView(member("self", Map.of("role", "lb")));
    private final Map<String, List<Event>> seen = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private PluginHost host;

    /** A factory whose handler behaviour is picked by the "mode" setting. */
    private final class Modes implements EventHandlerFactory {
        @Override
        public String type() {
            return "mode";
        }

        @Override
        public EventHandler create(HandlerContext ctx, Map<String, Object> config) {
            String mode = (String) config.get("mode");
            if (mode == null) {
                throw new IllegalArgumentException("mode is required");
            }
            List<Event> log = seen.computeIfAbsent(ctx.instanceName(), k -> new CopyOnWriteArrayList<>());
            Function<Event, Void> body = switch (mode) {
                case "record" -> e -> {
                    log.add(e);
                    return null;
                };
                case "throw" -> e -> {
                    log.add(e);
                    throw new IllegalStateException("boom");
                };
                case "noclass" -> e -> {
                    throw new NoClassDefFoundError("gone/Missing");
                };
                case "block" -> e -> {
                    try {
                        release.await();
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                    log.add(e);
                    return null;
                };
                case "hang" -> e -> {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException ie) {
                        log.add(e);
                        Thread.currentThread().interrupt();
                    }
                    return null;
                };
                case "sleep" -> e -> {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                    log.add(e);
                    return null;
                };
                case "fail" -> e -> null; // handled below: a checked exception, like a non-zero exit
                default -> throw new IllegalArgumentException("mode: unknown '" + mode + "'");
            };
            return new EventHandler() {
                @Override
                public void handle(Event event) throws Exception {
                    if (mode.equals("fail")) {
                        throw new IOException("script exited with status 3");
                    }
                    body.apply(event);
                }
            };
        }
    }

    private PluginHost host() {
        host = PluginHost.builder(tmp.resolve("plugins"), tmp.resolve("data"), view)
                .builtin(new Modes()).slowWarning(Duration.ofMillis(50)).build();
        return host;
    }

    @AfterEach
    void close() {
        release.countDown();
        if (host != null) {
            host.close(Duration.ofSeconds(5));
        }
    }

    private static HandlerSpec spec(String name, String mode) {
        return HandlerSpec.of(name, "mode", EventFilter.all(), Map.of("mode", mode));
    }

    private InstanceStats stats(String name) {
        return host.stats().instances().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void burstReachesFastHandlerInOrderWhileSlowHandlerOverflowIsCounted() throws Exception {
        PluginHost h = host();
        h.reload(List.of(spec("fast", "record"), spec("slow", "block").withQueueSize(10)));
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            h.dispatcher().dispatch(user("e" + i));
        }
        long dispatchMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(dispatchMillis < 5000, "dispatch must not wait for handlers: " + dispatchMillis + " ms");
        await(WAIT, () -> seen.get("fast").size() == 1000, () -> "fast got " + seen.get("fast").size());
        List<String> names = new ArrayList<>();
        seen.get("fast").forEach(e -> names.add(((UserEvent) e).name()));
        for (int i = 0; i < 1000; i++) {
            assertEquals("e" + i, names.get(i));
        }
        await(WAIT, () -> stats("slow").inFlight() == 1, () -> stats("slow").toString());
        InstanceStats slow = stats("slow");
        // One event is running (blocked), the rest overflowed and were counted. The queue is full (10) if
        // the worker took its first event during the burst, or 9 if it took it after the queue had filled.
        assertTrue(slow.queueDepth() == 10 || slow.queueDepth() == 9, slow.toString());
        assertTrue(slow.dropped() >= 989, slow.toString());
        assertEquals(1000, slow.inFlight() + slow.queueDepth() + slow.dropped());
        assertEquals(0, stats("fast").dropped());
        release.countDown();
        await(WAIT, () -> stats("slow").runs() == 1000 - slow.dropped(), () -> stats("slow").toString());
        // Which ten waited depends on when the worker took e0; whatever it kept, it kept in order.
        List<Integer> kept = seen.get("slow").stream().map(e -> Integer.parseInt(((UserEvent) e).name().substring(1)))
                .toList();
        assertEquals(0, kept.get(0));
        assertEquals(kept.stream().sorted().toList(), kept);
    }

    @Test
    void hungHandlerIsInterruptedAtItsTimeoutAndGoesOn() throws Exception {
        PluginHost h = host();
        h.reload(List.of(spec("hang", "hang").withTimeout(Duration.ofMillis(200)), spec("rec", "record")));
        h.dispatcher().dispatch(user("a"));
        h.dispatcher().dispatch(user("b"));
        await(WAIT, () -> stats("hang").timeouts() == 2, () -> stats("hang").toString());
        assertEquals(2, seen.get("hang").size(), "each call was interrupted");
        assertEquals(0, stats("hang").failures());
        assertEquals(2, seen.get("rec").size());
        assertTrue(stats("hang").slow() >= 1, "slow warning fired before the timeout");
    }

    @Test
    void failuresAreIsolatedAndCounted() throws Exception {
        PluginHost h = host();
        h.reload(List.of(spec("boom", "throw"), spec("fail", "fail"), spec("noclass", "noclass"),
                spec("rec", "record")));
        for (int i = 0; i < 5; i++) {
            h.dispatcher().dispatch(user("e" + i));
        }
        await(WAIT, () -> stats("boom").runs() == 5 && stats("fail").runs() == 5 && stats("noclass").runs() == 5,
                () -> h.stats().toString());
        assertEquals(5, stats("boom").failures());
        assertEquals(5, stats("fail").failures());
        assertEquals(5, stats("noclass").failures());
        await(WAIT, () -> seen.get("rec").size() == 5, () -> "rec: " + seen.get("rec"));
        assertEquals(0, stats("rec").failures());
        assertEquals(5, seen.get("boom").size(), "the worker survives its handler's exceptions");
    }

    @Test
    void slowCallsAreCounted() throws Exception {
        PluginHost h = host();
        h.reload(List.of(spec("s", "sleep")));
        h.dispatcher().dispatch(user("x"));
        await(WAIT, () -> stats("s").runs() == 1, () -> stats("s").toString());
        assertEquals(1, stats("s").slow());
        assertEquals(0, stats("s").timeouts());
    }

    @Test
    void filtersSelectEventsMembersAndLocalNode() throws Exception {
        PluginHost h = host();
        h.reload(List.of(
                spec("deploys", "record").withFilter(EventFilter.parse("user:deploy")),
                spec("web", "record").withFilter(EventFilter.parse("member-join").withMemberTags(Map.of("role", "web"))),
                spec("onlb", "record").withFilter(EventFilter.all().withLocalTags(Map.of("role", "lb"))),
                spec("ondb", "record").withFilter(EventFilter.all().withLocalTags(Map.of("role", "db"))),
                spec("serf", "record").withFilter(EventFilter.parseSerf("user,user:deploy"))));
        var web = member("w", Map.of("role", "web"));
        var db = member("d", Map.of("role", "db"));
        h.dispatcher().dispatch(user("other"));
        h.dispatcher().dispatch(join(db));
        h.dispatcher().dispatch(join(web, db));
        h.dispatcher().dispatch(user("deploy"));
        await(WAIT, () -> stats("onlb").runs() == 4 && stats("serf").runs() == 3, () -> h.stats().toString());
        await(WAIT, () -> stats("deploys").runs() == 1 && stats("web").runs() == 1, () -> h.stats().toString());
        assertEquals(List.of(web), ((MemberEvent) seen.get("web").get(0)).members());
        assertEquals("deploy", ((UserEvent) seen.get("deploys").get(0)).name());
        assertEquals(0, stats("ondb").runs());
        assertEquals(List.of("other", "deploy", "deploy"),
                seen.get("serf").stream().map(e -> ((UserEvent) e).name()).toList());
        assertEquals(4, h.dispatcher().dispatchedCount());
    }

    @Test
    void contextGivesNameMembersAndLazyDataDirectory() throws Exception {
        List<HandlerContext> ctxs = new CopyOnWriteArrayList<>();
        host = PluginHost.builder(tmp.resolve("plugins"), tmp.resolve("data"), view).builtin(new EventHandlerFactory() {
            @Override
            public String type() {
                return "ctx";
            }

            @Override
            public EventHandler create(HandlerContext ctx, Map<String, Object> config) {
                ctxs.add(ctx);
                return e -> { };
            }
        }).build();
        host.reload(List.of(HandlerSpec.of("event_handlers[0]", "ctx", null, Map.of())));
        HandlerContext c = ctxs.get(0);
        assertEquals("event_handlers[0]", c.instanceName());
        assertEquals("self", c.self().name());
        assertEquals("rumor.handler.event_handlers[0]", c.logger().getName());
        Path dir = tmp.resolve("data").resolve("event_handlers_0_");
        assertTrue(!java.nio.file.Files.exists(dir), "created lazily");
        assertEquals(dir, c.dataDirectory());
        assertTrue(java.nio.file.Files.isDirectory(dir));
        assertTrue(c.respond(TestEvents.query("q"), new byte[] {1}));
        assertEquals(1, view.responses().size());
    }

    @Test
    void concurrencyRunsSeveralCallsOfOneInstanceAtOnce() throws Exception {
        PluginHost h = host();
        h.reload(List.of(spec("par", "block").withConcurrency(3), spec("ser", "block")));
        for (int i = 0; i < 5; i++) {
            h.dispatcher().dispatch(user("e" + i));
        }
        await(WAIT, () -> stats("par").inFlight() == 3 && stats("ser").inFlight() == 1, () -> h.stats().toString());
        assertEquals(2, stats("par").queueDepth());
        assertEquals(4, stats("ser").queueDepth());
        release.countDown();
        await(WAIT, () -> stats("par").runs() == 5 && stats("ser").runs() == 5, () -> h.stats().toString());
    }

    @Test
    void closeDrainsQueuedEventsThenClosesHandlers() throws Exception {
        List<String> closed = new CopyOnWriteArrayList<>();
        List<String> handled = new CopyOnWriteArrayList<>();
        host = PluginHost.builder(tmp.resolve("plugins"), tmp.resolve("data"), view).builtin(new EventHandlerFactory() {
            @Override
            public String type() {
                return "slowish";
            }

            @Override
            public EventHandler create(HandlerContext ctx, Map<String, Object> config) {
                return new EventHandler() {
                    @Override
                    public void handle(Event e) throws Exception {
                        Thread.sleep(20);
                        handled.add(((UserEvent) e).name());
                    }

                    @Override
                    public void close() {
                        closed.add(ctx.instanceName() + " after " + handled.size());
                    }
                };
            }
        }).build();
        host.reload(List.of(HandlerSpec.of("s", "slowish", null, Map.of())));
        for (int i = 0; i < 10; i++) {
            host.dispatcher().dispatch(user("e" + i));
        }
        host.close(Duration.ofSeconds(10));
        assertEquals(10, handled.size());
        assertEquals(List.of("s after 10"), closed);
        host.dispatcher().dispatch(user("late"));
        assertEquals(10, handled.size(), "events after close are ignored");
    }

    @Test
    void handlerIgnoringInterruptsDoesNotHangShutdown() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        host = PluginHost.builder(tmp.resolve("plugins"), tmp.resolve("data"), view).builtin(new Modes())
                .builtin(new EventHandlerFactory() {
            @Override
            public String type() {
                return "stubborn";
            }

            @Override
            public EventHandler create(HandlerContext ctx, Map<String, Object> config) {
                return e -> {
                    while (never.getCount() > 0) {
                        try {
                            never.await();
                        } catch (InterruptedException ignored) {
                            // deliberately swallowed: the worst kind of plugin
                        }
                    }
                };
            }
        }).build();
        host.reload(List.of(HandlerSpec.of("s", "stubborn", null, Map.of()).withTimeout(Duration.ofMillis(100)),
                spec("rec", "record")));
        host.dispatcher().dispatch(user("a"));
        host.dispatcher().dispatch(user("b"));
        await(WAIT, () -> stats("s").inFlight() == 1 && stats("rec").runs() == 2, () -> host.stats().toString());
        long start = System.nanoTime();
        host.close(Duration.ofMillis(300));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5000, "close is bounded by its drain time");
        never.countDown();
    }
}
