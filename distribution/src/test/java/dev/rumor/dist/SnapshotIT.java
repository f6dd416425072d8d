package dev.rumor.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started with {@code -snapshot} and stopped without leaving comes back on its own after a restart,
 * with no {@code -join}: the snapshot remembers its peers.
 */
class SnapshotIT {
    private static final Duration SETTLE = Duration.ofSeconds(45);

    @TempDir
    Path tmp;

    private final List<RumorAgent> agents = new ArrayList<>();

    @AfterEach
    void stopAgents() {
        agents.forEach(RumorAgent::close);
    }

    @Test
    void nodeRestartedWithItsSnapshotRejoinsByItself() {
        Path snapshot = tmp.resolve("b.snapshot");
        RumorAgent a = track(RumorAgent.builder("a", tmp).arg("-profile=local").start());
        RumorAgent b = track(RumorAgent.builder("b", tmp).arg("-profile=local", "-snapshot=" + snapshot)
                .join(a.gossipAddress()).start());
        Eventually.await(SETTLE, () -> a.statusOf("b").equals("alive"), () -> a.cli("members").output());

        b.signal("TERM"); // stop without leaving (leave_on_terminate is false)
        b.awaitExit(SETTLE);
        assertTrue(Files.exists(snapshot), "no snapshot written at " + snapshot);
        Eventually.await(SETTLE, () -> a.statusOf("b").equals("failed"), () -> a.cli("members").output());

        // Restarted without -join and on new ports: a cannot reconnect to it at the old address, so only b's
        // snapshot (a's address and the Lamport clocks) can bring it back into the cluster.
        RumorAgent again = track(RumorAgent.builder("b", tmp).arg("-profile=local", "-snapshot=" + snapshot)
                .start());
        Eventually.await(SETTLE, () -> a.statusOf("b").equals("alive"), () -> a.cli("members").output()
                + "\nrestarted b log:\n" + again.log());
        Eventually.await(SETTLE, () -> again.statusOf("a").equals("alive"), () -> again.cli("members").output());
    }

    private RumorAgent track(RumorAgent agent) {
        agents.add(agent);
        return agent;
    }
}
