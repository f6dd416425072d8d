package dev.rumor.plugins.chef;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rumor.plugin.EventHandlerFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginManager;

/**
 * Loads the compiled plugin the way the agent does (a jar in a plugins directory, {@code JarPluginManager})
 * and finds the {@code chef} extension through the annotation processor's {@code META-INF/extensions.idx}.
 */
class PluginJarTest {

    @Test
    void jarPluginManagerFindsTheChefExtension(@TempDir Path pluginsDir) throws Exception {
        Path classes = Path.of(ChefHandlerFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        jar(classes, pluginsDir.resolve("rumor-plugin-chef.jar"));

        PluginManager pm = new JarPluginManager(pluginsDir);
        try {
            pm.loadPlugins();
            pm.startPlugins();
            List<EventHandlerFactory> found = pm.getExtensions(EventHandlerFactory.class, "chef");
            assertEquals(1, found.size());
            assertEquals("chef", found.get(0).type());
            assertEquals(pm.getPlugin("chef").getPluginClassLoader(), found.get(0).getClass().getClassLoader(),
                    "the extension comes from the plugin jar, not the test classpath");
        } finally {
            pm.stopPlugins();
            pm.unloadPlugins();
        }
    }

    /** A jar of {@code target/classes} with the manifest entries plugins/pom.xml writes. */
    private static void jar(Path classes, Path jar) throws IOException, URISyntaxException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Plugin-Id", "chef");
        mf.getMainAttributes().putValue("Plugin-Version", "0.1.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out, mf);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                jos.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, jos);
                jos.closeEntry();
            }
        }
    }
}
