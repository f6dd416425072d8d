/**
 * The network seam of the membership layer (memberlist {@code transport.go}): best-effort datagrams and
 * one-request/one-reply streams on a single advertised address. {@link dev.rumor.transport.NetTransport} is
 * the UDP+TCP implementation; simulations use an in-memory one, and decorators add faults.
 *
 * <p>Transports never parse protocol bytes: a {@link dev.rumor.transport.FrameReader} supplied by the codec
 * says where one stream message ends, because plaintext memberlist streams carry no length prefix.
 */
package dev.rumor.transport;
