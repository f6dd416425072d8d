package dev.rumor.plugins.chef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for chef-client, which cannot be installed on the build machine (no Debian package; RubyGems
 * is not reachable). It is a /bin/sh script that behaves as chef does where this plugin cares:
 * <ul>
 *   <li>takes chef's run lock with flock(1) on {@code FAKE_CHEF_LOCK}, as chef's {@code File#flock} does,
 *       and exits 1 at once when it is busy (chef with {@code --run-lock-timeout 0});</li>
 *   <li>appends to {@code FAKE_CHEF_RECORD}: {@code start PID NANOS}, one {@code arg PID VALUE} per
 *       argument, {@code env PID NAME=VALUE} for SERF_*, RUMOR_* and FAKE_CHEF_EXTRA, {@code child PID
 *       SLEEP_PID}, {@code end PID NANOS};</li>
 *   <li>prints {@code FAKE_CHEF_LINES} lines of output, sleeps {@code FAKE_CHEF_SLEEP} seconds in a child
 *       process (so a timeout kill has a tree to kill) and exits {@code FAKE_CHEF_EXIT}.</li>
 * </ul>
 */
final class FakeChefClient {
    static final String SCRIPT = """
            #!/bin/sh
            rec="${FAKE_CHEF_RECORD:?}"
            exec 9>>"${FAKE_CHEF_LOCK:?}"
            if ! flock -n 9; then
              echo "Chef Infra Client is already running; run lock busy"
              echo "busy $$" >> "$rec"
              exit 1
            fi
            echo "start $$ $(date +%s%N)" >> "$rec"
            for a in "$@"; do echo "arg $$ $a" >> "$rec"; done
            env | grep -E '^(SERF_|RUMOR_|FAKE_CHEF_EXTRA)' | sort | while IFS= read -r line; do
              echo "env $$ $line" >> "$rec"
            done
            i=1
            while [ "$i" -le "${FAKE_CHEF_LINES:-3}" ]; do echo "chef output line $i"; i=$((i+1)); done
            sleep "${FAKE_CHEF_SLEEP:-0}" &
            echo "child $$ $!" >> "$rec"
            wait $!
            echo "end $$ $(date +%s%N)" >> "$rec"
            echo "Chef Infra Client finished, exit ${FAKE_CHEF_EXIT:-0}"
            exit "${FAKE_CHEF_EXIT:-0}"
            """;

    /** One recorded invocation. {@code end} is -1 when the run was killed before it ended. */
    record Run(long pid, long start, long end, List<String> args, Map<String, String> env, long childPid) {
    }

    private final Path script;
    private final Path record;
    private final Path lock;

    FakeChefClient(Path dir) {
        try {
            Files.createDirectories(dir);
            this.script = dir.resolve("fake-chef-client");
            Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.record = dir.resolve("record.txt");
        this.lock = dir.resolve("chef-client-running.pid");
    }

    Path script() {
        return script;
    }

    Path record() {
        return record;
    }

    Path lock() {
        return lock;
    }

    /** The environment that points the stand-in at this instance's record and lock. */
    Map<String, Object> env(double sleepSeconds, int exitCode) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("FAKE_CHEF_RECORD", record.toString());
        env.put("FAKE_CHEF_LOCK", lock.toString());
        env.put("FAKE_CHEF_SLEEP", Double.toString(sleepSeconds));
        env.put("FAKE_CHEF_EXIT", Integer.toString(exitCode));
        return env;
    }

    List<Run> runs() {
        if (!Files.exists(record)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(record, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Long, long[]> times = new LinkedHashMap<>();
        Map<Long, List<String>> args = new LinkedHashMap<>();
        Map<Long, Map<String, String>> envs = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split(" ", 3);
            if (f.length < 3) {
                continue;
            }
            long pid = Long.parseLong(f[1]);
            switch (f[0]) {
                case "start" -> {
                    times.put(pid, new long[] {Long.parseLong(f[2]), -1, -1});
                    args.put(pid, new ArrayList<>());
                    envs.put(pid, new LinkedHashMap<>());
                }
                case "arg" -> args.get(pid).add(f[2]);
                case "env" -> {
                    int eq = f[2].indexOf('=');
                    envs.get(pid).put(f[2].substring(0, eq), f[2].substring(eq + 1));
                }
                case "child" -> times.get(pid)[2] = Long.parseLong(f[2]);
                case "end" -> times.get(pid)[1] = Long.parseLong(f[2]);
                default -> {
                }
            }
        }
        List<Run> runs = new ArrayList<>();
        times.forEach((pid, t) -> runs.add(new Run(pid, t[0], t[1], List.copyOf(args.get(pid)),
                Map.copyOf(envs.get(pid)), t[2])));
        return runs;
    }

    long busyCount() {
        if (!Files.exists(record)) {
            return 0;
        }
        try {
            return Files.readAllLines(record).stream().filter(l -> l.startsWith("busy ")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
