package dev.rumor.coordinate;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

/**
 * A Vivaldi network coordinate (serf {@code coordinate/coordinate.go}): a Euclidean point plus a
 * non-negative height (access-link latency) and an adjustment term, all in seconds. Serf ships it in
 * every direct probe ack (see {@link PingPayload}); the wire names are {@code Vec}, {@code Error},
 * {@code Adjustment}, {@code Height}.
 *
 * <p>Immutable; the vector is copied in and out. Thread-safe.
 */
public final class Coordinate {
    /** Below this magnitude two points are considered coincident (serf's {@code zeroThreshold}). */
    static final double ZERO_THRESHOLD = 1.0e-6;

    private final double[] vec;
    private final double error;
    private final double adjustment;
    private final double height;

    public Coordinate(double[] vec, double error, double adjustment, double height) {
        this.vec = vec.clone();
        this.error = error;
        this.adjustment = adjustment;
        this.height = height;
    }

    /** The starting point: origin, maximal error, minimal height. */
    public static Coordinate initial(CoordinateConfig config) {
        return new Coordinate(new double[config.dimensionality()], config.vivaldiErrorMax(), 0.0, config.heightMin());
    }

    public double[] vec() {
        return vec.clone();
    }

    public int dimensionality() {
        return vec.length;
    }

    public double error() {
        return error;
    }

    public double adjustment() {
        return adjustment;
    }

    public double height() {
        return height;
    }

    /** False when any component is NaN or infinite; such a coordinate must never be used or trusted. */
    public boolean isValid() {
        for (double v : vec) {
            if (!finite(v)) {
                return false;
            }
        }
        return finite(error) && finite(adjustment) && finite(height);
    }

    public boolean isCompatibleWith(Coordinate other) {
        return vec.length == other.vec.length;
    }

    /**
     * Estimated round-trip time to {@code other}: Euclidean distance plus both heights, plus both
     * adjustments when that keeps the estimate positive.
     *
     * @throws IllegalArgumentException if the dimensionalities differ
     */
    public Duration distanceTo(Coordinate other) {
        return Duration.ofNanos((long) (exactDistance(other) * 1.0e9));
    }

    /**
     * {@link #distanceTo} in seconds, truncated to whole nanoseconds first exactly as Go's
     * {@code DistanceTo(...).Seconds()} does, so Vivaldi updates match serf bit for bit.
     */
    public double distanceSecondsTo(Coordinate other) {
        return seconds((long) (exactDistance(other) * 1.0e9));
    }

    private double exactDistance(Coordinate other) {
        requireCompatible(other);
        double dist = rawDistanceTo(other);
        double adjusted = dist + adjustment + other.adjustment;
        return adjusted > 0.0 ? adjusted : dist;
    }

    /** Go's {@code time.Duration.Seconds()}: whole seconds plus the nanosecond remainder. */
    static double seconds(long nanos) {
        return (nanos / 1_000_000_000L) + (nanos % 1_000_000_000L) / 1e9;
    }

    double rawDistanceTo(Coordinate other) {
        return magnitude(diff(vec, other.vec)) + height + other.height;
    }

    /**
     * Moves this point by {@code force} along the unit vector pointing from {@code other} to this point
     * (a negative force pulls towards {@code other}); heights grow or shrink proportionally, never below
     * {@code heightMin}.
     */
    Coordinate applyForce(CoordinateConfig config, double force, Coordinate other) {
        requireCompatible(other);
        double[] d = diff(vec, other.vec);
        double mag = magnitude(d);
        double[] unit;
        if (mag > ZERO_THRESHOLD) {
            unit = mul(d, 1.0 / mag);
        } else {
            unit = randomUnit(vec.length, config.random());
            mag = 0.0;
        }
        double[] moved = new double[vec.length];
        for (int i = 0; i < vec.length; i++) {
            moved[i] = vec[i] + unit[i] * force;
        }
        double h = height;
        if (mag > ZERO_THRESHOLD) {
            h = Math.max((height + other.height) * force / mag + height, config.heightMin());
        }
        return new Coordinate(moved, error, adjustment, h);
    }

    Coordinate withError(double e) {
        return new Coordinate(vec, e, adjustment, height);
    }

    Coordinate withAdjustment(double a) {
        return new Coordinate(vec, error, a, height);
    }

    private static double[] randomUnit(int n, Random random) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = random.nextDouble() - 0.5;
        }
        double mag = magnitude(r);
        if (mag > ZERO_THRESHOLD) {
            return mul(r, 1.0 / mag);
        }
        double[] axis = new double[n];
        axis[0] = 1.0;
        return axis;
    }

    private void requireCompatible(Coordinate other) {
        if (!isCompatibleWith(other)) {
            throw new IllegalArgumentException("coordinate dimensionality does not match");
        }
    }

    private static boolean finite(double v) {
        return !Double.isNaN(v) && !Double.isInfinite(v);
    }

    private static double[] diff(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] - b[i];
        }
        return r;
    }

    private static double[] mul(double[] a, double f) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] * f;
        }
        return r;
    }

    private static double magnitude(double[] a) {
        double sum = 0.0;
        for (double v : a) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Coordinate c && Arrays.equals(vec, c.vec) && Double.compare(error, c.error) == 0
                && Double.compare(adjustment, c.adjustment) == 0 && Double.compare(height, c.height) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(vec) * 31 + Double.hashCode(error) + 7 * Double.hashCode(height);
    }

    @Override
    public String toString() {
        return "Coordinate{vec=" + Arrays.toString(vec) + ", error=" + error + ", adjustment=" + adjustment
                + ", height=" + height + '}';
    }
}
