package dev.rumor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.SerfAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The process benchmark's scenario on three real serf agents with a short idle window: every phase
 * produces a figure and the agents are gone afterwards. (The rumor side needs the packaged distribution,
 * which is built after core; bench/process.sh runs both.)
 */
class ProcessBenchIT {

    @Test
    void threeSerfAgentsGoThroughEveryPhase() throws Exception {
        ProcessBench.Options o = new ProcessBench.Options(List.of(3), 1, List.of("serf"), Duration.ofSeconds(2), 1,
                SerfAgent.SERF, "unused", Path.of("unused"), "it");
        Map<String, Object> r = ProcessBench.scenario(o, "serf", 3, 0);

        for (String key : List.of("join_s", "fail_detect_s", "leave_s", "event_median_s", "event_max_s",
                "event_coalesce_median_s", "idle_cpu_pct", "rss_mb", "net_packets_per_node_s", "net_bytes_per_node_s",
                "udp_datagrams_per_node_s", "cli_members_s", "cli_event_s", "cli_events_drained_s")) {
            assertNotNull(r.get(key), key + " missing: " + r);
        }
        assertEquals(0, r.get("false_failures"));
        assertTrue((Double) r.get("rss_mb") > 1, "an agent uses some memory: " + r);
        // idle agents still probe each other: some UDP traffic on loopback, each datagram a packet
        assertTrue((Double) r.get("udp_datagrams_per_node_s") > 0, "agents gossip while idle: " + r);
        assertTrue((Double) r.get("net_packets_per_node_s") >= (Double) r.get("udp_datagrams_per_node_s"), r.toString());
        assertTrue((Double) r.get("net_bytes_per_node_s") > (Double) r.get("net_packets_per_node_s"), r.toString());
        // serf holds a coalescable user event for its 1 s quiescent period
        assertTrue((Double) r.get("event_coalesce_median_s") >= (Double) r.get("event_median_s"), r.toString());
        assertTrue(ProcessBench.markdown(List.of(r)).contains("join convergence"));
        assertTrue(ProcessBench.liveProcesses() == 0, "every agent process must be gone");
    }
}
