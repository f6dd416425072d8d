package dev.rumor.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario of the original Serf walkthrough, typed as an operator would with the packaged launcher:
 * two agents started with serf-style flags ({@code -node -bind -rpc-addr -tag -event-handler}), then
 * {@code rumor join}, {@code rumor members}, {@code rumor event deploy}. Both member-join handlers log the
 * join, and the deploy handler runs.
 */
class SeedScenarioIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static List<String> lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Test
    void twoAgentsJoinAndRunTheirHandlers() throws Exception {
        Path one = dir.resolve("one.log");
        Path two = dir.resolve("two.log");
        Path deploy = dir.resolve("deploy.log");
        try (RumorAgent a = RumorAgent.builder("agent-one", dir)
                     .arg("-tag", "role=web", "-event-handler", "member-join=echo member joined >> " + one,
                             "-event-handler", "user:deploy=echo \"$SERF_SELF_NAME deploying $(cat)\" >> " + deploy)
                     .start();
             RumorAgent b = RumorAgent.builder("agent-two", dir)
                     .arg("-tag", "role=db", "-event-handler", "member-join=echo member joined >> " + two)
                     .start()) {
            CliResult join = b.cli("join", a.gossipAddress());
            assertEquals("Successfully joined cluster by contacting 1 nodes.", join.output().strip(), join.output());

            Eventually.await(WAIT, () -> lines(one).contains("member joined") && lines(two).contains("member joined"),
                    () -> "handler output: " + lines(one) + " / " + lines(two));

            CliResult members = a.cli("members");
            assertEquals(0, members.exitCode(), members.output());
            List<String> rows = members.output().strip().lines().toList();
            assertEquals(2, rows.size(), members.output());
            assertTrue(rows.stream().anyMatch(r -> r.matches("agent-one\\s+127\\.0\\.0\\.1:\\d+\\s+alive\\s+role=web")),
                    members.output());
            assertTrue(rows.stream().anyMatch(r -> r.matches("agent-two\\s+127\\.0\\.0\\.1:\\d+\\s+alive\\s+role=db")),
                    members.output());

            CliResult ev = b.cli("event", "deploy", "v1");
            assertEquals("Event 'deploy' dispatched! Coalescing enabled: true", ev.output().strip());
            Eventually.await(WAIT, () -> lines(deploy).contains("agent-one deploying v1"),
                    () -> "deploy handler output: " + lines(deploy));
        }
    }
}
