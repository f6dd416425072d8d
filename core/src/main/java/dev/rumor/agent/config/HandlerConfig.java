package dev.rumor.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One handler instance in the agent config (Rumor's addition, under the {@code handlers} key):
 * which plugin, which events, and the plugin's own settings, which the core never interprets.
 *
 * <pre>
 * handlers:
 *   - name: lb
 *     plugin: haproxy
 *     events: member-join,member-leave,member-failed,member-update
 *     member_tags: {role: web}
 *     timeout: 30s
 *     config: {runtime_socket: /run/haproxy/admin.sock}
 * </pre>
 *
 * @param name       instance name, unique in the agent (defaults to the plugin type plus its index)
 * @param plugin     the plugin's handler type, e.g. "shell-exec", "webhook"
 * @param events     serf filter syntax: "member-join,user:deploy", "*" (default "*")
 * @param memberTags member events only include members with all these tags
 * @param selfTags   the instance only runs while the local node has all these tags
 * @param timeout    per-event timeout (default: the agent's handler_timeout)
 * @param queueSize  bounded queue length for this instance (default: the agent's handler_queue_size)
 * @param concurrency worker threads for this instance (default 1: events strictly serial and in order)
 * @param config     the plugin's settings, validated by the plugin
 */
public record HandlerConfig(
        @JsonProperty("name") String name,
        @JsonProperty("plugin") String plugin,
        @JsonProperty("events") String events,
        @JsonProperty("member_tags") Map<String, String> memberTags,
        @JsonProperty("self_tags") Map<String, String> selfTags,
        @JsonProperty("timeout") GoDuration timeout,
        @JsonProperty("queue_size") Integer queueSize,
        @JsonProperty("concurrency") Integer concurrency,
        @JsonProperty("config") Map<String, Object> config) {
}
