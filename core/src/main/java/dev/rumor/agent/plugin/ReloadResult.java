package dev.rumor.agent.plugin;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a successful {@link PluginHost#reload} changed.
 *
 * @param loadedPlugins   plugin ids newly loaded (new or replaced jars)
 * @param unloadedPlugins plugin ids unloaded (removed or replaced jars), once {@code retired} completes
 * @param created         instances created (new names or changed specs/plugins)
 * @param kept            instances kept as they were (counters and queues preserved)
 * @param removed         instances retired (removed or replaced)
 * @param retired         completes when the retired instances have drained their queued events, been closed,
 *                        and their plugins stopped and unloaded; never completes exceptionally
 */
public record ReloadResult(List<String> loadedPlugins, List<String> unloadedPlugins, List<String> created,
                           List<String> kept, List<String> removed, CompletableFuture<Void> retired) {
    public ReloadResult {
        loadedPlugins = List.copyOf(loadedPlugins);
        unloadedPlugins = List.copyOf(unloadedPlugins);
        created = List.copyOf(created);
        kept = List.copyOf(kept);
        removed = List.copyOf(removed);
    }

    /** True when nothing changed. */
    public boolean unchanged() {
        return loadedPlugins.isEmpty() && unloadedPlugins.isEmpty() && created.isEmpty() && removed.isEmpty();
    }
}
