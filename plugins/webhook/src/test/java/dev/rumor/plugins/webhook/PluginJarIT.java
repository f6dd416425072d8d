package dev.rumor.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.EventHandlerFactory;
import dev.rumor.plugin.event.UserEvent;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;

/**
 * The packaged jar as the agent loads it: PF4J finds the factory through the jar's own extension index,
 * loads it in the plugin's class loader, and the handler it creates delivers (so nothing it needs is
 * missing from the thin jar).
 */
class PluginJarIT {

    @Test
    void packagedJarLoadsAndDelivers(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(builtJar(), plugins.resolve("webhook.jar"));
        PluginManager pm = new JarPluginManager(plugins);
        try (RecordingServer server = new RecordingServer(RecordingServer.status(204))) {
            pm.loadPlugins();
            pm.startPlugins();
            assertEquals(PluginState.STARTED, pm.getPlugin("webhook").getPluginState());
            List<EventHandlerFactory> factories = pm.getExtensions(EventHandlerFactory.class, "webhook");
            assertEquals(1, factories.size(), "one extension from the jar's META-INF/extensions.idx");
            EventHandlerFactory f = factories.get(0);
            assertEquals("webhook", f.type());
            assertNotSame(getClass().getClassLoader(), f.getClass().getClassLoader(), "loaded from the jar");

            EventHandler h = f.create(new TestContext(dir),
                    Map.of("endpoints", List.of(Map.of("url", server.url("/").toString()))));
            try {
                h.handle(new UserEvent(1, "deploy", null, false));
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                // the jar's own WebhookHandler class, so its stats() is reached by reflection
                java.lang.reflect.Method stats = h.getClass().getMethod("stats");
                while (!stats.invoke(h).toString().contains("delivered=1") && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                Object s = stats.invoke(h);
                assertTrue(s.toString().contains("delivered=1"), "stats " + s);
                assertEquals(1, server.hits.size());
                assertEquals("user", server.hits.get(0).header("X-Rumor-Event"));
            } finally {
                h.close();
            }
        } finally {
            pm.stopPlugins();
            pm.unloadPlugins();
        }
    }

    /** target/rumor-plugin-webhook-VERSION.jar (failsafe runs after package, in the module directory). */
    private static Path builtJar() throws Exception {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "rumor-plugin-webhook-*.jar")) {
            for (Path p : jars) {
                String n = p.getFileName().toString();
                if (!n.endsWith("-sources.jar") && !n.endsWith("-tests.jar") && !n.endsWith("-javadoc.jar")) {
                    return p;
                }
            }
        }
        throw new AssertionError("no plugin jar in target/: run mvn verify, not test");
    }
}
