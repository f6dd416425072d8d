package dev.rumor.transport;

import dev.rumor.time.Clock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Fault injection around any {@link Transport} (e.g. a real UDP/TCP one in socket tests), as a
 * decorator rather than flags inside the protocol (cf. scalecube's NetworkEmulatorTransport). Packets can
 * be dropped at a seeded random rate in either direction, and peers blocked one way or both ways; a
 * blocked stream fails at once with a timeout error. For in-memory simulations prefer the link faults of
 * {@link InMemoryNetwork}, which also model latency. Inbound streams are matched by their source
 * address, which for real TCP is the peer's ephemeral port: use {@link #deaf} to cut inbound streams.
 *
 * <p>Thread contract: thread-safe; handlers run on the wrapped transport's threads.
 */
public final class FaultyTransport implements Transport {
    private final Transport delegate;
    private final Clock clock;
    private final Random random;
    private final Set<InetSocketAddress> blockedOut = new HashSet<>();
    private final Set<InetSocketAddress> blockedIn = new HashSet<>();
    private double outboundLoss;
    private double inboundLoss;
    private boolean deaf;
    private long dropped;

    /** @param clock the clock the wrapped transport stamps sends with (a dropped send is stamped on it too) */
    public FaultyTransport(Transport delegate, Clock clock, long seed) {
        this.delegate = delegate;
        this.clock = clock;
        this.random = new Random(seed);
    }

    /** Drops this fraction (0..1) of outgoing packets. */
    public synchronized void outboundLoss(double fraction) {
        outboundLoss = fraction;
    }

    /** Drops this fraction (0..1) of incoming packets. */
    public synchronized void inboundLoss(double fraction) {
        inboundLoss = fraction;
    }

    /** Nothing we send to {@code peer} arrives (packets and streams); we still hear it. */
    public synchronized void blockTo(InetSocketAddress peer) {
        blockedOut.add(peer);
    }

    /** Nothing {@code peer} sends us is delivered (packets and inbound streams). */
    public synchronized void blockFrom(InetSocketAddress peer) {
        blockedIn.add(peer);
    }

    /** Both directions. */
    public synchronized void partitionFrom(InetSocketAddress peer) {
        blockTo(peer);
        blockFrom(peer);
    }

    /** Drops every inbound packet and stream: we can talk but never hear back. */
    public synchronized void deaf(boolean on) {
        deaf = on;
    }

    public synchronized void heal() {
        blockedOut.clear();
        blockedIn.clear();
        outboundLoss = 0;
        inboundLoss = 0;
        deaf = false;
    }

    public synchronized long dropped() {
        return dropped;
    }

    private synchronized boolean dropOut(InetSocketAddress to, boolean packet) {
        boolean drop = blockedOut.contains(to) || (packet && outboundLoss > 0 && random.nextDouble() < outboundLoss);
        if (drop) {
            dropped++;
        }
        return drop;
    }

    private synchronized boolean dropIn(InetSocketAddress from, boolean packet) {
        boolean drop = deaf || blockedIn.contains(from) || (packet && inboundLoss > 0 && random.nextDouble() < inboundLoss);
        if (drop) {
            dropped++;
        }
        return drop;
    }

    @Override
    public InetSocketAddress advertiseAddress() {
        return delegate.advertiseAddress();
    }

    @Override
    public long sendPacket(InetSocketAddress to, byte[] packet) throws IOException {
        if (dropOut(to, true)) {
            return clock.nanoTime();
        }
        return delegate.sendPacket(to, packet);
    }

    @Override
    public void onPacket(PacketHandler handler) {
        delegate.onPacket(p -> {
            if (!dropIn(p.from(), true)) {
                handler.handle(p);
            }
        });
    }

    @Override
    public void exchange(InetSocketAddress to, byte[] request, boolean expectReply, Duration timeout, ExchangeCallback callback) {
        if (dropOut(to, false)) {
            callback.done(null, new SocketTimeoutException("blocked by fault injection"));
            return;
        }
        delegate.exchange(to, request, expectReply, timeout, (reply, err) -> {
            if (err == null && expectReply && dropIn(to, false)) {
                callback.done(null, new SocketTimeoutException("reply blocked by fault injection"));
            } else {
                callback.done(reply, err);
            }
        });
    }

    @Override
    public void onStream(StreamHandler handler) {
        delegate.onStream((req, from, reply) -> {
            if (dropIn(from, false)) {
                reply.close();
            } else {
                handler.handle(req, from, reply);
            }
        });
    }

    @Override
    public void frameReader(FrameReader reader) {
        delegate.frameReader(reader);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
