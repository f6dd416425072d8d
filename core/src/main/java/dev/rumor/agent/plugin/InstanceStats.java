package dev.rumor.agent.plugin;

/**
 * Counters of one handler instance at the time {@link PluginHost#stats()} was called. Counters start at 0
 * when the instance is created and survive reloads that keep the instance.
 *
 * @param name       instance name
 * @param type       plugin type
 * @param pluginId   PF4J id of the plugin that created it ("builtin" for host-registered factories)
 * @param queueDepth events waiting (not counting the ones running)
 * @param queueSize  queue capacity
 * @param inFlight   events being handled right now
 * @param runs       handler calls finished (successful, failed or timed out)
 * @param failures   calls that threw (exceptions, non-zero exits, class loading errors); timeouts excluded
 * @param timeouts   calls interrupted at the instance timeout
 * @param dropped    events refused because the queue was full
 * @param slow       calls that ran longer than the slow-warning threshold (1 s, like serf's warnSlow)
 */
public record InstanceStats(String name, String type, String pluginId, int queueDepth, int queueSize, int inFlight,
                            long runs, long failures, long timeouts, long dropped, long slow) {
}
