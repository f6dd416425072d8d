package dev.rumor.agent.plugin;

import static dev.rumor.agent.plugin.TestEvents.await;
import static dev.rumor.agent.plugin.TestEvents.member;
import static dev.rumor.agent.plugin.TestEvents.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.FixedClusterView;
import dev.rumor.testing.PluginJarBuilder;
import dev.rumor.testing.PluginSink;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading, reloading and unloading real plugin jars built during the test. */
class PluginHostReloadTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private Path pluginsDir;
    private String channel;
    private PluginHost host;

    @BeforeEach
    void setUp() throws Exception {
        pluginsDir = Files.createDirectories(tmp.resolve("plugins"));
        channel = "reload-" + UUID.randomUUID();
        host = PluginHost.builder(pluginsDir, tmp.resolve("data"), new FixedClusterView(member("self", Map.of())))
                .build();
    }

    @AfterEach
    void tearDown() {
        host.close(Duration.ofSeconds(5));
        PluginSink.clear(channel);
    }

    /**
     * A plugin whose handlers write "TAG instance#id event" lines to the sink channel named in the
     * settings; "channel" is required, so leaving it out is an invalid spec.
     */
    private Path probeJar(String tag, String version) {
        String factory = """
                package probe;
                import dev.rumor.plugin.*;
                import dev.rumor.plugin.event.*;
                import dev.rumor.testing.PluginSink;
                import java.util.Map;
                import java.util.concurrent.atomic.AtomicInteger;
                public class ProbeFactory implements EventHandlerFactory {
                    static final AtomicInteger IDS = new AtomicInteger();
                    public String type() { return "probe"; }
                    public EventHandler create(HandlerContext ctx, Map<String, Object> cfg) {
                        if (!(cfg.get("channel") instanceof String ch)) {
                            throw new IllegalArgumentException("channel is required");
                        }
                        String id = "TAG " + ctx.instanceName() + "#" + IDS.incrementAndGet();
                        return new ProbeHandler(ch, id);
                    }
                }
                """.replace("TAG", tag);
        String handler = """
                package probe;
                import dev.rumor.plugin.*;
                import dev.rumor.plugin.event.*;
                import dev.rumor.testing.PluginSink;
                final class ProbeHandler implements EventHandler {
                    private final String ch;
                    private final String id;
                    ProbeHandler(String ch, String id) { this.ch = ch; this.id = id; }
                    public void handle(Event e) {
                        String what = e instanceof UserEvent u ? u.name() : e.type().wireName();
                        PluginSink.record(ch, id + " " + what);
                    }
                    public void close() { PluginSink.record(ch, id + " closed"); }
                }
                """;
        return new PluginJarBuilder("probe").version(version)
                .source("probe.ProbeFactory", factory)
                .source("probe.ProbeHandler", handler)
                .extension("probe.ProbeFactory")
                .build(tmp, pluginsDir.resolve("probe-plugin.jar"));
    }

    private HandlerSpec probe(String name, Map<String, Object> extra) {
        Map<String, Object> settings = new java.util.HashMap<>(extra);
        settings.put("channel", channel);
        return HandlerSpec.of(name, "probe", EventFilter.all(), settings);
    }

    private List<String> lines() {
        return PluginSink.lines(channel);
    }

    private void awaitLine(String line) {
        await(WAIT, () -> lines().contains(line), () -> "lines: " + lines());
    }

    @Test
    void droppedJarIsLoadedOnReloadAndUnloadedWhenRemoved() throws Exception {
        PluginReloadException missing = assertThrows(PluginReloadException.class,
                () -> host.reload(List.of(probe("p1", Map.of()))));
        assertEquals(List.of("handler 'p1': unknown plugin type 'probe' (available: )"), missing.problems());

        Path jar = probeJar("v1", "1.0.0");
        ReloadResult loaded = host.reload(List.of(probe("p1", Map.of())));
        assertEquals(List.of("probe"), loaded.loadedPlugins());
        assertEquals(List.of("p1"), loaded.created());
        HostStats stats = host.stats();
        assertEquals(List.of(new PluginInfo("probe", "1.0.0", jar.toAbsolutePath().normalize(), List.of("probe"))),
                stats.plugins());
        assertEquals("p1", stats.instances().get(0).name());
        assertEquals("probe", stats.instances().get(0).pluginId());

        host.dispatcher().dispatch(user("deploy"));
        awaitLine("v1 p1#1 deploy");
        await(WAIT, () -> host.stats().instances().get(0).runs() == 1, () -> host.stats().toString());
        assertEquals(Map.of("plugins", "1", "handlers", "1",
                "plugin.probe", "1.0.0 " + jar.toAbsolutePath().normalize() + " types=probe",
                "handler.p1", "type=probe queue=0/1024 in_flight=0 runs=1 failures=0 timeouts=0 dropped=0 slow=0"),
                host.stats().toInfo());
        ClassLoader loader = host.pluginClassLoader("probe");
        assertNotNull(loader);
        assertNotNull(loader.getResource("probe/ProbeHandler.class"));
        assertTrue(loader.getClass().getName().startsWith("org.pf4j."), loader.getClass().getName());
        var loaderRef = new java.lang.ref.WeakReference<>(loader);
        loader = null;

        Files.delete(jar);
        ReloadResult unloaded = host.reload(List.of());
        assertEquals(List.of("probe"), unloaded.unloadedPlugins());
        assertEquals(List.of("p1"), unloaded.removed());
        unloaded.retired().get(10, TimeUnit.SECONDS);
        assertTrue(lines().contains("v1 p1#1 closed"), "handler closed before unload: " + lines());
        assertEquals(List.of(), host.stats().plugins());
        assertEquals(List.of(), host.stats().instances());
        ClassLoader old = loaderRef.get();
        if (old != null) {
            // PF4J closed the URLClassLoader: its jar is no longer readable through it.
            assertNull(old.getResource("probe/ProbeHandler.class"), "class loader closed on unload");
            old = null;
        }
        // Nothing of ours keeps the plugin reachable, so its class loader can be collected.
        await(WAIT, () -> {
            System.gc();
            return loaderRef.get() == null;
        }, () -> "plugin class loader still reachable");

        int before = lines().size();
        host.dispatcher().dispatch(user("after"));
        assertEquals(before, lines().size());
        assertEquals(0, host.stats().instances().size());
    }

    @Test
    void reloadKeepsUnchangedInstancesAndRecreatesChangedOnes() throws Exception {
        probeJar("v1", "1.0.0");
        host.reload(List.of(probe("a", Map.of("x", 1)), probe("b", Map.of())));
        host.dispatcher().dispatch(user("one"));
        awaitLine("v1 a#1 one");
        awaitLine("v1 b#2 one");

        ReloadResult r = host.reload(List.of(probe("a", Map.of("x", 2)), probe("b", Map.of())));
        assertEquals(List.of("a"), r.created());
        assertEquals(List.of("b"), r.kept());
        assertEquals(List.of("a"), r.removed());
        assertEquals(List.of(), r.loadedPlugins());
        r.retired().get(10, TimeUnit.SECONDS);
        awaitLine("v1 a#1 closed");
        host.dispatcher().dispatch(user("two"));
        awaitLine("v1 a#3 two");
        awaitLine("v1 b#2 two");
        assertEquals(2, host.stats().instances().stream().filter(s -> s.name().equals("b")).findFirst()
                .orElseThrow().runs(), "kept instance keeps its counters");

        ReloadResult same = host.reload(List.of(probe("a", Map.of("x", 2)), probe("b", Map.of())));
        assertTrue(same.unchanged(), same.toString());

        // A replaced jar (new content, same path) is a new plugin generation: every instance is re-created.
        probeJar("v2", "2.0.0");
        ReloadResult upgraded = host.reload(List.of(probe("a", Map.of("x", 2)), probe("b", Map.of())));
        assertEquals(List.of("probe"), upgraded.loadedPlugins());
        assertEquals(List.of("probe"), upgraded.unloadedPlugins());
        assertEquals(List.of("a", "b"), upgraded.created());
        upgraded.retired().get(10, TimeUnit.SECONDS);
        host.dispatcher().dispatch(user("three"));
        awaitLine("v2 a#1 three");
        awaitLine("v2 b#2 three");
        assertEquals("2.0.0", host.stats().plugins().get(0).version());
    }

    @Test
    void invalidReloadNamesInstanceAndKeyAndKeepsTheOldGeneration() throws Exception {
        probeJar("v1", "1.0.0");
        host.reload(List.of(probe("a", Map.of())));

        PluginReloadException bad = assertThrows(PluginReloadException.class, () -> host.reload(List.of(
                HandlerSpec.of("a", "probe", EventFilter.all(), Map.of()),
                HandlerSpec.of("z", "nope", EventFilter.all(), Map.of()))));
        assertEquals(List.of("handler 'a' (probe): channel is required",
                "handler 'z': unknown plugin type 'nope' (available: probe)"), bad.problems());

        // A broken jar is reported by file name, and nothing changes either.
        try (OutputStream out = Files.newOutputStream(pluginsDir.resolve("broken.jar"));
             JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new java.util.zip.ZipEntry("x.txt"));
        }
        PluginReloadException broken = assertThrows(PluginReloadException.class,
                () -> host.reload(List.of(probe("a", Map.of()))));
        assertEquals(List.of("plugin jar 'broken.jar': MANIFEST.MF has no Plugin-Id"), broken.problems());

        host.dispatcher().dispatch(user("still"));
        awaitLine("v1 a#1 still");
        assertEquals(1, host.stats().plugins().size());
    }

    @Test
    void noEventIsLostOrReorderedAcrossReloads() throws Exception {
        probeJar("v1", "1.0.0");
        // The queue holds the whole burst: any missing event would be a loss in the swap, not an overflow.
        host.reload(List.of(probe("a", Map.of("gen", 0)).withQueueSize(5000)));
        int total = 3000;
        Thread producer = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                host.dispatcher().dispatch(user("e" + i));
                if (i % 100 == 0) {
                    Thread.yield();
                }
            }
        });
        producer.start();
        List<ReloadResult> results = new ArrayList<>();
        for (int gen = 1; gen <= 5; gen++) {
            results.add(host.reload(List.of(probe("a", Map.of("gen", gen)).withQueueSize(5000))));
        }
        producer.join(10_000);
        for (ReloadResult r : results) {
            r.retired().get(10, TimeUnit.SECONDS);
        }
        await(WAIT, () -> lines().stream().filter(l -> !l.endsWith("closed")).count() == total,
                () -> "got " + lines().size());
        List<String> names = new ArrayList<>();
        for (String l : lines()) {
            if (!l.endsWith("closed")) {
                names.add(l.substring(l.lastIndexOf(' ') + 1));
            }
        }
        for (int i = 0; i < total; i++) {
            assertEquals("e" + i, names.get(i), "event order across generations");
        }
        assertEquals(0, host.stats().instances().get(0).dropped());
        assertNotEquals(lines().get(0).split(" ")[1], lines().get(lines().size() - 1).split(" ")[1]);
    }
}
