/**
 * Vivaldi network coordinates, as serf computes them (Dabek et al., "Vivaldi: A Decentralized Network
 * Coordinate System", SIGCOMM 2004, with the height model and the non-Euclidean adjustment of
 * Ledlie et al., "Network Coordinates in the Wild", NSDI 2007, and gravity towards the origin).
 *
 * <p>Every direct probe ack carries the responder's {@link dev.rumor.coordinate.Coordinate}
 * (see {@link dev.rumor.coordinate.PingPayload}); the prober feeds the measured round trip into its
 * {@link dev.rumor.coordinate.CoordinateClient}. Any two nodes' coordinates then estimate their RTT
 * without a measurement ({@code serf rtt}). Constants and formulas follow serf's
 * {@code coordinate} package so that coordinates exchanged with Go nodes mean the same thing.
 */
package dev.rumor.coordinate;
