package dev.rumor.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.Eventually;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signal contract through the launcher ({@code exec}, so {@code kill PID} reaches the JVM), as serf's
 * agent: INT leaves gracefully and exits 0; TERM leaves only with {@code leave_on_terminate} (exit 0), and
 * otherwise just stops (exit 1), so peers see the node fail.
 */
class SignalsIT {
    private static final Duration SETTLE = Duration.ofSeconds(45);

    @TempDir
    Path tmp;

    private final List<RumorAgent> agents = new ArrayList<>();

    @AfterEach
    void stopAgents() {
        agents.forEach(RumorAgent::close);
    }

    @Test
    void interruptLeavesGracefullyAndExitsZero() {
        RumorAgent a = start(RumorAgent.builder("a", tmp));
        RumorAgent b = start(RumorAgent.builder("b", tmp).join(a.gossipAddress()));
        Eventually.await(SETTLE, () -> a.statusOf("b").equals("alive"), () -> a.cli("members").output());

        b.signal("INT");
        assertEquals(0, b.awaitExit(SETTLE), b.log());
        assertTrue(b.log().contains("Gracefully shutting down agent"), b.log());
        Eventually.await(SETTLE, () -> a.statusOf("b").equals("left"), () -> a.cli("members").output());
    }

    @Test
    void interruptWorksEvenWhenStartedWithSignalsIgnored() {
        RumorAgent a = start(RumorAgent.builder("a", tmp));
        RumorAgent b = start(RumorAgent.builder("b", tmp).startedWithSignalsIgnored().join(a.gossipAddress()));
        Eventually.await(SETTLE, () -> a.statusOf("b").equals("alive"), () -> a.cli("members").output());

        b.signal("INT");
        assertEquals(0, b.awaitExit(SETTLE), b.log());
        Eventually.await(SETTLE, () -> a.statusOf("b").equals("left"), () -> a.cli("members").output());
    }

    @Test
    void terminateWithoutLeaveOnTerminateStopsAndPeersSeeAFailure() {
        RumorAgent a = start(RumorAgent.builder("a", tmp));
        RumorAgent b = start(RumorAgent.builder("b", tmp).join(a.gossipAddress()));
        Eventually.await(SETTLE, () -> a.statusOf("b").equals("alive"), () -> a.cli("members").output());

        b.signal("TERM");
        assertEquals(1, b.awaitExit(SETTLE), b.log()); // serf's exit status when it stops without leaving
        Eventually.await(SETTLE, () -> a.statusOf("b").equals("failed"), () -> a.cli("members").output());
    }

    @Test
    void terminateWithLeaveOnTerminateLeavesGracefully() throws IOException {
        Path config = Files.writeString(tmp.resolve("leave.yaml"), "leave_on_terminate: true\n", StandardCharsets.UTF_8);
        RumorAgent a = start(RumorAgent.builder("a", tmp));
        RumorAgent b = start(RumorAgent.builder("b", tmp).configFile(config).join(a.gossipAddress()));
        Eventually.await(SETTLE, () -> a.statusOf("b").equals("alive"), () -> a.cli("members").output());

        b.signal("TERM");
        assertEquals(0, b.awaitExit(SETTLE), b.log());
        Eventually.await(SETTLE, () -> a.statusOf("b").equals("left"), () -> a.cli("members").output());
    }

    private RumorAgent start(RumorAgent.Builder builder) {
        // "local" timing: failure detection in a few seconds instead of LAN's longer suspicion timeouts
        RumorAgent agent = builder.arg("-profile=local").start();
        agents.add(agent);
        return agent;
    }
}
