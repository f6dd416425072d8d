package dev.rumor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.FreePorts;
import dev.rumor.testing.SerfAgent;
import dev.rumor.testing.SerfMember;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rumor agent} as a separate JVM (what the launcher runs) against a real serf agent: startup join,
 * tags and encryption as serf sees them, and serf's signal contract (INT: leave, exit 0; TERM: exit 1).
 */
class AgentProcessIT {
    private static final Duration UP = Duration.ofSeconds(30);
    private static final Pattern BIND = Pattern.compile("Bind addr: '([^']+)'");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final List<SerfAgent> serfs = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        serfs.forEach(SerfAgent::close);
    }

    private Process rumorAgent(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.rumor.cli.Main", "agent"));
        cmd.add("-rpc-addr=127.0.0.1:" + FreePorts.belowEphemeralRange(false)); // started once, no retry on a taken port
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void signal(Process p, String sig) {
        CliResult r = SerfAgent.run(List.of("kill", "-" + sig, Long.toString(p.pid())), Duration.ofSeconds(10));
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void joinsSerfAndLeavesGracefullyOnSigint() throws Exception {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        String key = Base64.getEncoder().encodeToString(k);
        SerfAgent serf = SerfAgent.builder("sa", dir).encrypt(key).start();
        serfs.add(serf);

        Path log = dir.resolve("rumor.log");
        Process p = rumorAgent(log, "-node=rumor-agent", "-bind=127.0.0.1:0", "-join=" + serf.gossipAddress(),
                "-encrypt=" + key, "-tag", "role=java", "--tag=dc=test");
        Eventually.await(UP, () -> read(log).contains("Join completed") || !p.isAlive(), () -> read(log));
        assertTrue(p.isAlive(), read(log));
        Matcher m = BIND.matcher(read(log));
        assertTrue(m.find(), read(log));
        String bound = m.group(1);

        Eventually.await(UP, () -> serf.statusOf("rumor-agent").equals("alive"), () -> serf.members().toString());
        SerfMember seen = serf.member("rumor-agent").orElseThrow();
        assertEquals(bound, seen.addr());
        assertEquals(Map.of("role", "java", "dc", "test"), seen.tags());

        signal(p, "INT");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "agent exits after SIGINT:\n" + read(log));
        assertEquals(0, p.exitValue(), read(log));
        assertTrue(read(log).contains("Gracefully shutting down agent"), read(log));
        Eventually.await(UP, () -> serf.statusOf("rumor-agent").equals("left"), () -> serf.members() + "\n" + serf.log());
    }

    @Test
    void failedStartupJoinExitsOne() throws Exception {
        SerfAgent serf = SerfAgent.builder("sa", dir).start();
        serfs.add(serf);
        serf.stop();
        Path log = dir.resolve("rumor.log");
        Process p = rumorAgent(log, "-node=lonely", "-bind=127.0.0.1:0", "-join=" + serf.gossipAddress(), "-profile=local");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), read(log));
        assertEquals(1, p.exitValue(), read(log));
        assertTrue(read(log).contains("Failed to join"), read(log));
    }

    @Test
    void sigtermShutsDownWithoutLeavingAndExitsOne() throws Exception {
        Path log = dir.resolve("rumor.log");
        Process p = rumorAgent(log, "-node=solo", "-bind=127.0.0.1:0", "-profile=local");
        Eventually.await(UP, () -> read(log).contains("Rumor agent running!") || !p.isAlive(), () -> read(log));
        signal(p, "TERM");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), read(log));
        assertEquals(1, p.exitValue(), read(log));
        assertTrue(read(log).contains("Caught signal: terminated"), read(log));
        assertTrue(!read(log).contains("Gracefully shutting down"), read(log));
    }
}
