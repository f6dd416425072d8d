package dev.rumor.agent.plugin;

import java.nio.file.Path;
import java.util.List;

/**
 * A plugin jar the host has loaded.
 *
 * @param id      PF4J {@code Plugin-Id}
 * @param version PF4J {@code Plugin-Version}
 * @param jar     the jar file (null for factories registered directly with the host)
 * @param types   the handler types its {@code @Extension} factories provide
 */
public record PluginInfo(String id, String version, Path jar, List<String> types) {
    public PluginInfo {
        types = List.copyOf(types);
    }
}
