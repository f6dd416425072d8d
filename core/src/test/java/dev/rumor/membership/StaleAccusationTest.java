package dev.rumor.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.membership.wire.Message;
import dev.rumor.membership.wire.Message.Alive;
import dev.rumor.membership.wire.Message.Dead;
import dev.rumor.membership.wire.Message.Suspect;
import dev.rumor.testing.SimulatedCluster;
import dev.rumor.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A suspicion gossiped about a node that the receiver holds alive at a higher incarnation is answered with
 * that alive, sent to the gossiping node (which missed the refutation and would otherwise keep its stale view
 * until a push/pull, and could fail the node alone). memberlist only drops it. A stale failure is not answered.
 */
class StaleAccusationTest {

    @Test
    void aStaleSuspicionIsAnsweredWithTheAliveWeHoldAndAStaleFailureOrACurrentSuspicionIsNot() throws Exception {
        try (SimulatedCluster c = new SimulatedCluster(11)) {
            List<String> names = c.startAll("n", 3);
            c.joinAll(names, "n0");
            assertTrue(c.runUntil(() -> c.allSeeAlive(names, 3), Duration.ofSeconds(30)));
            // n2 refutes a suspicion, so its incarnation is above what a stale view holds.
            Memberlist n0 = c.node("n0");
            WireFormat wire = CodecWireFormat.of(n0.config());
            long before = n0.node("n2").incarnation();
            Transport accuser = c.network().transport("stale");
            List<Message> received = new ArrayList<>();
            accuser.onPacket(p -> {
                try {
                    received.addAll(wire.decodePacket(p.buf(), e -> { }));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            send(accuser, c, "n2", wire, new Suspect(before, "n2", "stale"));
            assertTrue(c.runUntil(() -> n0.node("n2").incarnation() > before, Duration.ofSeconds(10)),
                    "n2 hears the suspicion and refutes it");
            c.runFor(Duration.ofSeconds(5));
            long current = n0.node("n2").incarnation();
            received.clear();

            // Stale: a suspicion at the old incarnation, gossiped by "stale" to n0, twice.
            send(accuser, c, "n0", wire, new Suspect(before, "n2", "stale"));
            send(accuser, c, "n0", wire, new Suspect(before, "n2", "stale"));
            c.runFor(Duration.ofMillis(100));
            assertEquals(2, received.size(), "one answer per stale suspicion: " + received);
            for (Message m : received) {
                Alive a = (Alive) m;
                assertEquals("n2", a.node());
                assertEquals(current, a.incarnation());
                assertEquals(n0.node("n2").port(), a.port());
            }
            assertEquals(2, n0.stats().staleSuspicionsAnswered());
            assertEquals(NodeStatus.ALIVE, n0.node("n2").status(), "a stale suspicion changes nothing");

            // A stale failure may be true (a crash after a refutation the declarer missed): not answered.
            received.clear();
            send(accuser, c, "n0", wire, new Dead(before, "n2", "stale"));
            c.runFor(Duration.ofMillis(100));
            assertEquals(List.of(), received);
            assertEquals(NodeStatus.ALIVE, n0.node("n2").status());

            // Current: not answered; n0 takes it up (and n2, told at once, refutes it).
            received.clear();
            send(accuser, c, "n0", wire, new Suspect(current, "n2", "stale"));
            assertTrue(c.runUntil(() -> n0.node("n2").incarnation() > current, Duration.ofSeconds(10)));
            assertEquals(List.of(), received);
            assertEquals(2, n0.stats().staleSuspicionsAnswered());
        }
    }

    private static void send(Transport from, SimulatedCluster c, String to, WireFormat wire, Message m)
            throws java.io.IOException {
        from.sendPacket(c.network().address(to), wire.encodePacket(List.of(wire.encode(m)), false));
    }
}
