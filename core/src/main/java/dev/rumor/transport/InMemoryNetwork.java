package dev.rumor.transport;

import dev.rumor.time.Scheduler;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A simulated network for many nodes in one JVM (cf. memberlist {@code MockNetwork}), with fault
 * injection as link filters rather than flags inside the protocol. Create one per test or simulation;
 * there is no static state.
 *
 * <p>Each node gets a fake address {@code 10.0.x.y:7946}. Packets and stream exchanges are delivered as
 * tasks on the given {@link Scheduler} after a latency (base + uniform jitter), so on a
 * {@link dev.rumor.time.VirtualScheduler} a run is deterministic for a given seed. Streams are reliable
 * (loss applies to packets only) but blocks and partitions cut them too: a dial to a node that cannot
 * be reached times out, a dial to a closed node is refused after one latency.
 *
 * <p>Faults: {@link #packetLoss}, {@link #block} (one-way), {@link #isolateInbound},
 * {@link #isolateOutbound}, {@link #partition}, {@link #delay}, custom {@link LinkFilter}s; {@link #heal}
 * removes all of them.
 *
 * <p>Thread contract: not thread-safe; drive it from the scheduler's thread (the simulation thread).
 * Lives in main code so benchmarks can reuse it.
 */
public final class InMemoryNetwork {
    /** Port of every fake address (the default gossip port). */
    public static final int PORT = 7946;

    private final Scheduler scheduler;
    private final Random random;
    private final Map<String, InetSocketAddress> addresses = new HashMap<>();
    private final Map<InetSocketAddress, String> names = new HashMap<>();
    private final Map<InetSocketAddress, Node> live = new HashMap<>();
    private final Set<String> blocked = new HashSet<>();
    private final Set<String> inboundIsolated = new HashSet<>();
    private final Set<String> outboundIsolated = new HashSet<>();
    private final Map<String, Duration> extraDelay = new HashMap<>();
    private final List<LinkFilter> filters = new ArrayList<>();
    private Duration latency = Duration.ofMillis(1);
    private Duration jitter = Duration.ZERO;
    private double loss;
    private long packetsSent;
    private long packetsDropped;

    public InMemoryNetwork(Scheduler scheduler, long seed) {
        this.scheduler = scheduler;
        this.random = new Random(seed);
    }

    /** One-way latency = base + uniform random in [0, jitter]. Default 1 ms, no jitter. */
    public InMemoryNetwork latency(Duration base, Duration jitter) {
        this.latency = base;
        this.jitter = jitter;
        return this;
    }

    /**
     * A transport for {@code name}. Creating one again after the previous one was closed models a
     * restart at the same address.
     */
    public Transport transport(String name) {
        InetSocketAddress addr = address(name);
        Node existing = live.get(addr);
        if (existing != null && !existing.closed) {
            throw new IllegalStateException("transport for " + name + " is open");
        }
        Node n = new Node(name, addr);
        live.put(addr, n);
        return n;
    }

    /** The fake address of {@code name} (assigned on first use). */
    public InetSocketAddress address(String name) {
        return addresses.computeIfAbsent(name, k -> {
            int i = addresses.size() + 1;
            try {
                InetSocketAddress a = new InetSocketAddress(
                        InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}), PORT);
                names.put(a, k);
                return a;
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // faults

    /** Drops each packet with this probability (0..1), on every link. */
    public void packetLoss(double fraction) {
        this.loss = fraction;
    }

    /** Drops everything sent from {@code from} to {@code to} (packets and streams); the reverse still works. */
    public void block(String from, String to) {
        blocked.add(from + "\u0000" + to);
    }

    public void unblock(String from, String to) {
        blocked.remove(from + "\u0000" + to);
    }

    /** Drops everything addressed to {@code node}: it can still send but never hears back. */
    public void isolateInbound(String node) {
        inboundIsolated.add(node);
    }

    /** Drops everything {@code node} sends. */
    public void isolateOutbound(String node) {
        outboundIsolated.add(node);
    }

    /** Blocks both directions between every node of {@code a} and every node of {@code b}. */
    public void partition(Collection<String> a, Collection<String> b) {
        for (String x : a) {
            for (String y : b) {
                block(x, y);
                block(y, x);
            }
        }
    }

    /** Adds {@code d} to the latency from {@code from} to {@code to}. */
    public void delay(String from, String to, Duration d) {
        extraDelay.put(from + "\u0000" + to, d);
    }

    public void addFilter(LinkFilter f) {
        filters.add(f);
    }

    /** Removes every fault: loss, blocks, isolations, partitions, delays and filters. */
    public void heal() {
        loss = 0;
        blocked.clear();
        inboundIsolated.clear();
        outboundIsolated.clear();
        extraDelay.clear();
        filters.clear();
    }

    public long packetsSent() {
        return packetsSent;
    }

    public long packetsDropped() {
        return packetsDropped;
    }

    // ---------------------------------------------------------------------------------------------

    private boolean cut(String from, String to, LinkFilter.Kind kind) {
        if (outboundIsolated.contains(from) || inboundIsolated.contains(to) || blocked.contains(from + "\u0000" + to)) {
            return true;
        }
        for (LinkFilter f : filters) {
            if (f.drop(from, to, kind)) {
                return true;
            }
        }
        return false;
    }

    private Duration latency(String from, String to) {
        Duration d = latency;
        if (!jitter.isZero()) {
            d = d.plusNanos((long) (random.nextDouble() * jitter.toNanos()));
        }
        Duration extra = extraDelay.get(from + "\u0000" + to);
        return extra == null ? d : d.plus(extra);
    }

    private String nameOf(InetSocketAddress a) {
        String n = names.get(a);
        return n == null ? a.toString() : n;
    }

    private Node target(InetSocketAddress to) {
        Node n = live.get(to);
        return n == null || n.closed ? null : n;
    }

    /** One node's transport. */
    private final class Node implements Transport {
        final String name;
        final InetSocketAddress addr;
        PacketHandler packetHandler;
        StreamHandler streamHandler;
        boolean closed;

        Node(String name, InetSocketAddress addr) {
            this.name = name;
            this.addr = addr;
        }

        @Override
        public InetSocketAddress advertiseAddress() {
            return addr;
        }

        @Override
        public long sendPacket(InetSocketAddress to, byte[] packet) {
            long now = scheduler.clock().nanoTime();
            if (closed) {
                return now;
            }
            packetsSent++;
            String toName = nameOf(to);
            if ((loss > 0 && random.nextDouble() < loss) || cut(name, toName, LinkFilter.Kind.PACKET)) {
                packetsDropped++;
                return now;
            }
            byte[] copy = packet.clone();
            scheduler.schedule(latency(name, toName), () -> {
                Node t = target(to);
                if (t == null || t.packetHandler == null) {
                    packetsDropped++;
                    return;
                }
                t.packetHandler.handle(new Packet(copy, addr, scheduler.clock().nanoTime()));
            });
            return now;
        }

        @Override
        public void onPacket(PacketHandler handler) {
            this.packetHandler = handler;
        }

        @Override
        public void exchange(InetSocketAddress to, byte[] request, boolean expectReply, Duration timeout,
                             ExchangeCallback callback) {
            Exchange ex = new Exchange(callback);
            if (closed) {
                scheduler.execute(() -> ex.finish(null, new ConnectException("transport closed")));
                return;
            }
            ex.timer = scheduler.schedule(timeout, () -> ex.finish(null, new SocketTimeoutException("i/o timeout")));
            String toName = nameOf(to);
            if (cut(name, toName, LinkFilter.Kind.STREAM)) {
                return;
            }
            byte[] req = request.clone();
            scheduler.schedule(latency(name, toName), () -> {
                Node t = target(to);
                if (t == null || t.streamHandler == null) {
                    ex.finish(null, new ConnectException("connection refused: " + to));
                    return;
                }
                if (!expectReply) {
                    ex.finish(null, null);
                }
                t.streamHandler.handle(req, addr, new StreamReply() {
                    boolean answered;

                    @Override
                    public void send(byte[] reply) {
                        if (answered || !expectReply) {
                            answered = true;
                            return;
                        }
                        answered = true;
                        if (t.closed || closed || cut(toName, name, LinkFilter.Kind.STREAM)) {
                            return;
                        }
                        byte[] copy = reply.clone();
                        scheduler.schedule(latency(toName, name), () -> ex.finish(copy, null));
                    }

                    @Override
                    public void close() {
                        if (answered) {
                            return;
                        }
                        answered = true;
                        if (expectReply) {
                            scheduler.schedule(latency(toName, name),
                                    () -> ex.finish(null, new EOFException("stream closed without a reply")));
                        }
                    }
                });
            });
        }

        @Override
        public void onStream(StreamHandler handler) {
            this.streamHandler = handler;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Completes an exchange exactly once. */
    private static final class Exchange {
        final Transport.ExchangeCallback callback;
        Scheduler.Cancellable timer;
        boolean done;

        Exchange(Transport.ExchangeCallback callback) {
            this.callback = callback;
        }

        void finish(byte[] reply, Throwable error) {
            if (done) {
                return;
            }
            done = true;
            if (timer != null) {
                timer.cancel();
            }
            callback.done(reply, error);
        }
    }
}
