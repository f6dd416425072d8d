package dev.rumor.bench;

import dev.rumor.transport.FrameReader;
import dev.rumor.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Counts what one simulated node puts on the wire: packets and their bytes, and stream exchanges
 * (push/pull, TCP fallback pings) with request plus reply bytes. Counters are shared by all nodes of a
 * simulation ({@link Traffic}); the benchmark divides by node count and window length.
 *
 * <p>Thread contract: single-threaded, like the {@link dev.rumor.transport.InMemoryNetwork} it wraps.
 */
final class CountingTransport implements Transport {
    private final Transport inner;
    private final Traffic traffic;

    CountingTransport(Transport inner, Traffic traffic) {
        this.inner = inner;
        this.traffic = traffic;
    }

    /** Totals across the simulation since the last {@link #reset()}. */
    static final class Traffic {
        long packets;
        long packetBytes;
        long streams;
        long streamBytes;

        void reset() {
            packets = 0;
            packetBytes = 0;
            streams = 0;
            streamBytes = 0;
        }
    }

    @Override
    public InetSocketAddress advertiseAddress() {
        return inner.advertiseAddress();
    }

    @Override
    public long sendPacket(InetSocketAddress to, byte[] packet) throws IOException {
        traffic.packets++;
        traffic.packetBytes += packet.length;
        return inner.sendPacket(to, packet);
    }

    @Override
    public void onPacket(PacketHandler handler) {
        inner.onPacket(handler);
    }

    @Override
    public void exchange(InetSocketAddress to, byte[] request, boolean expectReply, Duration timeout,
                         ExchangeCallback callback) {
        traffic.streams++;
        traffic.streamBytes += request.length;
        inner.exchange(to, request, expectReply, timeout, (reply, error) -> {
            if (reply != null) {
                traffic.streamBytes += reply.length;
            }
            callback.done(reply, error);
        });
    }

    @Override
    public void onStream(StreamHandler handler) {
        inner.onStream(handler);
    }

    @Override
    public void frameReader(FrameReader reader) {
        inner.frameReader(reader);
    }

    @Override
    public void close() {
        inner.close();
    }
}
