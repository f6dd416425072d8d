package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rumor.membership.MembershipConfig;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.SerfAgent;
import dev.rumor.time.ExecutorScheduler;
import dev.rumor.transport.NetTransport;
import dev.rumor.transport.NetTransportConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wire-protocol §7.9 / R10: a Java node that takes a name already used by a real agent loses the
 * {@code _serf_conflict} vote and shuts itself down, while the real owner stays alive.
 */
class NameConflictIT {

    @Test
    void newcomerWithATakenNameQuits(@TempDir Path dir) throws Exception {
        try (SerfAgent alpha = SerfAgent.builder("alpha", dir).start();
             SerfAgent beta = SerfAgent.builder("beta", dir).join(alpha.gossipAddress()).start();
             ExecutorScheduler scheduler = new ExecutorScheduler("java-serf")) {
            Eventually.await(Duration.ofSeconds(20), () -> "alive".equals(alpha.statusOf("beta")),
                    () -> "alpha sees " + alpha.members());
            NetTransport transport = NetTransport.bind(NetTransportConfig.bind(InetAddress.getLoopbackAddress(), 0));
            Cluster impostor = Cluster.create(ClusterConfig.defaults(MembershipConfig.lan("beta")), transport,
                    scheduler, e -> { });
            try {
                impostor.join(List.of(alpha.gossipSocketAddress()), true);
                Eventually.await(Duration.ofSeconds(30), () -> impostor.state() == Cluster.State.SHUTDOWN,
                        () -> "impostor state " + impostor.state());
                assertEquals("alive", alpha.statusOf("beta"));
                assertEquals(beta.gossipPort(), alpha.member("beta").orElseThrow().port(), "the real beta kept its name");
            } finally {
                impostor.shutdown();
            }
        }
    }
}
