package dev.rumor.plugins.shellexec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of one shell-exec instance.
 *
 * <pre>
 * script   required  run as /bin/sh -c SCRIPT (serf's event handler string after '=')
 * timeout  optional  "30s", "1m30s", "500ms" (Go duration) or a number of seconds; the process tree is
 *                    killed when it runs longer. Default: none here, the host's instance timeout applies
 * env      optional  map of extra environment variables (the SERF_/RUMOR_ variables still win)
 * cwd      optional  working directory (must exist); default: the agent's
 * </pre>
 *
 * @param timeout null when not set
 * @param cwd     null when not set
 */
record ShellExecSettings(String script, Duration timeout, Map<String, String> env, Path cwd) {

    private static final Set<String> KEYS = Set.of("script", "timeout", "env", "cwd");
    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    /** @throws IllegalArgumentException naming the offending key */
    static ShellExecSettings parse(Map<String, Object> config) {
        for (String k : config.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown setting '" + k + "' (known: script, timeout, env, cwd)");
            }
        }
        Object script = config.get("script");
        if (!(script instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(script == null ? "script is required"
                    : "script must be a non-empty string");
        }
        Duration timeout = null;
        if (config.get("timeout") != null) {
            timeout = duration(config.get("timeout"));
        }
        Map<String, String> env = new LinkedHashMap<>();
        Object e = config.get("env");
        if (e != null) {
            if (!(e instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("env must be a map of NAME: value");
            }
            for (Map.Entry<?, ?> v : m.entrySet()) {
                String name = String.valueOf(v.getKey());
                if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("env." + name + ": invalid variable name");
                }
                if (v.getValue() == null || v.getValue() instanceof Map || v.getValue() instanceof Iterable) {
                    throw new IllegalArgumentException("env." + name + ": value must be a string, number or boolean");
                }
                env.put(name, String.valueOf(v.getValue()));
            }
        }
        Path cwd = null;
        Object c = config.get("cwd");
        if (c != null) {
            if (!(c instanceof String cs) || cs.isBlank()) {
                throw new IllegalArgumentException("cwd must be a directory path");
            }
            cwd = Path.of(cs);
            if (!Files.isDirectory(cwd)) {
                throw new IllegalArgumentException("cwd: not a directory: " + cs);
            }
        }
        return new ShellExecSettings(s, timeout, Map.copyOf(env), cwd);
    }

    private static Duration duration(Object v) {
        if (v instanceof Number n) {
            if (n.doubleValue() <= 0) {
                throw new IllegalArgumentException("timeout must be positive: " + v);
            }
            return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
        }
        String s = String.valueOf(v).trim();
        Matcher m = GO_DURATION_PART.matcher(s);
        long nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double amount = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos += Math.round(amount * unit);
            end = m.end();
        }
        if (s.isEmpty() || end != s.length() || nanos <= 0) {
            throw new IllegalArgumentException("timeout: expected a positive duration like \"30s\" or \"1m30s\", got \""
                    + s + "\"");
        }
        return Duration.ofNanos(nanos);
    }
}
