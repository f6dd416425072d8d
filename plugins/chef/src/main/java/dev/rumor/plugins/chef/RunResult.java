package dev.rumor.plugins.chef;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one chef run, as kept in memory, persisted to {@code last-run.json} and answered to the
 * status query. JSON field names are snake_case like the settings. Immutable.
 *
 * @param node          the local node's name
 * @param trigger       the (latest) trigger this run served
 * @param triggers      how many triggers this run served (more than 1 when they were coalesced)
 * @param command       the argv that was run
 * @param startedAt     when the process started (or the run was abandoned)
 * @param endedAt       when it ended
 * @param exitCode      null when it did not start or was killed at its timeout
 * @param success       exit code in {@code success_exit_codes}
 * @param rebootPending exit code in {@code reboot_exit_codes}
 * @param timedOut      killed at its timeout
 * @param error         why the run failed without an exit code (start failure, lock busy), or null
 * @param output        the last lines of output
 */
record RunResult(String node, Trigger trigger, int triggers, List<String> command, Instant startedAt,
                 Instant endedAt, Integer exitCode, boolean success, boolean rebootPending, boolean timedOut,
                 String error, List<String> output) {

    /** Numbers are longs, so the map equals what {@link Json#parse} reads back from {@code last-run.json}. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", node);
        m.put("event", trigger.event());
        m.put("ltime", trigger.ltime());
        m.put("run_list", trigger.runList());
        m.put("triggers", (long) triggers);
        m.put("started_at", startedAt.toString());
        m.put("ended_at", endedAt.toString());
        m.put("duration_ms", Duration.between(startedAt, endedAt).toMillis());
        m.put("exit_code", exitCode == null ? null : exitCode.longValue());
        m.put("success", success);
        m.put("reboot_pending", rebootPending);
        m.put("timed_out", timedOut);
        m.put("error", error);
        m.put("command", command);
        m.put("output", output);
        return m;
    }
}
