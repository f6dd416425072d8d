package dev.rumor.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped unit keeps the signal contract the agent implements: reload is SIGHUP to the JVM (which is
 * $MAINPID because bin/rumor exec's it), stop is SIGINT (graceful leave, exit 0), 143 is not a failure, and a
 * crash is restarted.
 */
class SystemdUnitTest {
    @Test
    void serviceSectionHasTheSignalContract() throws Exception {
        Map<String, String> service = section(Path.of("src/main/dist/systemd/rumor.service"), "Service");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("ExecStart", "/opt/rumor/bin/rumor agent -config-dir=/etc/rumor.d");
        expected.put("ExecReload", "/bin/kill -HUP $MAINPID");
        expected.put("KillSignal", "SIGINT");
        expected.put("SuccessExitStatus", "143");
        expected.put("Restart", "on-failure");
        expected.put("LimitNOFILE", "65536");
        expected.forEach((k, v) -> assertEquals(v, service.get(k), k));
    }

    private static Map<String, String> section(Path unit, String name) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        String current = null;
        List<String> lines = Files.readAllLines(unit, StandardCharsets.UTF_8);
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("[")) {
                current = l.substring(1, l.length() - 1);
            } else if (name.equals(current) && l.contains("=")) {
                out.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
            }
        }
        return out;
    }
}
