package dev.rumor.plugins.chef;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One chef handler instance's settings, validated. Defaults are in {@link #parse} and in the README's table;
 * keep the two in step.
 *
 * @param events             which user events trigger a run
 * @param selfTags           the local node runs only while its tags match
 * @param payload            how a trigger's payload is read (filter, run-list override)
 * @param command            argv prefix; {@code -o RUNLIST} and {@code -j FILE} are appended
 * @param jsonAttributes     written to {@code chef-attributes.json} in the data directory and passed with
 *                           {@code -j}; empty means no {@code -j}
 * @param splay              upper bound of the random delay before each run; zero disables it
 * @param timeout            a run still going after this long is killed (process tree)
 * @param killGrace          after SIGTERM, how long before SIGKILL
 * @param successExitCodes   exit codes reported as success
 * @param rebootExitCodes    exit codes that also mean "reboot pending" (chef RFC 062: 35 scheduled, 37 needed)
 * @param lockFile           chef's run lock; null disables the check
 * @param lockWait           how long a run waits for another chef run to release the lock before giving up
 * @param lockPoll           how often the lock is re-checked while waiting
 * @param env                extra environment for chef-client
 * @param statusQuery        the query name answered with the last result
 * @param statusMaxBytes     the status answer is trimmed (oldest output lines first) to fit this
 * @param outputLines        lines of output kept in the result
 * @param killOnClose        whether closing the handler (agent shutdown or reload) kills a run in progress
 */
record ChefSettings(
        UserEventFilter events,
        TagSelector selfTags,
        PayloadPolicy payload,
        List<String> command,
        Map<String, Object> jsonAttributes,
        Duration splay,
        Duration timeout,
        Duration killGrace,
        Set<Integer> successExitCodes,
        Set<Integer> rebootExitCodes,
        Path lockFile,
        Duration lockWait,
        Duration lockPoll,
        Map<String, String> env,
        String statusQuery,
        int statusMaxBytes,
        int outputLines,
        boolean killOnClose) {

    static final String DEFAULT_LOCK_FILE = "/var/chef/cache/chef-client-running.pid";
    static final List<String> DEFAULT_COMMAND = List.of("chef-client", "--once", "--no-fork");

    private static final Set<String> KNOWN = Set.of(
            "events", "self_tags", "payload_filter", "payload_key", "command", "run_list_from_payload",
            "run_list_allow", "json_attributes", "splay", "timeout", "kill_grace", "success_exit_codes",
            "reboot_exit_codes", "lock_file", "lock_wait", "lock_poll", "env", "status_query",
            "status_max_bytes", "output_lines", "kill_on_close");

    static ChefSettings parse(Map<String, Object> config) {
        ConfigView c = new ConfigView(config, KNOWN);

        List<String> command = c.strings("command", DEFAULT_COMMAND);
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("command must name an executable, e.g. [chef-client, --once]");
        }

        Duration timeout = c.duration("timeout", "30m");
        if (timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be greater than 0");
        }
        Duration lockPoll = c.duration("lock_poll", "5s");
        if (lockPoll.isZero()) {
            throw new IllegalArgumentException("lock_poll must be greater than 0");
        }

        String lock = c.string("lock_file", DEFAULT_LOCK_FILE);
        Path lockFile = lock.isBlank() ? null : Path.of(lock);

        String statusQuery = c.string("status_query", "chef-status");
        if (statusQuery.isBlank()) {
            throw new IllegalArgumentException("status_query must not be empty");
        }

        List<Integer> success = c.integers("success_exit_codes", List.of(0, 35, 37));
        if (success.isEmpty()) {
            throw new IllegalArgumentException("success_exit_codes must not be empty");
        }

        return new ChefSettings(
                UserEventFilter.parse(c.string("events", "user:deploy")),
                TagSelector.of(c.stringMap("self_tags")),
                new PayloadPolicy(
                        c.strings("payload_filter", List.of()),
                        c.string("payload_key", "env"),
                        c.bool("run_list_from_payload", false),
                        c.string("run_list_allow", PayloadPolicy.DEFAULT_RUN_LIST_ALLOW)),
                command,
                c.tree("json_attributes"),
                c.duration("splay", "30s"),
                timeout,
                c.duration("kill_grace", "10s"),
                Set.copyOf(success),
                Set.copyOf(c.integers("reboot_exit_codes", List.of(35, 37))),
                lockFile,
                c.duration("lock_wait", "30m"),
                lockPoll,
                c.stringMap("env"),
                statusQuery,
                c.integer("status_max_bytes", 900, 256, 1 << 20),
                c.integer("output_lines", 20, 0, 1000),
                c.bool("kill_on_close", false));
    }
}
