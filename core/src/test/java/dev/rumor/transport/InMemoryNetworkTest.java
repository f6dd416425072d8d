package dev.rumor.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.time.VirtualScheduler;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryNetworkTest {
    private final VirtualScheduler sched = new VirtualScheduler();
    private final InMemoryNetwork net = new InMemoryNetwork(sched, 99).latency(Duration.ofMillis(5), Duration.ZERO);

    private List<Packet> inbox(Transport t) {
        List<Packet> got = new ArrayList<>();
        t.onPacket(got::add);
        return got;
    }

    @Test
    void packetsArriveAfterTheLatencyWithTheSenderAddress() throws Exception {
        Transport a = net.transport("a");
        Transport b = net.transport("b");
        List<Packet> got = inbox(b);
        a.sendPacket(b.advertiseAddress(), new byte[] {1, 2});
        sched.runFor(Duration.ofMillis(4));
        assertTrue(got.isEmpty());
        sched.runFor(Duration.ofMillis(1));
        assertEquals(1, got.size());
        assertArrayEquals(new byte[] {1, 2}, got.get(0).buf());
        assertEquals(a.advertiseAddress(), got.get(0).from());
        assertEquals(Duration.ofMillis(5).toNanos(), got.get(0).receivedNanos());
        assertEquals(net.address("b"), b.advertiseAddress());
    }

    @Test
    void oneWayBlockPartitionAndHeal() throws Exception {
        Transport a = net.transport("a");
        Transport b = net.transport("b");
        Transport c = net.transport("c");
        List<Packet> ina = inbox(a);
        List<Packet> inb = inbox(b);
        List<Packet> inc = inbox(c);
        net.block("a", "b");
        a.sendPacket(b.advertiseAddress(), new byte[] {1});
        b.sendPacket(a.advertiseAddress(), new byte[] {2});
        sched.runFor(Duration.ofMillis(10));
        assertEquals(0, inb.size());
        assertEquals(1, ina.size());
        net.partition(Set.of("a"), Set.of("c"));
        c.sendPacket(a.advertiseAddress(), new byte[] {3});
        a.sendPacket(c.advertiseAddress(), new byte[] {3});
        sched.runFor(Duration.ofMillis(10));
        assertEquals(1, ina.size());
        assertEquals(0, inc.size());
        net.heal();
        a.sendPacket(b.advertiseAddress(), new byte[] {4});
        a.sendPacket(c.advertiseAddress(), new byte[] {4});
        sched.runFor(Duration.ofMillis(10));
        assertEquals(1, inb.size());
        assertEquals(1, inc.size());
        assertEquals(3, net.packetsDropped());
    }

    @Test
    void lossIsSeededAndRoughlyTheRequestedRate() throws Exception {
        Transport a = net.transport("a");
        Transport b = net.transport("b");
        List<Packet> got = inbox(b);
        net.packetLoss(0.25);
        for (int i = 0; i < 4000; i++) {
            a.sendPacket(b.advertiseAddress(), new byte[] {1});
        }
        sched.runFor(Duration.ofMillis(10));
        assertTrue(got.size() > 2800 && got.size() < 3200, "delivered " + got.size());
    }

    @Test
    void streamsExchangeRequestAndReply() {
        Transport a = net.transport("a");
        Transport b = net.transport("b");
        b.onStream((req, from, reply) -> reply.send(new byte[] {(byte) (req[0] + 1)}));
        Object[] res = new Object[3];
        a.exchange(b.advertiseAddress(), new byte[] {41}, true, Duration.ofSeconds(1), (r, e) -> {
            res[0] = r;
            res[1] = e;
            res[2] = sched.nanoTime();
        });
        sched.runFor(Duration.ofSeconds(2));
        assertArrayEquals(new byte[] {42}, (byte[]) res[0]);
        assertNull(res[1]);
        assertEquals(Duration.ofMillis(10).toNanos(), res[2]);
    }

    @Test
    void streamToAClosedNodeIsRefusedAndACutLinkTimesOut() {
        Transport a = net.transport("a");
        Transport b = net.transport("b");
        b.onStream((req, from, reply) -> reply.send(req));
        b.close();
        Throwable[] err = new Throwable[2];
        a.exchange(net.address("b"), new byte[] {1}, true, Duration.ofSeconds(1), (r, e) -> err[0] = e);
        Transport b2 = net.transport("b");
        sched.runFor(Duration.ofSeconds(2));
        assertInstanceOf(ConnectException.class, err[0], "no stream handler on the restarted node yet");
        b2.onStream((req, from, reply) -> reply.send(req));
        net.isolateInbound("a");
        a.exchange(net.address("b"), new byte[] {1}, true, Duration.ofSeconds(1), (r, e) -> err[1] = e);
        sched.runFor(Duration.ofSeconds(2));
        assertInstanceOf(SocketTimeoutException.class, err[1], "the reply is lost, the dial times out");
    }
}
