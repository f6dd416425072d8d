package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.coordinate.Coordinate;
import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.RumorNode;
import dev.rumor.testing.SerfAgent;
import dev.rumor.testing.SerfMember;
import dev.rumor.testing.WorkDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The serf layer against the real {@code serf} agent and CLI on loopback, in both directions: two serf agents
 * (alpha, beta, each with an event handler script that logs every event to a file and answers queries) and a
 * Rumor node form one cluster for the whole class; nodes that must leave or fail are extra Rumor nodes
 * started by their own test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MixedClusterInteropIT {
    private static final Duration CONVERGE = Duration.ofSeconds(20);
    /** Failure detection with Lifeguard can take up to the 24 s max suspicion timeout without confirmations. */
    private static final Duration DETECT = Duration.ofSeconds(35);

    private Path dir;
    private SerfAgent alpha;
    private SerfAgent beta;
    private SerfAgent gamma;
    private SerfAgent delta;
    private RumorNode rumor;
    private final List<RumorNode> extra = new ArrayList<>();

    @BeforeAll
    void startCluster() throws IOException {
        dir = WorkDir.create("cluster-interop-");
        Path handler = dir.resolve("handler.sh");
        Files.writeString(handler, """
                #!/bin/sh
                out="$(dirname "$0")/$SERF_SELF_NAME-events.txt"
                payload="$(cat)"
                echo "$SERF_EVENT|$SERF_USER_EVENT$SERF_QUERY_NAME|$payload" | tr '\\n\\t' ' ,' >> "$out"
                echo >> "$out"
                if [ "$SERF_EVENT" = query ]; then echo "resp-from-$SERF_SELF_NAME:$SERF_QUERY_NAME"; fi
                """);
        Files.setPosixFilePermissions(handler, PosixFilePermissions.fromString("rwxr-xr-x"));
        alpha = SerfAgent.builder("alpha", dir).tag("role", "web").eventHandler(handler.toString()).start();
        beta = SerfAgent.builder("beta", dir).tag("role", "db").eventHandler(handler.toString())
                .join(alpha.gossipAddress()).start();
        rumor = RumorNode.builder("rumor").tag("role", "java").tag("lang", "jvm")
                .respondWith(q -> ("pong from rumor:" + q.name()).getBytes(StandardCharsets.UTF_8)).start();
        rumor.join(alpha);
        Eventually.await(CONVERGE, () -> allAlive(Set.of("alpha", "beta", "rumor")), this::describe);
    }

    @AfterAll
    void stopCluster() {
        extra.forEach(RumorNode::close);
        if (rumor != null) {
            rumor.close();
        }
        for (SerfAgent a : new SerfAgent[] {delta, gamma, beta, alpha}) {
            if (a != null) {
                a.close();
            }
        }
        WorkDir.delete(dir);
    }

    private boolean allAlive(Set<String> names) {
        for (SerfAgent a : List.of(alpha, beta)) {
            Set<String> alive = a.members().stream().filter(SerfMember::isAlive).map(SerfMember::name)
                    .collect(Collectors.toSet());
            if (!alive.containsAll(names)) {
                return false;
            }
        }
        return names.stream().allMatch(n -> rumor.statusOf(n) == MemberStatus.ALIVE);
    }

    private String describe() {
        StringBuilder sb = new StringBuilder();
        for (SerfAgent a : List.of(alpha, beta)) {
            sb.append('\n').append(a.name()).append(" sees ");
            try {
                sb.append(a.members());
            } catch (RuntimeException e) {
                sb.append(e.getMessage());
            }
        }
        sb.append('\n').append(rumor);
        for (RumorNode n : extra) {
            sb.append('\n').append(n);
        }
        return sb.toString();
    }

    private List<String> handlerLines(SerfAgent a) {
        try {
            Path f = dir.resolve(a.name() + "-events.txt");
            return Files.exists(f) ? Files.readAllLines(f) : List.of();
        } catch (IOException e) {
            return List.of("unreadable: " + e);
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * The nodes named in {@code serf query} output lines starting with {@code prefix}. Lines naming '' are left
     * out: the real agent streams empty acks/responses when serf closes the query's channels just before the
     * IPC stream's own deadline timer fires (a race in serf's ipc_query_response_stream.go).
     */
    private static Set<String> named(String output, String prefix) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(prefix) + " '([^']+)'").matcher(output);
        Set<String> out = new java.util.HashSet<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private RumorNode startExtra(String name) {
        RumorNode n = RumorNode.builder(name).tag("role", "temp").start();
        extra.add(n);
        n.join(beta);
        Eventually.await(CONVERGE, () -> allAlive(Set.of(name)) && n.statusOf("alpha") == MemberStatus.ALIVE,
                this::describe);
        return n;
    }

    private static Map<String, String> responses(QueryResponses q) {
        Map<String, String> out = new java.util.HashMap<>();
        for (NodeResponse r : q.responses()) {
            out.put(r.from(), r.payload() == null ? "" : new String(r.payload(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    @Order(1)
    void serfMembersShowsTheRumorNodeWithItsTags() {
        for (SerfAgent a : List.of(alpha, beta)) {
            SerfMember m = a.member("rumor").orElseThrow();
            assertEquals(Map.of("role", "java", "lang", "jvm"), m.tags(), a.name());
            assertEquals(rumor.gossipAddress(), m.addr());
            assertEquals("alive", m.status());
        }
        CliResult detailed = alpha.cli("members", "-detailed", "-name=rumor");
        assertTrue(detailed.output().contains("Protocol Version: 5"), detailed.output());
        assertTrue(detailed.output().contains("Available Protocol Range: [2, 5]"), detailed.output());
        // and the other way round
        assertEquals(Map.of("role", "web"), rumor.member("alpha").orElseThrow().tags());
        assertEquals(Map.of("role", "db"), rumor.member("beta").orElseThrow().tags());
        assertEquals(alpha.gossipSocketAddress(), rumor.member("alpha").orElseThrow().address());
    }

    @Test
    @Order(2)
    void serfEventReachesTheRumorNodeOnce() {
        CliResult r = alpha.cli("event", "-coalesce=false", "deploy", "v1.2");
        assertTrue(r.ok(), r.output());
        Eventually.await(CONVERGE, () -> rumor.userEvents().stream().anyMatch(e -> e.name().equals("deploy")),
                () -> "events: " + rumor.events());
        List<ClusterEvent.UserEvent> got = rumor.userEvents().stream().filter(e -> e.name().equals("deploy")).toList();
        assertEquals(1, got.size(), got.toString());
        assertEquals("v1.2", new String(got.get(0).payload(), StandardCharsets.UTF_8));
        assertFalse(got.get(0).coalesce());

        CliResult coalesced = beta.cli("event", "batch", "x");
        assertTrue(coalesced.ok(), coalesced.output());
        Eventually.await(CONVERGE, () -> rumor.userEvents().stream().anyMatch(e -> e.name().equals("batch")),
                () -> "events: " + rumor.events());
        assertTrue(rumor.userEvents().stream().filter(e -> e.name().equals("batch")).allMatch(
                ClusterEvent.UserEvent::coalesce));
    }

    @Test
    @Order(3)
    void rumorEventReachesSerfEventHandlers() {
        RumorNode.await(rumor.cluster().userEvent("from-rumor", "hello serf".getBytes(StandardCharsets.UTF_8), false));
        for (SerfAgent a : List.of(alpha, beta)) {
            Eventually.await(CONVERGE, () -> handlerLines(a).contains("user|from-rumor|hello serf "),
                    () -> a.name() + " handler saw " + handlerLines(a));
        }
        assertEquals(1, rumor.userEvents().stream().filter(e -> e.name().equals("from-rumor")).count(),
                "the originator delivers its own event once");
        assertEquals(1, handlerLines(alpha).stream().filter(l -> l.startsWith("user|from-rumor|")).count());
    }

    @Test
    @Order(4)
    void serfQueryGetsAnAckAndAResponseFromTheRumorNode() {
        CliResult r = alpha.cli("query", "-timeout=3s", "ping-me", "hello");
        assertTrue(r.ok(), r.output());
        String out = r.output();
        assertTrue(out.contains("Ack from 'rumor'"), out);
        assertTrue(out.contains("Response from 'rumor': pong from rumor:ping-me"), out);
        assertTrue(out.contains("Response from 'beta': resp-from-beta:ping-me"), out);
        assertEquals(Set.of("alpha", "beta", "rumor"), named(out, "Ack from"), out);
        assertEquals(Set.of("alpha", "beta", "rumor"), named(out, "Response from"), out);
        IncomingQuery q = rumor.queries().stream().filter(x -> x.name().equals("ping-me")).findFirst().orElseThrow();
        assertEquals("alpha", q.sourceNode());
        assertEquals("hello", new String(q.payload(), StandardCharsets.UTF_8));
    }

    @Test
    @Order(5)
    void serfQueryTagFilterSelectsOrExcludesTheRumorNode() {
        CliResult java = alpha.cli("query", "-no-ack", "-timeout=1s", "-tag", "role=jav.*", "filt-java", "x");
        assertTrue(java.ok(), java.output());
        assertTrue(java.output().contains("Response from 'rumor': pong from rumor:filt-java"), java.output());
        assertEquals(Set.of("rumor"), named(java.output(), "Response from"), java.output());

        CliResult db = alpha.cli("query", "-timeout=2s", "-tag", "role=db", "filt-db", "x");
        assertTrue(db.ok(), db.output());
        assertTrue(db.output().contains("Response from 'beta'"), db.output());
        assertFalse(db.output().contains("'rumor'"), db.output());
        assertEquals(Set.of("beta"), named(db.output(), "Ack from"), db.output());
        assertEquals(Set.of("beta"), named(db.output(), "Response from"), db.output());
        assertTrue(rumor.queries().stream().noneMatch(q -> q.name().equals("filt-db")),
                "a query whose filter does not match is not delivered");

        CliResult byName = alpha.cli("query", "-timeout=1s", "-node=rumor", "filt-node", "x");
        assertTrue(byName.output().contains("Ack from 'rumor'"), byName.output());
        assertEquals(Set.of("rumor"), named(byName.output(), "Ack from"), byName.output());
        assertEquals(Set.of("rumor"), named(byName.output(), "Response from"), byName.output());
    }

    @Test
    @Order(6)
    void serfQueryWithRelayIsRelayedByTheRumorNodeResponder() {
        int before = count(beta.log(), "Relaying response to addr: " + alpha.gossipAddress());
        // only rumor answers; with relay factor 2 it must also send its ack and response through alpha and beta
        CliResult r = alpha.cli("query", "-timeout=3s", "-node=rumor", "-relay-factor=2", "relayed", "x");
        assertTrue(r.ok(), r.output());
        assertEquals(1, count(r.output(), "Response from 'rumor'"), r.output());
        assertEquals(Set.of("rumor"), named(r.output(), "Ack from"), r.output());
        // relays are drawn as in serf (3n random tries), so beta is very likely, not certain, to carry both
        Eventually.await(CONVERGE, () -> count(beta.log(), "Relaying response to addr: " + alpha.gossipAddress())
                > before, () -> "beta relayed nothing for rumor (rumor sent beta " + rumor.sentPackets(
                        beta.gossipSocketAddress(), p -> p.length > 1 && p[0] == 8 && p[1] == 9) + " relay packets):\n"
                        + beta.log());
    }

    @Test
    @Order(7)
    void rumorQueryGetsAcksAndResponsesFromSerfAgents() {
        QueryResponses q = RumorNode.await(rumor.cluster().query("ping-me", "x".getBytes(StandardCharsets.UTF_8),
                QueryParams.defaults().withRequestAck(true).withTimeout(Duration.ofSeconds(5))));
        RumorNode.await(q.done());
        assertEquals(Set.of("alpha", "beta", "rumor"), q.acks());
        Map<String, String> got = responses(q);
        assertEquals("resp-from-alpha:ping-me\n", got.get("alpha"));
        assertEquals("resp-from-beta:ping-me\n", got.get("beta"));
        assertEquals("pong from rumor:ping-me", got.get("rumor"));
        assertEquals(3, q.expected());
        assertTrue(System.currentTimeMillis() < q.deadlineMillis(), "finished early once everyone answered");
    }

    @Test
    @Order(8)
    void rumorQueryWithATagFilterIsAnsweredOnlyByMatchingSerfAgents() {
        QueryResponses q = RumorNode.await(rumor.cluster().query("tagged", null, QueryParams.defaults()
                .withRequestAck(true).withFilterTags(Map.of("role", "d.")).withTimeout(Duration.ofSeconds(4))));
        RumorNode.await(q.done());
        assertEquals(1, q.expected());
        assertEquals(Set.of("beta"), q.acks());
        assertEquals(Map.of("beta", "resp-from-beta:tagged\n"), responses(q));
        assertTrue(handlerLines(alpha).stream().noneMatch(l -> l.startsWith("query|tagged|")), handlerLines(alpha)
                .toString());
    }

    @Test
    @Order(9)
    void rumorQueryWithRelayIsRelayedBySerfAgents() {
        int before = count(beta.log(), "Relaying response to addr: " + rumor.gossipAddress());
        QueryResponses q = RumorNode.await(rumor.cluster().query("relay-me", null, QueryParams.defaults()
                .withRequestAck(true).withFilterNodes(List.of("alpha")).withRelayFactor(2)
                .withTimeout(Duration.ofSeconds(4))));
        RumorNode.await(q.done());
        assertEquals(Set.of("alpha"), q.acks());
        assertEquals(Map.of("alpha", "resp-from-alpha:relay-me\n"), responses(q));
        assertEquals(1, q.responses().size(), "relayed duplicates are dropped");
        // alpha relays its ack and its response through beta (and through rumor itself)
        Eventually.await(CONVERGE, () -> count(beta.log(), "Relaying response to addr: " + rumor.gossipAddress())
                > before, () -> "beta relayed nothing for alpha:\n" + beta.log());
    }

    @Test
    @Order(10)
    void theRumorNodeForwardsRelayedResponses() {
        // beta answers alpha's query and relays copies through the two other members, one of them rumor,
        // which must forward "05 {From: beta ...}" as a user message to alpha
        java.util.function.Predicate<byte[]> relayedFromBeta = p -> p.length > 2 && p[0] == 8 && p[1] == 5
                && new String(p, StandardCharsets.ISO_8859_1).contains("beta");
        long before = rumor.sentPackets(alpha.gossipSocketAddress(), relayedFromBeta);
        CliResult r = alpha.cli("query", "-timeout=2s", "-node=beta", "-relay-factor=2", "via-rumor", "x");
        assertTrue(r.ok(), r.output());
        assertEquals(1, count(r.output(), "Response from 'beta'"), r.output());
        Eventually.await(CONVERGE, () -> rumor.sentPackets(alpha.gossipSocketAddress(), relayedFromBeta) > before,
                () -> "rumor forwarded nothing to alpha");
        assertTrue(rumor.queries().stream().noneMatch(q -> q.name().equals("via-rumor")));
    }

    @Test
    @Order(11)
    void tagUpdatesPropagateBothWays() {
        RumorNode.await(rumor.cluster().setTags(Map.of("role", "java", "lang", "jvm", "zone", "z1")));
        for (SerfAgent a : List.of(alpha, beta)) {
            Eventually.await(CONVERGE, () -> "z1".equals(a.member("rumor").orElseThrow().tags().get("zone")),
                    () -> a.name() + " sees " + a.members());
            Eventually.await(CONVERGE, () -> handlerLines(a).stream().anyMatch(l -> l.startsWith("member-update||rumor")
                    && l.contains("zone=z1")), () -> a.name() + " handler saw " + handlerLines(a));
        }

        CliResult r = beta.cli("tags", "-set", "zone=z2", "-delete", "role");
        assertTrue(r.ok(), r.output());
        Eventually.await(CONVERGE, () -> Map.of("zone", "z2").equals(rumor.member("beta").orElseThrow().tags()),
                this::describe);
        assertTrue(rumor.memberEvents(ClusterEvent.Type.MEMBER_UPDATE, "beta") >= 1, rumor.events().toString());
        assertEquals(MemberStatus.ALIVE, rumor.statusOf("beta"));
    }

    @Test
    @Order(12)
    void serfReachabilityCountsTheRumorNode() {
        CliResult r = alpha.cli("reachability", "-verbose");
        if (r.output().contains("from ''")) {
            r = alpha.cli("reachability", "-verbose"); // serf's closed-channel race (see named()); once more
        }
        assertTrue(r.ok(), r.output());
        assertTrue(r.output().contains("Total members: 3, live members: 3"), r.output());
        assertTrue(r.output().contains("Ack from 'rumor'"), r.output());
        assertTrue(r.output().contains("Successfully contacted all live nodes"), r.output());
    }

    @Test
    @Order(13)
    void serfRttToTheRumorNodeIsFinite() {
        Pattern p = Pattern.compile("Estimated rumor <-> alpha rtt: ([0-9.]+) ms");
        String[] last = {""};
        Eventually.await(CONVERGE, () -> {
            CliResult r = alpha.cli("rtt", "rumor");
            last[0] = r.output();
            return r.ok() && p.matcher(r.output()).find();
        }, () -> last[0]);
        Matcher m = p.matcher(last[0]);
        assertTrue(m.find());
        double ms = Double.parseDouble(m.group(1));
        assertTrue(Double.isFinite(ms) && ms >= 0 && ms < 1000, last[0]);

        // and the Rumor side has a coordinate for the agent
        Eventually.await(CONVERGE, () -> rumor.cluster().cachedCoordinate("alpha") != null, this::describe);
        Coordinate own = rumor.cluster().coordinate();
        assertNotNull(own);
        double s = own.distanceSecondsTo(rumor.cluster().cachedCoordinate("alpha"));
        assertTrue(Double.isFinite(s) && s >= 0 && s < 1, "estimate " + s);
    }

    @Test
    @Order(14)
    void forceLeaveOfAnAliveNodeIsRefutedInBothDirections() {
        int rumorJoinIntents = count(beta.log(), "messageJoinType: rumor");
        CliResult r = alpha.cli("force-leave", "rumor");
        assertTrue(r.ok(), r.output());
        RumorNode.await(rumor.cluster().forceLeave("beta", false));
        // A force-leave intent that gossip never brings to its target is refuted at the target's next push/pull
        // with either agent (30 s interval each), hence the longer wait. Seen once under CI load: both serf
        // agents kept the Rumor node leaving for 20 s, most likely because the intent had missed it.
        Eventually.await(DETECT, () -> allAlive(Set.of("alpha", "beta", "rumor")), this::describe);
        // the leave intents did arrive and were answered by fresh join intents
        Eventually.await(CONVERGE, () -> beta.log().contains("messageLeaveType: rumor")
                && count(beta.log(), "messageJoinType: rumor") > rumorJoinIntents
                && beta.log().contains("Refuting an older leave intent"), beta::log);
        assertEquals(Cluster.State.ALIVE, rumor.cluster().state());
        assertTrue(beta.isRunning());
        assertEquals(0, rumor.memberEvents(ClusterEvent.Type.MEMBER_LEAVE, "beta"));
        assertEquals(0, rumor.memberEvents(ClusterEvent.Type.MEMBER_FAILED, "beta"));
        for (SerfAgent a : List.of(alpha, beta)) {
            assertFalse(a.log().contains("EventMemberLeave: rumor"), a.log());
        }
    }

    @Test
    @Order(15)
    void serfForceLeaveTurnsAFailedRumorNodeIntoLeft() {
        RumorNode victim = startExtra("victim");
        victim.close();
        for (SerfAgent a : List.of(alpha, beta)) {
            Eventually.await(DETECT, () -> a.statusOf("victim").equals("failed"), this::describe);
        }
        Eventually.await(CONVERGE, () -> rumor.statusOf("victim") == MemberStatus.FAILED, this::describe);
        CliResult r = alpha.cli("force-leave", "victim");
        assertTrue(r.ok(), r.output());
        // the intent is gossiped only a few times; should it miss a node, push/pull anti-entropy repairs it
        for (SerfAgent a : List.of(alpha, beta)) {
            Eventually.await(DETECT, () -> a.statusOf("victim").equals("left"), this::describe);
        }
        Eventually.await(DETECT, () -> rumor.statusOf("victim") == MemberStatus.LEFT, this::describe);
        assertEquals(1, rumor.memberEvents(ClusterEvent.Type.MEMBER_FAILED, "victim"));
        assertEquals(1, rumor.memberEvents(ClusterEvent.Type.MEMBER_LEAVE, "victim"));
    }

    @Test
    @Order(16)
    void rumorForceLeaveWithPruneErasesAKilledSerfAgentEverywhere() {
        delta = SerfAgent.builder("delta", dir).join(alpha.gossipAddress()).start();
        Eventually.await(CONVERGE, () -> allAlive(Set.of("delta")), this::describe);
        delta.kill();
        Eventually.await(DETECT, () -> rumor.statusOf("delta") == MemberStatus.FAILED
                && alpha.statusOf("delta").equals("failed") && beta.statusOf("delta").equals("failed"), this::describe);
        assertEquals(1, rumor.memberEvents(ClusterEvent.Type.MEMBER_FAILED, "delta"));

        RumorNode.await(rumor.cluster().forceLeave("delta", true));
        Eventually.await(CONVERGE, () -> alpha.statusOf("delta").equals("absent")
                && beta.statusOf("delta").equals("absent") && rumor.statusOf("delta") == null, this::describe);
        assertEquals(1, rumor.memberEvents(ClusterEvent.Type.MEMBER_LEAVE, "delta"));
        assertEquals(1, rumor.memberEvents(ClusterEvent.Type.MEMBER_REAP, "delta"));
        assertTrue(alpha.log().contains("EventMemberReap (forced): delta") || alpha.log().contains("EventMemberReap: delta"),
                alpha.log());
    }

    @Test
    @Order(17)
    void gracefulLeaveOfARumorNodeShowsLeftNeverFailed() {
        RumorNode leaver = startExtra("leaver");
        assertEquals(List.of(), leaver.userEvents(), "a joining node does not replay old user events");
        leaver.leave();
        for (SerfAgent a : List.of(alpha, beta)) {
            Eventually.await(CONVERGE, () -> a.statusOf("leaver").equals("left"), this::describe);
        }
        Eventually.await(CONVERGE, () -> rumor.statusOf("leaver") == MemberStatus.LEFT, this::describe);
        for (SerfAgent a : List.of(alpha, beta)) {
            assertFalse(a.log().contains("EventMemberFailed: leaver"), a.log());
            assertTrue(a.log().contains("EventMemberLeave: leaver"), a.log());
            // the agent's coalescer holds member events for up to 3 s before the handler runs
            Eventually.await(CONVERGE, () -> handlerLines(a).stream().anyMatch(l -> l.startsWith("member-leave||leaver")),
                    () -> a.name() + " handler saw " + handlerLines(a));
        }
        assertEquals(0, rumor.memberEvents(ClusterEvent.Type.MEMBER_FAILED, "leaver"));
        assertEquals(1, rumor.memberEvents(ClusterEvent.Type.MEMBER_LEAVE, "leaver"));
    }

    @Test
    @Order(18)
    void aRumorNodeRestartedOnTheSamePortAfterLeavingRejoins() {
        RumorNode first = startExtra("phoenix");
        int port = first.gossipPort();
        first.leave();
        for (SerfAgent a : List.of(alpha, beta)) {
            Eventually.await(CONVERGE, () -> a.statusOf("phoenix").equals("left"), this::describe);
        }
        // same name, same address, fresh incarnation and clocks: it must refute its own death to come back
        RumorNode again = RumorNode.builder("phoenix").tag("role", "reborn").port(port).start();
        extra.add(again);
        again.join(alpha);
        Eventually.await(CONVERGE, () -> allAlive(Set.of("phoenix")) && alpha.member("phoenix").orElseThrow().tags()
                .equals(Map.of("role", "reborn")), this::describe);
        again.leave();
        for (SerfAgent a : List.of(alpha, beta)) {
            Eventually.await(CONVERGE, () -> a.statusOf("phoenix").equals("left"), this::describe);
            assertFalse(a.log().contains("EventMemberFailed: phoenix"), a.log());
        }
    }

    @Test
    @Order(19)
    void serfAgentJoinsThroughTheRumorNodeAndItsGracefulLeaveIsLeftOnRumor() {
        gamma = SerfAgent.builder("gamma", dir).tag("role", "late").join(rumor.gossipAddress()).start();
        Eventually.await(CONVERGE, () -> allAlive(Set.of("gamma")) && gamma.statusOf("rumor").equals("alive")
                && gamma.statusOf("alpha").equals("alive"), this::describe);
        // the Rumor node's push/pull carried the event clock, so the newcomer does not replay old events
        assertFalse(gamma.log().contains("Received event: user-event"), gamma.log());
        assertEquals(Map.of("role", "late"), rumor.member("gamma").orElseThrow().tags());
        assertEquals(1, rumor.memberEvents(ClusterEvent.Type.MEMBER_JOIN, "gamma"));

        // ... unless it asks for a replay: then the events come from the ring in the Rumor node's push/pull
        try (SerfAgent replaying = SerfAgent.builder("epsilon", dir).arg("-replay").join(rumor.gossipAddress())
                .start()) {
            for (String event : List.of("deploy", "from-rumor")) {
                Eventually.await(CONVERGE, () -> replaying.log().contains("Received event: user-event: " + event),
                        replaying::log);
            }
            replaying.leave();
        }

        gamma.leave();
        Eventually.await(CONVERGE, () -> rumor.statusOf("gamma") == MemberStatus.LEFT, this::describe);
        assertEquals(0, rumor.memberEvents(ClusterEvent.Type.MEMBER_FAILED, "gamma"));
        assertEquals(1, rumor.memberEvents(ClusterEvent.Type.MEMBER_LEAVE, "gamma"));
    }

    @Test
    @Order(20)
    void aRumorNodeClaimingAnAgentsNameLosesTheConflictVoteAndQuits() {
        RumorNode impostor = RumorNode.builder("alpha").start();
        extra.add(impostor);
        impostor.join(beta);
        Eventually.await(CONVERGE, () -> impostor.cluster().state() == Cluster.State.SHUTDOWN,
                () -> "impostor still running: " + impostor + describe());
        assertTrue(alpha.isRunning());
        for (SerfAgent a : List.of(alpha, beta)) {
            assertEquals(alpha.gossipAddress(), a.member("alpha").orElseThrow().addr());
            assertEquals("alive", a.statusOf("alpha"));
        }
        assertEquals(alpha.gossipSocketAddress(), rumor.member("alpha").orElseThrow().address());
        assertEquals(MemberStatus.ALIVE, rumor.statusOf("alpha"));
    }

    @Test
    @Order(21)
    void serfAgentsLoggedNoDecodeOrProtocolErrors() {
        for (SerfAgent a : List.of(alpha, beta)) {
            // the impostor of the name-conflict scenario is the only expected complaint
            List<String> bad = a.log().lines().filter(l -> l.contains("[ERR]") || l.contains("[WARN]"))
                    .filter(l -> !l.contains("Conflicting address for alpha") && !l.contains("Name conflict for 'alpha'"))
                    // serf's agent writing to a serf CLI that had already exited (seen once in CI): agent-to-CLI
                    // IPC on loopback, neither gossip nor anything a Rumor node sent
                    .filter(l -> !l.contains("agent.ipc: Failed to stream response to ipc.client"))
                    .toList();
            assertEquals(List.of(), bad, a.name());
        }
    }
}
