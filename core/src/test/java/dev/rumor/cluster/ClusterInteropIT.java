package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.membership.MembershipConfig;
import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.SerfAgent;
import dev.rumor.time.ExecutorScheduler;
import dev.rumor.transport.NetTransport;
import dev.rumor.transport.NetTransportConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The serf layer against real serf agents on loopback: a Java {@link Cluster} joins two real agents and
 * exchanges intents, user events, queries, tags and a graceful leave with them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterInteropIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private SerfAgent alpha;
    private SerfAgent beta;
    private Path seen;
    private ExecutorScheduler scheduler;
    private Cluster java;
    private final List<ClusterEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        seen = dir.resolve("seen.txt");
        Path handler = dir.resolve("handler.sh");
        Files.writeString(handler, "#!/bin/sh\necho \"$SERF_SELF_NAME $SERF_EVENT $SERF_USER_EVENT $(cat)\" >> "
                + seen + "\n");
        Files.setPosixFilePermissions(handler, PosixFilePermissions.fromString("rwxr-xr-x"));
        alpha = SerfAgent.builder("alpha", dir).tag("role", "web").start();
        beta = SerfAgent.builder("beta", dir).tag("role", "db").eventHandler("user:java-ev=" + handler)
                .join(alpha.gossipAddress()).start();

        NetTransport transport = NetTransport.bind(NetTransportConfig.bind(InetAddress.getLoopbackAddress(), 0));
        scheduler = new ExecutorScheduler("java-serf");
        ClusterConfig config = ClusterConfig.defaults(MembershipConfig.lan("java")).withTags(Map.of("role", "java"));
        java = Cluster.create(config, transport, scheduler, e -> {
            events.add(e);
            if (e instanceof ClusterEvent.QueryEvent q && q.query().name().equals("who")) {
                q.query().respond("java says hi".getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    @AfterAll
    void stop() {
        if (java != null) {
            java.shutdown();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        for (SerfAgent a : new SerfAgent[] {alpha, beta}) {
            if (a != null) {
                a.close();
            }
        }
    }

    private boolean javaSeesAlive(String... names) {
        for (String n : names) {
            Member m = java.member(n);
            if (m == null || m.status() != MemberStatus.ALIVE) {
                return false;
            }
        }
        return true;
    }

    @Test
    @Order(1)
    void javaJoinsRealAgents() throws Exception {
        int n = java.join(List.of(alpha.gossipSocketAddress()), true).get(10, TimeUnit.SECONDS);
        assertEquals(1, n);
        Eventually.await(WAIT, () -> javaSeesAlive("alpha", "beta", "java")
                && "alive".equals(alpha.statusOf("java")) && "alive".equals(beta.statusOf("java")),
                () -> "java sees " + java.members() + "; alpha sees " + alpha.members());
        assertEquals(Map.of("role", "java"), alpha.member("java").orElseThrow().tags());
        assertEquals(Map.of("role", "db"), java.member("beta").tags());
        assertEquals(5, java.member("alpha").delegateCur());
    }

    @Test
    @Order(2)
    void realUserEventReachesJavaOnce() {
        CliResult r = alpha.event("deploy", "v1");
        assertTrue(r.ok(), r.output());
        Eventually.await(WAIT, () -> events.stream().anyMatch(e -> e instanceof ClusterEvent.UserEvent u
                && u.name().equals("deploy")), () -> "events: " + events);
        // a later event as a barrier instead of a sleep: duplicates of "deploy" would have arrived before it
        assertTrue(beta.event("barrier", "").ok());
        Eventually.await(WAIT, () -> events.stream().anyMatch(e -> e instanceof ClusterEvent.UserEvent u
                && u.name().equals("barrier")), () -> "events: " + events);
        List<ClusterEvent.UserEvent> got = events.stream().filter(e -> e instanceof ClusterEvent.UserEvent u
                && u.name().equals("deploy")).map(e -> (ClusterEvent.UserEvent) e).toList();
        assertEquals(1, got.size(), got.toString());
        assertEquals("v1", new String(got.get(0).payload(), StandardCharsets.UTF_8));
        assertTrue(got.get(0).coalesce(), "serf CLI default is coalescing");
    }

    @Test
    @Order(3)
    void javaUserEventRunsARealHandler() throws Exception {
        java.userEvent("java-ev", "hello".getBytes(StandardCharsets.UTF_8), false).get(5, TimeUnit.SECONDS);
        Eventually.await(WAIT, () -> Files.exists(seen) && read().contains("beta user java-ev hello"),
                () -> "handler output: " + read());
    }

    private String read() {
        try {
            return Files.exists(seen) ? Files.readString(seen) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    @Order(4)
    void realTagFilteredQueryIsAnsweredByJava() {
        CliResult r = alpha.cli("query", "-tag", "role=java", "-format=json", "who", "x");
        assertTrue(r.ok(), r.output());
        assertTrue(r.output().contains("java says hi"), r.output());
        assertTrue(r.output().contains("\"java\""), r.output());
    }

    @Test
    @Order(5)
    void javaPingQueryIsAckedByRealAgents() throws Exception {
        QueryResponses q = java.query(InternalQueries.PING, null, QueryParams.defaults().withRequestAck(true))
                .get(5, TimeUnit.SECONDS);
        q.done().get(15, TimeUnit.SECONDS);
        assertEquals(Set.of("alpha", "beta", "java"), q.acks());
        assertEquals(3, q.expected());
    }

    @Test
    @Order(6)
    void javaQueryGetsRealResponses() throws Exception {
        // real agents answer only through handlers: none is registered for "who", so only java answers
        QueryResponses q = java.query("who", null, QueryParams.defaults().withRequestAck(true))
                .get(5, TimeUnit.SECONDS);
        q.done().get(15, TimeUnit.SECONDS);
        assertEquals(Set.of("alpha", "beta", "java"), q.acks());
        assertEquals(List.of("java"), q.responses().stream().map(NodeResponse::from).collect(Collectors.toList()));
    }

    @Test
    @Order(7)
    void tagChangeIsSeenByRealAgents() throws Exception {
        java.setTags(Map.of("role", "java2", "dc", "lab")).get(10, TimeUnit.SECONDS);
        Eventually.await(WAIT, () -> alpha.member("java").map(m -> m.tags().equals(Map.of("role", "java2",
                "dc", "lab"))).orElse(false), () -> "alpha sees " + alpha.members());
    }

    @Test
    @Order(8)
    void realLeaveIsLeftInJava() {
        beta.leave();
        Eventually.await(WAIT, () -> java.member("beta") != null && java.member("beta").status() == MemberStatus.LEFT,
                () -> "java sees " + java.members());
        assertTrue(events.stream().noneMatch(e -> e.type() == ClusterEvent.Type.MEMBER_FAILED),
                "no member-failed: " + events);
    }

    @Test
    @Order(9)
    void javaGracefulLeaveIsLeftInRealAgent() throws Exception {
        java.leave().get(15, TimeUnit.SECONDS);
        assertEquals(Cluster.State.LEFT, java.state());
        java.shutdown();
        Eventually.await(WAIT, () -> "left".equals(alpha.statusOf("java")), () -> "alpha sees " + alpha.members());
        assertTrue(!alpha.log().contains("EventMemberFailed: java"), alpha.log());
    }
}
