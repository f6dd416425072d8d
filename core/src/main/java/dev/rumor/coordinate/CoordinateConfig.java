package dev.rumor.coordinate;

import java.util.Random;

/**
 * Tuning of the Vivaldi client (serf {@code coordinate/config.go}). The defaults are serf's and are
 * what peers assume implicitly: a coordinate with a different {@link #dimensionality} is rejected by
 * every Go node ("dimensions aren't compatible").
 *
 * @param dimensionality       Euclidean dimensions of {@code vec}; serf uses 8.
 * @param vivaldiErrorMax      ceiling (and initial value) of the error estimate; 1.5.
 * @param vivaldiCE            error-estimate learning rate c_e of the Vivaldi paper; 0.25.
 * @param vivaldiCC            coordinate learning rate c_c; 0.25.
 * @param adjustmentWindowSize samples of {@code rtt - rawDistance} averaged into the non-Euclidean
 *                             adjustment; 20 (0 disables the adjustment).
 * @param heightMin            lower bound of the height term, in seconds; 10 µs.
 * @param latencyFilterSize    RTT samples per peer whose median is fed to Vivaldi; 3.
 * @param gravityRho           distance (seconds) at which gravity towards the origin is felt at unit
 *                             strength; 150 keeps a stable cluster from drifting away from the origin.
 * @param random               source for the random unit vector used when two coordinates coincide;
 *                             seeded in simulations so runs are reproducible.
 */
public record CoordinateConfig(int dimensionality, double vivaldiErrorMax, double vivaldiCE, double vivaldiCC,
                               int adjustmentWindowSize, double heightMin, int latencyFilterSize,
                               double gravityRho, Random random) {

    public CoordinateConfig {
        if (dimensionality <= 0) {
            throw new IllegalArgumentException("dimensionality must be >0");
        }
        if (latencyFilterSize <= 0) {
            throw new IllegalArgumentException("latencyFilterSize must be >0");
        }
        if (adjustmentWindowSize < 0) {
            throw new IllegalArgumentException("adjustmentWindowSize must be >=0");
        }
    }

    /** serf's {@code DefaultConfig()}, with an unseeded random source. */
    public static CoordinateConfig defaults() {
        return new CoordinateConfig(8, 1.5, 0.25, 0.25, 20, 10.0e-6, 3, 150.0, new Random());
    }

    /** A copy that uses {@code r} for the coincident-points tie break. */
    public CoordinateConfig withRandom(Random r) {
        return new CoordinateConfig(dimensionality, vivaldiErrorMax, vivaldiCE, vivaldiCC, adjustmentWindowSize,
                heightMin, latencyFilterSize, gravityRho, r);
    }
}
