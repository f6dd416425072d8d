package dev.rumor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulation benchmark on a tiny configuration: it runs every phase and its figures are sane
 * (no timing assertions on wall clock; virtual-time figures are bounded by what the LAN profile implies).
 */
class SimBenchTest {

    @Test
    void tinyRunProducesSaneFigures() {
        int n = 30;
        SimBench.Options o = new SimBench.Options(List.of(n), 7, Path.of("unused"), n, Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(120), false);
        Map<String, Object> r = SimBench.run(n, o);

        assertNotNull(r.get("bootstrap_s"), "the cluster must converge: " + r);
        assertEquals(n, r.get("bootstrap_full_view_nodes"));
        assertEquals(n, r.get("event_delivered"), "every node must deliver the user event");
        double p50 = (Double) r.get("event_p50_s");
        double all = (Double) r.get("event_p9999_s");
        assertTrue(p50 > 0 && p50 <= all && all < 5, "dissemination quantiles: " + r);
        assertEquals(n - 1, r.get("detect_nodes"), "every survivor must declare the killed node failed");
        double first = (Double) r.get("detect_first_s");
        double last = (Double) r.get("detect_all_s");
        // probe round (≤ 1 s per target, up to n rounds to reach it) + suspicion timeout max (6 × 4 s × log10 n)
        assertTrue(first > 0 && first <= last && last < n + 40, "detection: " + r);
        assertEquals(0L, r.get("detect_false_failures"));
        // A crashed process is refused (fast path); a host that stops answering goes through the suspicion,
        // whose minimum is 4 × log10(30) ≈ 5.9 s.
        double hostLast = (Double) r.get("host_detect_all_s");
        assertTrue(last < hostLast && hostLast > 5.9 && hostLast < n + 40, "host-down detection: " + r);
        assertEquals(0L, r.get("host_detect_false_failures"));
        assertEquals(0L, r.get("loss5_false_failures"), "5% loss must not fail a healthy node");
        assertEquals(0L, r.get("stress_healthy_false_failures"), "the lossy node must not get healthy nodes failed");
        assertNotNull(r.get("stress_tcp_healthy_false_failures"), "the stress case with failing streams must run");
        assertEquals(Boolean.TRUE, r.get("stress_views_settled"),
                "with only its UDP lossy, the lossy node stays a member of every healthy view: " + r);
        assertEquals(0L, r.get("stress_healthy_view_changes"));
        assertEquals(Boolean.TRUE, r.get("stress_tcp_views_settled"), "also with its streams failing: " + r);
        assertEquals(0L, r.get("stress_tcp_lossy_view_changes"), "nor does the lossy node's own view change: " + r);
        assertTrue(SimBench.markdown(List.of(r)).contains(" / yes |"));
        double pps = (Double) r.get("steady_packets_per_node_s");
        assertTrue(pps >= 1 && pps < 50, "a node probes once a second (ping + ack): " + pps);
        assertTrue((Double) r.get("steady_packet_bytes_per_node_s") > 20);
        assertTrue((Long) r.get("peak_heap_mb") > 0);
        assertTrue(SimBench.markdown(List.of(r)).contains("| " + n + " |"));
        assertEquals(Boolean.FALSE, r.get("warm_start"));
        assertTrue((Double) r.get("bytes_per_pair") > 0);
    }

    @Test
    void warmStartGivesEveryNodeTheFullViewAndRunsTheOtherPhases() {
        int n = 40;
        SimBench.Options o = new SimBench.Options(List.of(n), 3, Path.of("unused"), 0, Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(120), false).warmStartAbove(20);
        Map<String, Object> r = SimBench.run(n, o);

        assertEquals(Boolean.TRUE, r.get("warm_start"));
        assertNull(r.get("bootstrap_s"), "a warm-started run has no bootstrap figure");
        assertEquals(n, r.get("bootstrap_full_view_nodes"), "every node must list every node after the warm start");
        assertEquals(n, r.get("event_delivered"));
        assertEquals(n - 1, r.get("detect_nodes"));
        assertEquals(0L, r.get("detect_false_failures"));
        assertNull(r.get("loss5_false_failures"), "above --loss-max the loss phases are skipped");
        assertEquals(10.0, r.get("steady_window_s"));
        double pps = (Double) r.get("steady_packets_per_node_s");
        assertTrue(pps >= 1 && pps < 50, "a node probes once a second (ping + ack): " + pps);
        assertEquals(1.0, (Double) r.get("settle_streams_per_node"), 0.2,
                "every node makes its first push/pull within the settle");
        assertTrue((Double) r.get("steady_stream_bytes_per_node_s") > 0, "push/pull traffic is estimated from the settle");
        assertTrue(SimBench.markdown(List.of(r)).contains("warm start"));
    }
}
