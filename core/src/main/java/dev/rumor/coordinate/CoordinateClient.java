package dev.rumor.coordinate;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * This node's Vivaldi state (serf {@code coordinate/client.go}): its own coordinate, a small latency
 * filter per peer, the adjustment window, and gravity towards the origin. Fed from probe round trips
 * by the ping delegate.
 *
 * <p>Safety: a peer coordinate of the wrong dimensionality or with NaN/Inf components, and an RTT
 * outside [0, 10 s], are rejected before touching any state; if an update nevertheless produces an
 * invalid coordinate, the client resets to {@link Coordinate#initial} and counts it in
 * {@link #resets()} (serf's {@code coordinate_resets} stat).
 *
 * <p>Thread contract: thread-safe (all methods synchronized; updates are cheap).
 */
public final class CoordinateClient {
    /** RTTs above this are treated as bogus; serf's {@code maxRTT}. */
    public static final Duration MAX_RTT = Duration.ofSeconds(10);

    private final CoordinateConfig config;
    private final Coordinate origin;
    private final double[] adjustmentSamples;
    private final Map<String, double[]> latencySamples = new HashMap<>();
    private Coordinate coord;
    private int adjustmentIndex;
    private int resets;

    public CoordinateClient(CoordinateConfig config) {
        this.config = config;
        this.coord = Coordinate.initial(config);
        this.origin = Coordinate.initial(config);
        this.adjustmentSamples = new double[config.adjustmentWindowSize()];
    }

    public synchronized Coordinate coordinate() {
        return coord;
    }

    /** Replaces the coordinate (e.g. restored from disk) after the same checks as a peer's. */
    public synchronized void setCoordinate(Coordinate c) {
        check(c);
        coord = c;
    }

    /** Drops the latency samples of a node that left, so its history cannot skew a later rejoin. */
    public synchronized void forgetNode(String node) {
        latencySamples.remove(node);
    }

    public synchronized int resets() {
        return resets;
    }

    /** Estimated RTT from this node to {@code other}. */
    public synchronized Duration distanceTo(Coordinate other) {
        return coord.distanceTo(other);
    }

    /**
     * Folds one observed round trip to {@code node}, whose coordinate was {@code other}, into this node's
     * coordinate.
     *
     * @return the new coordinate
     * @throws IllegalArgumentException if {@code other} is incompatible or invalid, or {@code rtt} is out of range
     */
    public synchronized Coordinate update(String node, Coordinate other, Duration rtt) {
        check(other);
        if (rtt.isNegative() || rtt.compareTo(MAX_RTT) > 0) {
            throw new IllegalArgumentException("round trip time not in valid range, duration " + rtt
                    + " is not a positive value less than " + MAX_RTT);
        }
        double rttSeconds = latencyFilter(node, Coordinate.seconds(rtt.toNanos()));
        updateVivaldi(other, rttSeconds);
        updateAdjustment(other, rttSeconds);
        updateGravity();
        if (!coord.isValid()) {
            resets++;
            coord = Coordinate.initial(config);
        }
        return coord;
    }

    private void check(Coordinate c) {
        if (!coord.isCompatibleWith(c)) {
            throw new IllegalArgumentException("dimensions aren't compatible");
        }
        if (!c.isValid()) {
            throw new IllegalArgumentException("coordinate is invalid");
        }
    }

    /** Median of the last {@code latencyFilterSize} samples, which damps one-off delays. */
    double latencyFilter(String node, double rttSeconds) {
        double[] old = latencySamples.getOrDefault(node, new double[0]);
        double[] samples;
        if (old.length < config.latencyFilterSize()) {
            samples = Arrays.copyOf(old, old.length + 1);
        } else {
            samples = Arrays.copyOfRange(old, 1, old.length + 1);
        }
        samples[samples.length - 1] = rttSeconds;
        latencySamples.put(node, samples);
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private void updateVivaldi(Coordinate other, double rttSeconds) {
        double dist = coord.distanceSecondsTo(other);
        double rtt = Math.max(rttSeconds, Coordinate.ZERO_THRESHOLD);
        double wrongness = Math.abs(dist - rtt) / rtt;
        double totalError = Math.max(coord.error() + other.error(), Coordinate.ZERO_THRESHOLD);
        double weight = coord.error() / totalError;
        double error = config.vivaldiCE() * weight * wrongness + coord.error() * (1.0 - config.vivaldiCE() * weight);
        error = Math.min(error, config.vivaldiErrorMax());
        double force = config.vivaldiCC() * weight * (rtt - dist);
        coord = coord.withError(error).applyForce(config, force, other);
    }

    private void updateAdjustment(Coordinate other, double rttSeconds) {
        if (adjustmentSamples.length == 0) {
            return;
        }
        adjustmentSamples[adjustmentIndex] = rttSeconds - coord.rawDistanceTo(other);
        adjustmentIndex = (adjustmentIndex + 1) % adjustmentSamples.length;
        double sum = 0.0;
        for (double s : adjustmentSamples) {
            sum += s;
        }
        coord = coord.withAdjustment(sum / (2.0 * adjustmentSamples.length));
    }

    private void updateGravity() {
        double dist = origin.distanceSecondsTo(coord);
        double force = -1.0 * Math.pow(dist / config.gravityRho(), 2.0);
        coord = coord.applyForce(config, force, origin);
    }
}
