package dev.rumor.plugins.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.plugin.EventHandlerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginManager;

/** The packaged jar loads through PF4J's JarPluginManager, as the agent loads it, and offers type "haproxy". */
class PluginJarIT {
    @TempDir
    Path plugins;

    @Test
    void jarExposesTheFactory() throws Exception {
        Path jar = Path.of(System.getProperty("rumor.plugin.jar"));
        try (JarFile f = new JarFile(jar.toFile())) {
            assertTrue(f.getEntry("META-INF/extensions.idx") != null, "extension index in the jar");
            assertEquals("haproxy", f.getManifest().getMainAttributes().getValue("Plugin-Id"));
            assertTrue(f.stream().noneMatch(e -> e.getName().startsWith("dev/rumor/plugin/")), "API not bundled");
        }
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        PluginManager manager = new JarPluginManager(plugins);
        try {
            manager.loadPlugins();
            manager.startPlugins();
            assertEquals(List.of("haproxy"), manager.getStartedPlugins().stream().map(p -> p.getPluginId()).toList());
            // By plugin id: the test classpath's own target/classes index would add a "system" extension.
            List<EventHandlerFactory> factories = manager.getExtensions(EventHandlerFactory.class, "haproxy");
            assertEquals(1, factories.size());
            assertEquals("haproxy", factories.get(0).type());
            assertTrue(factories.get(0).getClass().getClassLoader() != getClass().getClassLoader(),
                    "loaded from the plugin jar, not the test classpath");
        } finally {
            manager.stopPlugins();
            manager.unloadPlugins();
        }
    }
}
