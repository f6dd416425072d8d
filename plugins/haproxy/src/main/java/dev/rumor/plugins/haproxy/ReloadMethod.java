package dev.rumor.plugins.haproxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How to make HAProxy re-read its config. Used when the runtime API cannot express a change (server
 * options changed) or could not apply it (socket down), and when no runtime socket is configured at all.
 */
sealed interface ReloadMethod {

    void reload(Duration timeout) throws IOException;

    /** Master CLI ({@code -S PATH} / {@code EXTRAOPTS=-S /run/haproxy-master.sock}): send "reload". */
    record MasterSocket(RuntimeEndpoint endpoint) implements ReloadMethod {
        @Override
        public void reload(Duration timeout) throws IOException {
            String answer = CliExchange.exchange(endpoint, "reload", timeout);
            if (!answer.isBlank() && !answer.contains("Success=1")) {
                // 2.6 answers nothing; 2.7+ answers "Success=1"/"Success=0" followed by the startup log.
                throw new IOException("master socket " + endpoint.text() + " refused reload: " + answer.strip());
            }
        }
    }

    /** Master-worker mode: SIGUSR2 to the master whose pid is in the pidfile. */
    record PidFile(Path path) implements ReloadMethod {
        @Override
        public void reload(Duration timeout) throws IOException {
            String pid = Files.readString(path).trim();
            int nl = pid.indexOf('\n');
            pid = nl < 0 ? pid : pid.substring(0, nl).trim();
            if (!pid.matches("\\d+")) {
                throw new IOException("pid file " + path + " holds no pid: '" + pid + "'");
            }
            ProcessRunner.Result r = ProcessRunner.run(List.of("kill", "-USR2", pid), timeout);
            if (r.exitCode() != 0) {
                throw new IOException("kill -USR2 " + pid + " (from " + path + ") failed: " + r.output());
            }
        }
    }

    /** Any command, e.g. {@code [systemctl, reload, haproxy]}; exit code 0 means success. */
    record Command(List<String> argv) implements ReloadMethod {
        public Command {
            argv = List.copyOf(argv);
        }

        @Override
        public void reload(Duration timeout) throws IOException {
            ProcessRunner.Result r = ProcessRunner.run(argv, timeout);
            if (r.exitCode() != 0) {
                throw new IOException("reload command " + argv + " exited " + r.exitCode() + ": " + r.output());
            }
        }
    }

    /**
     * Accepts "master_socket:PATH", "pid_file:PATH", "command:ARGS..." (split on spaces), or a one-key map
     * {@code {command: [argv...]}} / {@code {master_socket: PATH}} / {@code {pid_file: PATH}}.
     */
    static ReloadMethod parse(String key, Object value) {
        String kind;
        Object arg;
        if (value instanceof String s) {
            int colon = s.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(key + ": expected master_socket:PATH, pid_file:PATH or "
                        + "command:ARGS, got \"" + s + "\"");
            }
            kind = s.substring(0, colon).trim();
            arg = s.substring(colon + 1).trim();
        } else if (value instanceof Map<?, ?> m && m.size() == 1) {
            Map.Entry<?, ?> e = m.entrySet().iterator().next();
            kind = String.valueOf(e.getKey());
            arg = e.getValue();
        } else {
            throw new IllegalArgumentException(key + ": expected a string like master_socket:PATH or a map with "
                    + "one of master_socket, pid_file, command");
        }
        switch (kind) {
            case "master_socket":
                return new MasterSocket(RuntimeEndpoint.parse(key, requireText(key, arg)));
            case "pid_file":
                return new PidFile(Path.of(requireText(key, arg)));
            case "command":
                List<String> argv;
                if (arg instanceof List<?> list) {
                    argv = list.stream().map(String::valueOf).toList();
                } else {
                    argv = Arrays.stream(requireText(key, arg).split("\\s+")).filter(x -> !x.isEmpty()).toList();
                }
                if (argv.isEmpty()) {
                    throw new IllegalArgumentException(key + ": empty command");
                }
                return new Command(argv);
            default:
                throw new IllegalArgumentException(key + ": unknown reload method '" + kind
                        + "' (use master_socket, pid_file or command)");
        }
    }

    private static String requireText(String key, Object arg) {
        if (!(arg instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(key + ": missing path");
        }
        return s;
    }
}
