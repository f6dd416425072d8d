package dev.rumor.coordinate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CoordinateClientTest {

    private static CoordinateConfig dims(int n, double heightMin) {
        CoordinateConfig d = CoordinateConfig.defaults();
        return new CoordinateConfig(n, d.vivaldiErrorMax(), d.vivaldiCE(), d.vivaldiCC(), d.adjustmentWindowSize(),
                heightMin, d.latencyFilterSize(), d.gravityRho(), new Random(42));
    }

    @Test
    void rejectsZeroDimensions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dims(0, 1e-5));
        assertTrue(e.getMessage().contains("dimensionality"));
    }

    @Test
    void freshClientSitsAtTheOrigin() {
        CoordinateConfig config = dims(7, 1e-5);
        assertEquals(Coordinate.initial(config), new CoordinateClient(config).coordinate());
    }

    @Test
    void updateMovesAwayFromANodeThatIsFartherThanExpected() {
        CoordinateConfig config = dims(3, 1e-5);
        CoordinateClient client = new CoordinateClient(config);
        Coordinate other = new Coordinate(new double[] {0, 0, 0.001}, 1.5, 0, 1e-5);
        Coordinate c = client.update("node", other, Duration.ofNanos((long) (2 * 0.001 * 1e9)));
        assertTrue(c.vec()[2] < 0.0, "z=" + c.vec()[2]);

        client.setCoordinate(new Coordinate(new double[] {0, 0, 99.0}, c.error(), c.adjustment(), c.height()));
        assertEquals(99.0, client.coordinate().vec()[2]);
    }

    @Test
    void outOfRangeRttIsRejectedWithoutChangingState() {
        CoordinateClient client = new CoordinateClient(dims(3, 1e-5));
        Coordinate other = new Coordinate(new double[] {0, 0, 0.001}, 1.5, 0, 1e-5);
        Duration before = client.distanceTo(other);
        for (Duration rtt : new Duration[] {Duration.ofSeconds(11), Duration.ofNanos(-35), Duration.ofDays(3)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.update("node", other, rtt));
            assertTrue(e.getMessage().startsWith("round trip time not in valid range"), e.getMessage());
            assertEquals(before, client.distanceTo(other));
        }
    }

    @Test
    void distanceToIsExactForAPureVectorOffset() {
        CoordinateClient client = new CoordinateClient(dims(3, 0));
        Coordinate other = new Coordinate(new double[] {0, 0, 12.345}, 1.5, 0, 0);
        assertEquals(Duration.ofNanos((long) (12.345 * 1e9)), client.distanceTo(other));
    }

    @Test
    void latencyFilterIsAPerNodeMedianOfThree() {
        CoordinateClient client = new CoordinateClient(dims(3, 0));
        assertEquals(0.201, client.latencyFilter("alice", 0.201));
        assertEquals(0.201, client.latencyFilter("alice", 0.200));
        assertEquals(0.201, client.latencyFilter("alice", 0.207));
        // the glitch is median-ed out and never seen by Vivaldi
        assertEquals(0.207, client.latencyFilter("alice", 1.9));
        assertEquals(0.207, client.latencyFilter("alice", 0.203));
        assertEquals(0.203, client.latencyFilter("alice", 0.199));
        assertEquals(0.203, client.latencyFilter("alice", 0.211));
        assertEquals(0.310, client.latencyFilter("bob", 0.310));
        client.forgetNode("alice");
        assertEquals(0.888, client.latencyFilter("alice", 0.888));
    }

    @Test
    void invalidOrIncompatibleCoordinatesAreRejected() {
        CoordinateConfig config = dims(3, 1e-5);
        CoordinateClient client = new CoordinateClient(config);
        Coordinate nan = new Coordinate(new double[] {Double.NaN, 0, 0}, 1.5, 0, 1e-5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> client.update("node", nan, Duration.ofMillis(250)));
        assertTrue(e.getMessage().contains("coordinate is invalid"));
        e = assertThrows(IllegalArgumentException.class, () -> client.setCoordinate(nan));
        assertTrue(e.getMessage().contains("coordinate is invalid"));
        Coordinate wide = new Coordinate(new double[6], 1.5, 0, 1e-5);
        e = assertThrows(IllegalArgumentException.class, () -> client.update("node", wide, Duration.ofMillis(250)));
        assertTrue(e.getMessage().contains("dimensions aren't compatible"));
        e = assertThrows(IllegalArgumentException.class, () -> client.setCoordinate(wide));
        assertTrue(e.getMessage().contains("dimensions aren't compatible"));
        assertTrue(client.coordinate().isValid());
        assertEquals(0, client.resets());
    }

    @Test
    void aPoisonedStateIsResetOnTheNextUpdate() {
        CoordinateConfig config = dims(3, 1e-5);
        CoordinateClient client = new CoordinateClient(config);
        // A huge but finite peer coordinate drives our own into overflow (Inf), which must reset.
        Coordinate far = new Coordinate(new double[] {1e308, 1e308, 1e308}, 1.5, 0, 1e-5);
        Coordinate c = client.update("node", far, Duration.ofMillis(250));
        assertTrue(c.isValid());
        assertEquals(Coordinate.initial(config), c);
        assertEquals(1, client.resets());
    }

    @Test
    void coordinatesConvergeOnALineOfNodes() {
        // Phantom-style simulation (serf coordinate/phantom.go): 10 nodes 10 ms apart on a line.
        CoordinateConfig config = CoordinateConfig.defaults().withRandom(new Random(7));
        int n = 10;
        CoordinateClient[] clients = new CoordinateClient[n];
        for (int i = 0; i < n; i++) {
            clients[i] = new CoordinateClient(config);
        }
        Random rnd = new Random(3);
        for (int cycle = 0; cycle < 1000; cycle++) {
            for (int i = 0; i < n; i++) {
                int j = rnd.nextInt(n);
                if (j == i) {
                    continue;
                }
                Duration rtt = Duration.ofMillis(10L * Math.abs(i - j));
                clients[i].update("n" + j, clients[j].coordinate(), rtt);
            }
        }
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double est = clients[i].coordinate().distanceSecondsTo(clients[j].coordinate());
                double truth = 0.010 * (j - i);
                worst = Math.max(worst, Math.abs(est - truth));
            }
        }
        assertTrue(worst < 0.005, "worst error " + worst + " s");
    }
}
