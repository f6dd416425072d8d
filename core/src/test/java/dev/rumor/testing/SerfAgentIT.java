package dev.rumor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real-serf fixture checked against the real binary: a 3-agent cluster on loopback. */
class SerfAgentIT {
    private static final Duration CONVERGE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<SerfAgent> agents = new ArrayList<>();

    @AfterEach
    void stopAll() {
        agents.forEach(SerfAgent::close);
    }

    private SerfAgent start(SerfAgent.Builder b) {
        SerfAgent a = b.start();
        agents.add(a);
        return a;
    }

    private static String describe(List<SerfAgent> agents) {
        StringBuilder sb = new StringBuilder();
        for (SerfAgent a : agents) {
            sb.append('\n').append(a.name()).append(" sees ");
            try {
                sb.append(a.members());
            } catch (RuntimeException e) {
                sb.append(e.getMessage());
            }
        }
        return sb.toString();
    }

    @Test
    void threeAgentsConvergeAndDetectAKilledOne() {
        SerfAgent alpha = start(SerfAgent.builder("alpha", dir).tag("role", "web").tag("dc", "east"));
        SerfAgent beta = start(SerfAgent.builder("beta", dir).join(alpha.gossipAddress()));
        SerfAgent gamma = start(SerfAgent.builder("gamma", dir));
        gamma.join(alpha.gossipAddress());

        List<SerfAgent> all = List.of(alpha, beta, gamma);
        Eventually.await(CONVERGE, () -> all.stream().allMatch(a -> {
            List<SerfMember> ms = a.members();
            return ms.size() == 3 && ms.stream().allMatch(SerfMember::isAlive);
        }), () -> describe(all));

        SerfMember seenByGamma = gamma.member("alpha").orElseThrow();
        assertEquals(alpha.gossipAddress(), seenByGamma.addr());
        assertEquals(alpha.gossipPort(), seenByGamma.port());
        assertEquals(Map.of("role", "web", "dc", "east"), seenByGamma.tags());

        CliResult ev = alpha.event("deploy", "v1");
        assertTrue(ev.ok(), ev.output());
        assertTrue(ev.output().contains("Event 'deploy' dispatched"), ev.output());

        gamma.kill();
        assertFalse(gamma.isRunning());
        Eventually.await(CONVERGE, () -> alpha.statusOf("gamma").equals("failed") && beta.statusOf("gamma").equals("failed"),
                () -> describe(List.of(alpha, beta)));

        beta.leave();
        assertFalse(beta.isRunning());
        Eventually.await(CONVERGE, () -> alpha.statusOf("beta").equals("left"), () -> describe(List.of(alpha)));
        assertTrue(alpha.log().contains("EventMemberFailed: gamma"), alpha.log());
    }

    @Test
    void cliReportsFailuresWithExitCodeAndOutput() {
        SerfAgent solo = start(SerfAgent.builder("solo", dir));
        CliResult r = solo.cli("join", "127.0.0.1:" + FreePorts.tcpPort());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.output().contains("Failed to join"), r.output());
        assertThrows(IllegalStateException.class, () -> solo.join("127.0.0.1:" + FreePorts.tcpPort()));
        assertEquals(List.of("solo"), solo.members().stream().map(SerfMember::name).toList());
        solo.stop();
        assertFalse(solo.isRunning());
        assertNotEquals(0, solo.cli("members").exitCode());
    }

    @Test
    void parsesTheMembersJsonIncludingTheEmptyCase() {
        String json = """
                {"members": [{"name": "a", "addr": "127.0.0.1:7946", "port": 7946, "tags": {"role": "web"},
                  "status": "failed", "protocol": {"max": 5, "min": 2, "version": 5}}]}""";
        assertEquals(List.of(new SerfMember("a", "127.0.0.1:7946", 7946, "failed", Map.of("role", "web"))),
                SerfAgent.parseMembers(json));
        assertEquals(List.of(), SerfAgent.parseMembers("{\"members\": null}"));
    }
}
