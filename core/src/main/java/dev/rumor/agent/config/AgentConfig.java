package dev.rumor.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The agent configuration: serf's config-file keys (cmd/serf/command/agent/config.go) spelled exactly as
 * serf spells them, so a serf JSON file is accepted unchanged, plus Rumor's own keys at the end.
 *
 * <p>Every field is nullable: null means "not set here", which is what makes layering work
 * (defaults &lt; files in order &lt; flags; see {@link ConfigMerge}). {@link #defaults()} holds serf's
 * defaults. Lists concatenate and tags merge key by key when layered, as in serf.
 */
public record AgentConfig(
        @JsonProperty("node_name") String nodeName,
        @JsonProperty("role") String role,
        @JsonProperty("disable_coordinates") Boolean disableCoordinates,
        @JsonProperty("tags") Map<String, String> tags,
        @JsonProperty("tags_file") String tagsFile,
        @JsonProperty("bind") String bind,
        @JsonProperty("advertise") String advertise,
        @JsonProperty("encrypt_key") String encryptKey,
        @JsonProperty("keyring_file") String keyringFile,
        @JsonProperty("log_level") String logLevel,
        @JsonProperty("rpc_addr") String rpcAddr,
        @JsonProperty("rpc_auth") String rpcAuth,
        @JsonProperty("protocol") Integer protocol,
        @JsonProperty("replay_on_join") Boolean replayOnJoin,
        @JsonProperty("query_response_size_limit") Integer queryResponseSizeLimit,
        @JsonProperty("query_size_limit") Integer querySizeLimit,
        @JsonProperty("user_event_size_limit") Integer userEventSizeLimit,
        @JsonProperty("start_join") List<String> startJoin,
        @JsonProperty("event_handlers") List<String> eventHandlers,
        @JsonProperty("profile") String profile,
        @JsonProperty("snapshot_path") String snapshotPath,
        @JsonProperty("leave_on_terminate") Boolean leaveOnTerminate,
        @JsonProperty("skip_leave_on_interrupt") Boolean skipLeaveOnInterrupt,
        @JsonProperty("discover") String discover,
        @JsonProperty("interface") String iface,
        @JsonProperty("reconnect_interval") GoDuration reconnectInterval,
        @JsonProperty("reconnect_timeout") GoDuration reconnectTimeout,
        @JsonProperty("tombstone_timeout") GoDuration tombstoneTimeout,
        @JsonProperty("disable_name_resolution") Boolean disableNameResolution,
        @JsonProperty("enable_syslog") Boolean enableSyslog,
        @JsonProperty("syslog_facility") String syslogFacility,
        @JsonProperty("retry_join") List<String> retryJoin,
        @JsonProperty("retry_max_attempts") Integer retryMaxAttempts,
        @JsonProperty("retry_interval") GoDuration retryInterval,
        @JsonProperty("rejoin_after_leave") Boolean rejoinAfterLeave,
        @JsonProperty("enable_compression") Boolean enableCompression,
        @JsonProperty("statsite_addr") String statsiteAddr,
        @JsonProperty("statsd_addr") String statsdAddr,
        @JsonProperty("broadcast_timeout") GoDuration broadcastTimeout,
        // ---- Rumor's own keys (not in serf) ----
        /* Directory scanned for plugin jars (default $RUMOR_HOME/plugins). */
        @JsonProperty("plugins_dir") String pluginsDir,
        /* Directory for plugin data (default $RUMOR_HOME/data). */
        @JsonProperty("data_dir") String dataDir,
        /* Default per-event handler timeout (60s). */
        @JsonProperty("handler_timeout") GoDuration handlerTimeout,
        /* Default bounded queue length per handler instance (1024). */
        @JsonProperty("handler_queue_size") Integer handlerQueueSize,
        /* Plugin handler instances. */
        @JsonProperty("handlers") List<HandlerConfig> handlers,
        /* A probe whose TCP fallback is refused declares the node failed at once (true). */
        @JsonProperty("fail_on_refused_probe") Boolean failOnRefusedProbe) {

    /** A config with nothing set. */
    public static AgentConfig empty() {
        return ConfigMerge.empty();
    }

    /** serf's defaults (DefaultConfig in agent/config.go) plus Rumor's. */
    public static AgentConfig defaults() {
        return new AgentConfig(
                null, null, false, Map.of(), null,
                "0.0.0.0", null, null, null, "INFO",
                "127.0.0.1:7373", null, 5, false,
                1024, 1024, 512,
                List.of(), List.of(), "lan", null,
                false, false, null, null,
                GoDuration.of(Duration.ofSeconds(30)), GoDuration.of(Duration.ofHours(24)), GoDuration.of(Duration.ofHours(24)),
                false, false, "LOCAL0",
                List.of(), 0, GoDuration.of(Duration.ofSeconds(30)),
                false, true, null, null,
                GoDuration.of(Duration.ofSeconds(5)),
                null, null, GoDuration.of(Duration.ofSeconds(60)), 1024, List.of(), true);
    }
}
