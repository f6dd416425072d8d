package dev.rumor.coordinate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CoordinateTest {
    private static final double EPS = 1e-9;

    private static CoordinateConfig dims3(double heightMin) {
        CoordinateConfig d = CoordinateConfig.defaults();
        return new CoordinateConfig(3, d.vivaldiErrorMax(), d.vivaldiCE(), d.vivaldiCC(), d.adjustmentWindowSize(),
                heightMin, d.latencyFilterSize(), d.gravityRho(), new Random(1));
    }

    @Test
    void initialCoordinateMatchesSerfDefaults() {
        Coordinate c = Coordinate.initial(CoordinateConfig.defaults());
        assertArrayEquals(new double[8], c.vec());
        assertEquals(1.5, c.error());
        assertEquals(0.0, c.adjustment());
        assertEquals(1.0e-5, c.height());
        assertTrue(c.isValid());
    }

    @Test
    void nanOrInfinityInAnyComponentIsInvalid() {
        double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double b : bad) {
            for (int i = 0; i < 3; i++) {
                double[] v = new double[3];
                v[i] = b;
                assertFalse(new Coordinate(v, 1, 0, 0).isValid());
            }
            assertFalse(new Coordinate(new double[3], b, 0, 0).isValid());
            assertFalse(new Coordinate(new double[3], 1, b, 0).isValid());
            assertFalse(new Coordinate(new double[3], 1, 0, b).isValid());
        }
    }

    @Test
    void vectorIsDefensivelyCopied() {
        double[] v = {1, 2, 3};
        Coordinate c = new Coordinate(v, 1, 0, 0);
        v[0] = 9;
        c.vec()[1] = 9;
        assertArrayEquals(new double[] {1, 2, 3}, c.vec());
    }

    @Test
    void applyForceNormalizesAndAppliesHeight() {
        CoordinateConfig config = dims3(0);
        Coordinate origin = Coordinate.initial(config);
        Coordinate above = new Coordinate(new double[] {0, 0, 2.9}, 1.5, 0, 0);
        Coordinate c = origin.applyForce(config, 5.3, above);
        assertArrayEquals(new double[] {0, 0, -5.3}, c.vec(), EPS);

        Coordinate right = new Coordinate(new double[] {3.4, 0, -5.3}, 1.5, 0, 0);
        c = c.applyForce(config, 2.0, right);
        assertArrayEquals(new double[] {-2.0, 0, -5.3}, c.vec(), EPS);

        c = origin.applyForce(config, 1.0, origin);
        assertEquals(1.0, origin.distanceSecondsTo(c), EPS);

        CoordinateConfig withMin = dims3(10.0e-6);
        origin = Coordinate.initial(withMin);
        c = origin.applyForce(withMin, 5.3, above);
        assertArrayEquals(new double[] {0, 0, -5.3}, c.vec(), EPS);
        assertEquals(10.0e-6 + 5.3 * 10.0e-6 / 2.9, c.height(), EPS);

        c = origin.applyForce(withMin, -5.3, above);
        assertArrayEquals(new double[] {0, 0, 5.3}, c.vec(), EPS);
        assertEquals(10.0e-6, c.height(), EPS);

        Coordinate bad = new Coordinate(new double[4], 1, 0, 0);
        Coordinate finalC = c;
        assertThrows(IllegalArgumentException.class, () -> finalC.applyForce(withMin, 1.0, bad));
    }

    @Test
    void distanceIncludesHeightsAndPositiveAdjustments() {
        double base = 4.104875150354758;
        Coordinate c1 = new Coordinate(new double[] {-0.5, 1.3, 2.4}, 1.5, 0, 0);
        Coordinate c2 = new Coordinate(new double[] {1.2, -2.3, 3.4}, 1.5, 0, 0);
        assertEquals(0.0, c1.distanceSecondsTo(c1), EPS);
        assertEquals(c2.distanceSecondsTo(c1), c1.distanceSecondsTo(c2), EPS);
        assertEquals(base, c1.distanceSecondsTo(c2), EPS);

        c1 = new Coordinate(c1.vec(), 1.5, -1.0e6, 0);
        assertEquals(base, c1.distanceSecondsTo(c2), EPS, "negative total adjustment is ignored");

        c1 = new Coordinate(c1.vec(), 1.5, 0.1, 0);
        c2 = new Coordinate(c2.vec(), 1.5, 0.2, 0);
        assertEquals(base + 0.3, c1.distanceSecondsTo(c2), EPS);

        c1 = new Coordinate(c1.vec(), 1.5, 0.1, 0.7);
        c2 = new Coordinate(c2.vec(), 1.5, 0.2, 0.1);
        assertEquals(base + 0.3 + 0.8, c1.distanceSecondsTo(c2), EPS);
        assertEquals((long) ((base + 1.1) * 1e9), c1.distanceTo(c2).toNanos());

        Coordinate bad = new Coordinate(new double[4], 1, 0, 0);
        Coordinate finalC = c1;
        assertThrows(IllegalArgumentException.class, () -> finalC.distanceTo(bad));
    }

    @Test
    void equalityIsByValue() {
        Coordinate a = new Coordinate(new double[] {1, 2}, 1, 0.5, 0.1);
        assertEquals(a, new Coordinate(new double[] {1, 2}, 1, 0.5, 0.1));
        assertEquals(a.hashCode(), new Coordinate(new double[] {1, 2}, 1, 0.5, 0.1).hashCode());
        assertNotEquals(a, new Coordinate(new double[] {1, 3}, 1, 0.5, 0.1));
    }
}
