package dev.rumor.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.SimulatedCluster;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link MembershipConfig#failOnRefusedProbe()}: a failed probe whose TCP fallback is refused declares the
 * target dead at once; without a refusal (host down, network cut) the Lifeguard suspicion runs as usual.
 */
class RefusedProbeTest {
    private static final int N = 20;

    private record Run(long detectMillis, long refused, Map<String, Map<String, Long>> declarations) {
    }

    /** Forms a 20-node LAN cluster, fails n7 by {@code fault}, returns when every survivor declared it dead. */
    private static Run fail(boolean failOnRefused, boolean hostDown) {
        try (SimulatedCluster c = new SimulatedCluster(5, b -> b.failOnRefusedProbe(failOnRefused))) {
            List<String> names = c.startAll("n", N);
            c.joinAll(names, "n0");
            assertTrue(c.runUntil(() -> c.allSeeAlive(names, N), Duration.ofSeconds(60)));
            c.runFor(Duration.ofSeconds(20));
            String victim = "n7";
            List<String> others = names.stream().filter(n -> !n.equals(victim)).toList();
            long t0 = c.nowMillis();
            if (hostDown) {
                // Nothing reaches the node and nothing leaves it: no ack, no refusal, only timeouts.
                c.network().isolateInbound(victim);
                c.network().isolateOutbound(victim);
            } else {
                c.kill(victim); // the process is gone, its host refuses connections to the port
            }
            assertTrue(c.runUntil(() -> others.stream().allMatch(o -> c.deadAt(o, victim) != null),
                    Duration.ofSeconds(120), Duration.ofMillis(10)), "every survivor must declare " + victim + " dead");
            long last = others.stream().mapToLong(o -> c.deadAt(o, victim)).max().orElseThrow();
            long refused = others.stream().mapToLong(o -> c.node(o).stats().refusedProbes()).sum();
            return new Run(last - t0, refused, c.deadDeclarations());
        }
    }

    private static long minSuspicionMillis() {
        MembershipConfig lan = MembershipConfig.lan("x");
        return ProtocolMath.suspicionTimeout(lan.suspicionMult(), N, lan.probeInterval()).toMillis();
    }

    @Test
    void aCrashedProcessOnALiveHostIsDeclaredDeadWithoutWaitingForTheSuspicionTimeout() {
        Run fast = fail(true, false);
        Run lifeguard = fail(false, false);
        assertTrue(fast.refused() >= 1, "a survivor's TCP fallback must have been refused");
        assertEquals(0, lifeguard.refused());
        // first probe of the victim (~1 s) + its round (1 s) + eager dissemination; Lifeguard adds ≥ min
        assertTrue(fast.detectMillis() < 4000, "refused: everyone declared it dead after " + fast.detectMillis() + " ms");
        assertTrue(lifeguard.detectMillis() >= minSuspicionMillis(),
                "without the fast path: " + lifeguard.detectMillis() + " ms, min suspicion " + minSuspicionMillis());
        for (Run r : List.of(fast, lifeguard)) {
            r.declarations().forEach((viewer, dead) -> assertEquals(List.of("n7"), List.copyOf(dead.keySet()),
                    viewer + " declared others dead"));
        }
    }

    @Test
    void aHostThatStopsAnsweringTakesTheSuspicionPath() {
        Run r = fail(true, true);
        assertEquals(0, r.refused(), "timeouts are not refusals");
        assertTrue(r.detectMillis() >= minSuspicionMillis(),
                r.detectMillis() + " ms, min suspicion " + minSuspicionMillis());
    }

    @Test
    void aRealRefusedConnectionIsRecognisedAndATimeoutIsNot() throws IOException {
        assertFalse(Prober.isRefusal(new SocketTimeoutException("connect timed out")));
        assertFalse(Prober.isRefusal(new java.net.NoRouteToHostException("No route to host")));
        assertFalse(Prober.isRefusal(new java.io.EOFException("stream closed without a reply")));
        InetSocketAddress closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = (InetSocketAddress) s.getLocalSocketAddress();
        }
        try (Socket s = new Socket()) {
            s.connect(closed, 2000);
            // Another test grabbed the port in between: the refusal cannot be observed with this address.
        } catch (ConnectException e) {
            assertTrue(Prober.isRefusal(e), e.toString());
        }
    }
}
