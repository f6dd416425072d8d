package dev.rumor.agent.plugin;

import dev.rumor.plugin.EventHandlerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plugin jar loaded in its own PF4J {@link JarPluginManager} (one manager generation per jar).
 *
 * <p>Why one manager per jar and not one per reload: an instance kept across a reload still runs classes
 * of its plugin's class loader, so that loader must outlive the reload, while a replaced jar's loader must
 * be closed. Per-jar managers give exactly that lifetime. The cost: PF4J {@code Plugin-Dependencies}
 * between jars are not supported (a plugin with dependencies fails to load with a clear message).
 *
 * <p>Thread contract: PF4J is not thread-safe; a manager is only touched by the reload (under the host
 * lock) and, once no generation lists it any more, by the retire thread that unloads it.
 */
final class LoadedJar {

    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

    private final Path jar;
    private final String digest;
    private final PluginManager manager;
    private final String pluginId;
    private final String version;
    private final Map<String, EventHandlerFactory> factories;

    private LoadedJar(Path jar, String digest, PluginManager manager, String pluginId, String version,
                      Map<String, EventHandlerFactory> factories) {
        this.jar = jar;
        this.digest = digest;
        this.manager = manager;
        this.pluginId = pluginId;
        this.version = version;
        this.factories = factories;
    }

    /**
     * Loads and starts the plugin in {@code jar}.
     *
     * @return null when the plugin is disabled (PF4J {@code disabled.txt}/{@code enabled.txt})
     * @throws IllegalStateException with a message naming the jar when it cannot be used
     */
    static LoadedJar load(Path pluginsDir, Path jar, String digest) {
        String name = jar.getFileName().toString();
        checkManifest(jar);
        JarPluginManager manager = new JarPluginManager(pluginsDir);
        String id = manager.loadPlugin(jar);
        if (id == null) {
            throw new IllegalStateException("plugin jar '" + name + "': PF4J refused to load it (see the log above)");
        }
        try {
            PluginWrapper w = manager.getPlugin(id);
            if (w.getPluginState() == PluginState.DISABLED) {
                LOG.info("plugin '{}' ({}) is disabled in {}", id, name, pluginsDir);
                manager.unloadPlugin(id);
                return null;
            }
            PluginState state = manager.startPlugin(id);
            if (state != PluginState.STARTED) {
                Throwable cause = w.getFailedException();
                throw new IllegalStateException("plugin '" + id + "' (" + name + ") did not start: state " + state
                        + (cause == null ? "" : ": " + cause), cause);
            }
            Map<String, EventHandlerFactory> factories = new LinkedHashMap<>();
            for (EventHandlerFactory f : manager.getExtensions(EventHandlerFactory.class, id)) {
                String type = f.type();
                if (type == null || type.isBlank()) {
                    throw new IllegalStateException("plugin '" + id + "' (" + name + "): factory "
                            + f.getClass().getName() + " has an empty type()");
                }
                if (factories.putIfAbsent(type, f) != null) {
                    throw new IllegalStateException("plugin '" + id + "' (" + name + "): two factories of type '"
                            + type + "'");
                }
            }
            if (factories.isEmpty()) {
                LOG.warn("plugin '{}' ({}) provides no EventHandlerFactory extension; is META-INF/extensions.idx "
                        + "missing, or does the jar bundle rumor-plugin-api/pf4j (they must be 'provided')?", id, name);
            }
            return new LoadedJar(jar, digest, manager, id, w.getDescriptor().getVersion(), factories);
        } catch (RuntimeException | LinkageError e) {
            safeUnload(manager, id);
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("plugin '" + id + "' (" + name + "): " + e, e);
        }
    }

    /** PF4J only logs a bad manifest; check it first so the reload error says what is wrong. */
    private static void checkManifest(Path jar) {
        String name = jar.getFileName().toString();
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest mf = jf.getManifest();
            String id = mf == null ? null : mf.getMainAttributes().getValue("Plugin-Id");
            String version = mf == null ? null : mf.getMainAttributes().getValue("Plugin-Version");
            if (id == null || id.isBlank()) {
                throw new IllegalStateException("plugin jar '" + name + "': MANIFEST.MF has no Plugin-Id");
            }
            if (version == null || version.isBlank()) {
                throw new IllegalStateException("plugin jar '" + name + "': MANIFEST.MF has no Plugin-Version");
            }
        } catch (IOException e) {
            throw new IllegalStateException("plugin jar '" + name + "': not a readable jar: " + e.getMessage(), e);
        }
    }

    static String digest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops and unloads the plugin; PF4J closes its class loader. */
    void unload() {
        safeUnload(manager, pluginId);
        LOG.info("unloaded plugin '{}' {} ({})", pluginId, version, jar.getFileName());
    }

    private static void safeUnload(PluginManager manager, String id) {
        try {
            manager.stopPlugins();
            manager.unloadPlugin(id);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("unloading plugin '{}' failed: {}", id, e.toString());
        }
    }

    /** The class loader PF4J created for the plugin (null once unloaded). */
    ClassLoader classLoader() {
        PluginWrapper w = manager.getPlugin(pluginId);
        return w == null ? null : w.getPluginClassLoader();
    }

    Path jar() {
        return jar;
    }

    String digest() {
        return digest;
    }

    String pluginId() {
        return pluginId;
    }

    Map<String, EventHandlerFactory> factories() {
        return factories;
    }

    PluginInfo info() {
        return new PluginInfo(pluginId, version, jar, new ArrayList<>(factories.keySet()));
    }

    static List<String> ids(List<LoadedJar> jars) {
        List<String> out = new ArrayList<>();
        jars.forEach(j -> out.add(j.pluginId));
        return out;
    }
}
