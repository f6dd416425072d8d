package dev.rumor.agent.plugin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the plugin host for {@code rumor info} and the RPC {@code stats} command.
 *
 * @param plugins   loaded plugins, in plugins-directory order
 * @param instances live handler instances, in spec order
 */
public record HostStats(List<PluginInfo> plugins, List<InstanceStats> instances) {
    public HostStats {
        plugins = List.copyOf(plugins);
        instances = List.copyOf(instances);
    }

    /**
     * A flat string map in the shape of serf's {@code info} sections (key → value), e.g.
     * {@code plugin.shell-exec = 0.1.0 /opt/rumor/plugins/rumor-plugin-shell-exec.jar} and
     * {@code handler.event_handlers[0] = type=shell-exec queue=0/1024 runs=3 failures=0 timeouts=0 dropped=0}.
     */
    public Map<String, String> toInfo() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("plugins", Integer.toString(plugins.size()));
        out.put("handlers", Integer.toString(instances.size()));
        for (PluginInfo p : plugins) {
            out.put("plugin." + p.id(), p.version() + " " + (p.jar() == null ? "builtin" : p.jar())
                    + " types=" + String.join(",", p.types()));
        }
        for (InstanceStats s : instances) {
            out.put("handler." + s.name(), "type=" + s.type() + " queue=" + s.queueDepth() + "/" + s.queueSize()
                    + " in_flight=" + s.inFlight() + " runs=" + s.runs() + " failures=" + s.failures()
                    + " timeouts=" + s.timeouts() + " dropped=" + s.dropped() + " slow=" + s.slow());
        }
        return out;
    }
}
