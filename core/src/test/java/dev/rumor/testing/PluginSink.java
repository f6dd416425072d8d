package dev.rumor.testing;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where plugins built by {@link PluginJarBuilder} report what they saw. It lives on the application class
 * path, so a plugin class loader (plugin first, then application) resolves it to this very class. Keyed by
 * a channel name so tests running in one JVM do not see each other's records.
 */
public final class PluginSink {

    private static final ConcurrentHashMap<String, List<String>> CHANNELS = new ConcurrentHashMap<>();

    private PluginSink() {
    }

    public static void record(String channel, String line) {
        CHANNELS.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>()).add(line);
    }

    /** Everything recorded on {@code channel}, oldest first (a live view). */
    public static List<String> lines(String channel) {
        return CHANNELS.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>());
    }

    public static void clear(String channel) {
        CHANNELS.remove(channel);
    }
}
