package dev.rumor.testing;

import dev.rumor.cluster.Cluster;
import dev.rumor.cluster.ClusterConfig;
import dev.rumor.cluster.ClusterEvent;
import dev.rumor.cluster.IncomingQuery;
import dev.rumor.cluster.Member;
import dev.rumor.cluster.MemberStatus;
import dev.rumor.membership.MembershipConfig;
import dev.rumor.security.Keyring;
import dev.rumor.time.ExecutorScheduler;
import dev.rumor.transport.NetTransport;
import dev.rumor.transport.NetTransportConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A Rumor serf-layer node on loopback for interop tests: a {@link Cluster} on a {@link NetTransport} bound to
 * {@code 127.0.0.1:0} with its own {@link ExecutorScheduler}, using the LAN profile the real agent uses. It
 * records every {@link ClusterEvent} it receives and, when given a responder, answers queries with
 * {@link IncomingQuery#respond}.
 *
 * <p>Every started node must be closed by the test; {@link #close()} stops it without a leave (idempotent).
 *
 * <p>Thread contract: methods may be called from any thread; the event log is thread-safe.
 */
public final class RumorNode implements AutoCloseable {
    /** Bound for the node's own asynchronous operations (join, leave, key changes). */
    public static final Duration OP_TIMEOUT = Duration.ofSeconds(20);

    private final Cluster cluster;
    private final NetTransport transport;
    private final RecordingTransport recorder;
    private final ExecutorScheduler scheduler;
    private final List<ClusterEvent> events = new CopyOnWriteArrayList<>();
    private volatile Function<IncomingQuery, byte[]> responder;
    private volatile boolean closed;

    private RumorNode(ClusterConfig config, int port, Function<IncomingQuery, byte[]> responder) throws IOException {
        this.responder = responder;
        this.transport = NetTransport.bind(NetTransportConfig.bind(InetAddress.getLoopbackAddress(), port));
        this.scheduler = new ExecutorScheduler("rumor-" + config.nodeName());
        this.recorder = new RecordingTransport(transport);
        this.cluster = Cluster.create(config, recorder, scheduler, this::onEvent);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    private void onEvent(ClusterEvent e) {
        events.add(e);
        Function<IncomingQuery, byte[]> r = responder;
        if (e instanceof ClusterEvent.QueryEvent q && r != null) {
            byte[] answer = r.apply(q.query());
            if (answer != null) {
                q.query().respond(answer);
            }
        }
    }

    public Cluster cluster() {
        return cluster;
    }

    public String name() {
        return cluster.nodeName();
    }

    public int gossipPort() {
        return transport.advertiseAddress().getPort();
    }

    /** As serf prints it: {@code 127.0.0.1:PORT}. */
    public String gossipAddress() {
        return transport.advertiseAddress().getAddress().getHostAddress() + ":" + gossipPort();
    }

    /** Replaces the query responder; null stops answering (queries are still recorded). */
    public void respondWith(Function<IncomingQuery, byte[]> r) {
        responder = r;
    }

    /** Joins through a real agent; fails unless at least one member was contacted. */
    public void join(SerfAgent agent) {
        join(agent.gossipSocketAddress());
    }

    public void join(InetSocketAddress address) {
        int n = await(cluster.join(List.of(address), true));
        if (n < 1) {
            throw new IllegalStateException(name() + " contacted nobody joining " + address);
        }
    }

    /** How many of the last packets this node sent to {@code to} satisfy {@code filter} (raw, as on the wire). */
    public long sentPackets(InetSocketAddress to, java.util.function.Predicate<byte[]> filter) {
        return recorder.count(to, filter);
    }

    /** Every event received so far, in order. */
    public List<ClusterEvent> events() {
        return List.copyOf(events);
    }

    public List<ClusterEvent.UserEvent> userEvents() {
        List<ClusterEvent.UserEvent> out = new ArrayList<>();
        for (ClusterEvent e : events) {
            if (e instanceof ClusterEvent.UserEvent u) {
                out.add(u);
            }
        }
        return out;
    }

    public List<IncomingQuery> queries() {
        List<IncomingQuery> out = new ArrayList<>();
        for (ClusterEvent e : events) {
            if (e instanceof ClusterEvent.QueryEvent q) {
                out.add(q.query());
            }
        }
        return out;
    }

    /** How many member events of this type named {@code node}. */
    public long memberEvents(ClusterEvent.Type type, String node) {
        return events.stream().filter(e -> e instanceof ClusterEvent.MemberEvent m && m.type() == type
                && m.members().stream().anyMatch(x -> x.name().equals(node))).count();
    }

    public Optional<Member> member(String node) {
        return Optional.ofNullable(cluster.member(node));
    }

    /** The status this node holds for {@code node}, or null if unknown. */
    public MemberStatus statusOf(String node) {
        return member(node).map(Member::status).orElse(null);
    }

    /** Graceful leave (intent, memberlist leave, propagate delay), then shutdown. */
    public void leave() {
        await(cluster.leave());
        close();
    }

    /** Stops without telling anyone: peers must detect this node as failed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cluster.shutdown();
        transport.close();
        scheduler.close();
    }

    @Override
    public String toString() {
        return "rumor node " + name() + " gossip " + gossipAddress() + " sees " + cluster.members();
    }

    public static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(OP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out after " + OP_TIMEOUT, e);
        }
    }

    /** Settings of one node; {@link #start()} binds the socket. */
    public static final class Builder {
        private final String name;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private Keyring keyring;
        private java.nio.file.Path keyringFile;
        private Function<IncomingQuery, byte[]> responder;
        private int port;

        private Builder(String name) {
            this.name = name;
        }

        public Builder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        /** Encrypts gossip with this keyring (shared by the membership and the key-management queries). */
        public Builder keyring(Keyring k, java.nio.file.Path file) {
            keyring = k;
            keyringFile = file;
            return this;
        }

        /** Binds this port instead of an ephemeral one (to restart a node where it was); 0 = ephemeral. */
        public Builder port(int p) {
            port = p;
            return this;
        }

        /** Answers every delivered query with the function's result (null: no answer). */
        public Builder respondWith(Function<IncomingQuery, byte[]> r) {
            responder = r;
            return this;
        }

        public RumorNode start() {
            MembershipConfig m = MembershipConfig.lan(name).toBuilder()
                    .bindAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .keyring(keyring)
                    .build();
            ClusterConfig c = ClusterConfig.defaults(m).withTags(tags).withKeyring(keyring, keyringFile);
            try {
                return new RumorNode(c, port, responder);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind a loopback gossip port", e);
            }
        }
    }

    /** Passes everything through to the real transport and remembers the last packets sent. */
    private static final class RecordingTransport implements dev.rumor.transport.Transport {
        private static final int KEEP = 4096;
        private final NetTransport delegate;
        private final java.util.Deque<Map.Entry<InetSocketAddress, byte[]>> sent = new java.util.ArrayDeque<>();

        RecordingTransport(NetTransport delegate) {
            this.delegate = delegate;
        }

        synchronized long count(InetSocketAddress to, java.util.function.Predicate<byte[]> filter) {
            return sent.stream().filter(e -> e.getKey().equals(to) && filter.test(e.getValue())).count();
        }

        @Override
        public InetSocketAddress advertiseAddress() {
            return delegate.advertiseAddress();
        }

        @Override
        public long sendPacket(InetSocketAddress to, byte[] packet) throws IOException {
            synchronized (this) {
                sent.addLast(Map.entry(to, packet.clone()));
                if (sent.size() > KEEP) {
                    sent.removeFirst();
                }
            }
            return delegate.sendPacket(to, packet);
        }

        @Override
        public void onPacket(PacketHandler handler) {
            delegate.onPacket(handler);
        }

        @Override
        public void exchange(InetSocketAddress to, byte[] request, boolean expectReply, Duration timeout,
                             ExchangeCallback callback) {
            delegate.exchange(to, request, expectReply, timeout, callback);
        }

        @Override
        public void onStream(StreamHandler handler) {
            delegate.onStream(handler);
        }

        @Override
        public void frameReader(dev.rumor.transport.FrameReader reader) {
            delegate.frameReader(reader);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
