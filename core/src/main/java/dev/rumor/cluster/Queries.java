package dev.rumor.cluster;

import dev.rumor.cluster.wire.SerfCodec;
import dev.rumor.cluster.wire.SerfMessage;
import dev.rumor.time.Scheduler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queries, both ends (serf {@code query.go} and the query parts of {@code serf.go}, wire-protocol §7.7):
 * originating (clock, size limit, collector with deadline), receiving (de-dup by LTime + ID, filters, ack,
 * delivery, re-broadcast unless no-broadcast), responding (once, before the deadline, size-limited, direct
 * to the originator plus relays) and collecting answers.
 *
 * <p>Thread contract: {@link #start}, {@link #receive} and {@link #receiveResponse} run on the protocol
 * thread; {@link #respond} (through {@link IncomingQuery}) may run on any thread.
 */
final class Queries {
    private static final Logger LOG = LoggerFactory.getLogger(Queries.class);

    /** Sends a user message straight to an address (memberlist {@code SendToAddress}); thread-safe. */
    interface Sender {
        void sendTo(InetSocketAddress to, byte[] msg);
    }

    private final ClusterConfig config;
    private final LamportClock clock;
    private final QueryBuffer buffer;
    private final Scheduler scheduler;
    private final Random random;
    private final Sender sender;
    private final Supplier<Collection<Member>> members;
    private final Supplier<Map<String, String>> localTags;
    private final Consumer<ClusterEvent> sink;
    private final Consumer<byte[]> rebroadcast;
    private final Map<Long, QueryResponses> running = new HashMap<>();

    Queries(ClusterConfig config, LamportClock clock, QueryBuffer buffer, Scheduler scheduler, Random random,
            Sender sender, Supplier<Collection<Member>> members, Supplier<Map<String, String>> localTags,
            Consumer<ClusterEvent> sink, Consumer<byte[]> rebroadcast) {
        this.config = config;
        this.clock = clock;
        this.buffer = buffer;
        this.scheduler = scheduler;
        this.random = random;
        this.sender = sender;
        this.members = members;
        this.localTags = localTags;
        this.sink = sink;
        this.rebroadcast = rebroadcast;
    }

    LamportClock clock() {
        return clock;
    }

    void raiseMinTime(long t) {
        buffer.raiseMinTime(t);
    }

    /**
     * Originates a query: registers its collector, processes it locally (we answer ourselves like anyone
     * else) and queues it for gossip.
     *
     * @param timeout already defaulted by the caller
     * @throws IllegalArgumentException when the encoded query exceeds the size limit
     */
    QueryResponses start(String name, byte[] payload, QueryParams params, Duration timeout, byte[] selfAddr,
                         int selfPort) {
        int flags = params.requestAck() ? SerfMessage.QUERY_FLAG_ACK : 0;
        SerfMessage.Query q = new SerfMessage.Query(clock.time(), random.nextInt() & 0x7fffffffL, selfAddr, selfPort,
                config.nodeName(), params.encodedFilters(), flags, params.relayFactor(), timeout, name, payload);
        byte[] raw = ClusterMath.checkedQuery(q, config.querySizeLimit());
        Set<String> expected = new java.util.TreeSet<>();
        for (Member m : members.get()) {
            if (m.status() == MemberStatus.ALIVE && params.matches(m.name(), m.tags())) {
                expected.add(m.name());
            }
        }
        long now = scheduler.clock().nanoTime();
        QueryResponses resp = new QueryResponses(name, q.ltime(), q.id(), now + timeout.toNanos(),
                scheduler.clock().currentTimeMillis() + timeout.toMillis(), params.requestAck(), expected);
        running.put(q.ltime(), resp);
        // Stay registered until the deadline even if the query finished early, as serf does: relayed copies of
        // answers we already have keep arriving and are dropped silently by the closed collector.
        scheduler.schedule(timeout, () -> {
            resp.close();
            running.remove(q.ltime(), resp);
        });
        receive(q);
        rebroadcast.accept(raw);
        return resp;
    }

    /** @return true if the query is new and should be re-gossiped */
    boolean receive(SerfMessage.Query q) {
        clock.witness(q.ltime());
        Admission a = buffer.offer(q.ltime(), (int) q.id(), clock.time());
        if (a == Admission.TOO_OLD) {
            LOG.warn("received old query {} from time {} (current: {})", q.name(), q.ltime(), clock.time());
        }
        if (!a.isNew()) {
            return false;
        }
        boolean rebroadcastIt = !q.noBroadcast();
        if (!QueryFilter.shouldProcess(q.filters(), config.nodeName(), localTags.get())) {
            return rebroadcastIt;
        }
        InetSocketAddress origin = address(q.addr(), q.port());
        if (q.ack() && origin != null) {
            SerfMessage.QueryResponse ack = new SerfMessage.QueryResponse(q.ltime(), q.id(), config.nodeName(),
                    SerfMessage.QUERY_FLAG_ACK, null);
            sender.sendTo(origin, SerfCodec.encode(ack));
            try {
                relay(q.relayFactor(), q.addr(), q.port(), q.sourceNode(), ack);
            } catch (IllegalArgumentException e) {
                LOG.error("failed to relay ack: {}", e.getMessage());
            }
        }
        long now = scheduler.clock().nanoTime();
        sink.accept(new ClusterEvent.QueryEvent(new IncomingQuery(q, now + q.timeout().toNanos(),
                scheduler.clock().currentTimeMillis() + q.timeout().toMillis(), this)));
        return rebroadcastIt;
    }

    void receiveResponse(SerfMessage.QueryResponse r) {
        QueryResponses q = running.get(r.ltime());
        if (q == null) {
            LOG.warn("reply for non-running query (LTime: {}, ID: {}) From: {}", r.ltime(), r.id(), r.from());
            return;
        }
        if (q.id() != r.id()) {
            LOG.warn("query reply ID mismatch (Local: {}, Response: {})", q.id(), r.id());
            return;
        }
        if (r.ack()) {
            q.addAck(r.from());
        } else {
            q.addResponse(new NodeResponse(r.from(), r.payload()));
        }
    }

    void respond(IncomingQuery query, byte[] payload, long deadlineNanos, AtomicBoolean responded) {
        SerfMessage.Query q = query.message();
        SerfMessage.QueryResponse resp = new SerfMessage.QueryResponse(q.ltime(), q.id(), config.nodeName(), 0,
                payload);
        byte[] raw = SerfCodec.encode(resp);
        respondRaw(q, raw, resp, deadlineNanos, responded);
    }

    /** Sends an already-encoded response (key-list truncation needs to size it first). */
    void respondRaw(SerfMessage.Query q, byte[] raw, SerfMessage.QueryResponse resp, long deadlineNanos,
                    AtomicBoolean responded) {
        if (raw.length > config.queryResponseSizeLimit()) {
            throw fail("response exceeds limit of " + config.queryResponseSizeLimit() + " bytes");
        }
        if (responded.get()) {
            throw fail("response already sent");
        }
        if (scheduler.clock().nanoTime() > deadlineNanos) {
            throw fail("response is past the deadline");
        }
        if (!responded.compareAndSet(false, true)) {
            throw fail("response already sent");
        }
        InetSocketAddress origin = address(q.addr(), q.port());
        if (origin == null) {
            throw fail("invalid originator address");
        }
        sender.sendTo(origin, raw);
        try {
            relay(q.relayFactor(), q.addr(), q.port(), q.sourceNode(), resp);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    private static IllegalStateException fail(String why) {
        return new IllegalStateException("failed to respond to key query: " + why);
    }

    /** Sends copies through {@code relayFactor} random other alive members that speak protocol ≥ 5. */
    private void relay(int relayFactor, byte[] addr, int port, String node, SerfMessage.QueryResponse resp) {
        if (relayFactor == 0) {
            return;
        }
        List<Member> all = new ArrayList<>(members.get());
        if (all.size() < relayFactor + 1) {
            return;
        }
        byte[] raw = ClusterMath.checkedRelay(
                new SerfMessage.Relay(addr, port, "", node, SerfCodec.encode(resp)), config.queryResponseSizeLimit());
        List<Member> chosen = new ArrayList<>();
        Random r;
        synchronized (random) {
            r = new Random(random.nextLong());
        }
        for (int i = 0; i < 3 * all.size() && chosen.size() < relayFactor; i++) {
            Member m = all.get(r.nextInt(all.size()));
            if (m.status() != MemberStatus.ALIVE || m.protocolMax() < 5 || m.name().equals(config.nodeName())
                    || chosen.contains(m)) {
                continue;
            }
            chosen.add(m);
        }
        for (Member m : chosen) {
            sender.sendTo(m.address(), raw);
        }
    }

    /** Closes every running collector (shutdown). */
    void closeAll() {
        for (QueryResponses q : List.copyOf(running.values())) {
            q.close();
        }
        running.clear();
    }

    static InetSocketAddress address(byte[] ip, int port) {
        if (ip == null || (ip.length != 4 && ip.length != 16)) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
