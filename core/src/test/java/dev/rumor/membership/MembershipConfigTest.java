package dev.rumor.membership;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The profiles must match memberlist's DefaultLANConfig / DefaultWANConfig / DefaultLocalConfig (§6.1). */
class MembershipConfigTest {
    @Test
    void lan() {
        MembershipConfig c = MembershipConfig.lan("n");
        assertEquals(Duration.ofSeconds(10), c.tcpTimeout());
        assertEquals(3, c.indirectChecks());
        assertEquals(4, c.retransmitMult());
        assertEquals(4, c.suspicionMult());
        assertEquals(6, c.suspicionMaxTimeoutMult());
        assertEquals(Duration.ofSeconds(30), c.pushPullInterval());
        assertEquals(Duration.ofMillis(500), c.probeTimeout());
        assertEquals(Duration.ofSeconds(1), c.probeInterval());
        assertEquals(8, c.awarenessMaxMultiplier());
        assertEquals(3, c.gossipNodes());
        assertEquals(Duration.ofMillis(200), c.gossipInterval());
        assertEquals(Duration.ofSeconds(30), c.gossipToTheDeadTime());
        assertEquals(1024, c.handoffQueueDepth());
        assertEquals(1400, c.udpBufferSize());
        assertEquals(Duration.ZERO, c.deadNodeReclaimTime());
        assertEquals(7946, c.bindAddress().getPort());
        assertArrayEquals(new byte[] {1, 5, 2, 2, 5, 5}, c.vsn());
        assertFalse(c.independentSuspicions(), "memberlist's queue by default");
        assertEquals(1, Memberlist.suspectsPerNode(c));
        assertEquals(3, Memberlist.suspectsPerNode(c.toBuilder().independentSuspicions(true).build()),
                "k = suspicionMult - 2 confirmations + the first accusation");
    }

    @Test
    void wan() {
        MembershipConfig c = MembershipConfig.wan("n");
        assertEquals(Duration.ofSeconds(30), c.tcpTimeout());
        assertEquals(6, c.suspicionMult());
        assertEquals(Duration.ofSeconds(60), c.pushPullInterval());
        assertEquals(Duration.ofSeconds(3), c.probeTimeout());
        assertEquals(Duration.ofSeconds(5), c.probeInterval());
        assertEquals(4, c.gossipNodes());
        assertEquals(Duration.ofMillis(500), c.gossipInterval());
        assertEquals(Duration.ofSeconds(60), c.gossipToTheDeadTime());
        assertEquals(3, c.indirectChecks());
    }

    @Test
    void local() {
        MembershipConfig c = MembershipConfig.local("n");
        assertEquals(Duration.ofSeconds(1), c.tcpTimeout());
        assertEquals(1, c.indirectChecks());
        assertEquals(2, c.retransmitMult());
        assertEquals(3, c.suspicionMult());
        assertEquals(Duration.ofSeconds(15), c.pushPullInterval());
        assertEquals(Duration.ofMillis(200), c.probeTimeout());
        assertEquals(Duration.ofMillis(100), c.gossipInterval());
        assertEquals(Duration.ofSeconds(15), c.gossipToTheDeadTime());
    }

    @Test
    void builderKeepsEveryFieldItDoesNotChange() {
        MembershipConfig c = MembershipConfig.wan("n").toBuilder().randomSeed(5L).build();
        MembershipConfig back = c.toBuilder().randomSeed(null).build();
        assertEquals(MembershipConfig.wan("n"), back);
        assertThrows(IllegalArgumentException.class, () -> c.toBuilder().protocolVersions(3, 2, 2).build());
    }
}
