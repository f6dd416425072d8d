package dev.rumor.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.time.VirtualScheduler;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultyTransportTest {
    private final VirtualScheduler sched = new VirtualScheduler();
    private final InMemoryNetwork net = new InMemoryNetwork(sched, 1);

    @Test
    void dropsBlocksAndHeals() throws Exception {
        FaultyTransport a = new FaultyTransport(net.transport("a"), sched, 7);
        Transport b = net.transport("b");
        List<Packet> atA = new ArrayList<>();
        List<Packet> atB = new ArrayList<>();
        a.onPacket(atA::add);
        b.onPacket(atB::add);
        b.onStream((req, from, reply) -> reply.send(req));

        a.blockTo(b.advertiseAddress());
        a.sendPacket(b.advertiseAddress(), new byte[] {1});
        b.sendPacket(a.advertiseAddress(), new byte[] {2});
        Throwable[] err = new Throwable[1];
        a.exchange(b.advertiseAddress(), new byte[] {3}, true, Duration.ofSeconds(1), (r, e) -> err[0] = e);
        sched.runFor(Duration.ofSeconds(1));
        assertEquals(0, atB.size());
        assertEquals(1, atA.size(), "one-way: b still reaches a");
        assertInstanceOf(SocketTimeoutException.class, err[0]);

        a.heal();
        a.deaf(true);
        a.sendPacket(b.advertiseAddress(), new byte[] {1});
        b.sendPacket(a.advertiseAddress(), new byte[] {2});
        sched.runFor(Duration.ofSeconds(1));
        assertEquals(1, atB.size());
        assertEquals(1, atA.size());

        a.heal();
        a.outboundLoss(0.5);
        for (int i = 0; i < 1000; i++) {
            a.sendPacket(b.advertiseAddress(), new byte[] {1});
        }
        sched.runFor(Duration.ofSeconds(1));
        assertTrue(atB.size() > 400 && atB.size() < 600, "delivered " + atB.size());
        assertTrue(a.dropped() > 400);
    }
}
