package dev.rumor.agent;

import dev.rumor.agent.config.AgentConfig;
import dev.rumor.agent.plugin.ClusterView;
import dev.rumor.agent.plugin.EventFilter;
import dev.rumor.agent.plugin.HandlerSpec;
import dev.rumor.agent.plugin.HandlerSpecs;
import dev.rumor.agent.plugin.PluginHost;
import dev.rumor.agent.plugin.PluginReloadException;
import dev.rumor.agent.plugin.ReloadResult;
import dev.rumor.cluster.Cluster;
import dev.rumor.cluster.ClusterConfig;
import dev.rumor.cluster.ClusterEvent;
import dev.rumor.cluster.IncomingQuery;
import dev.rumor.cluster.Member;
import dev.rumor.cluster.Snapshotter;
import dev.rumor.membership.Memberlist;
import dev.rumor.membership.MembershipConfig;
import dev.rumor.plugin.MemberStatus;
import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.EventType;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.rpc.RpcServer;
import dev.rumor.security.Keyring;
import dev.rumor.time.ExecutorScheduler;
import dev.rumor.transport.NetTransport;
import dev.rumor.transport.NetTransportConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent (serf's agent.Agent + the parts of command.go that outlive start-up): the cluster on
 * a real transport, the event pipeline (snapshot, coalescing, fan-out to plugin handlers and RPC streams),
 * the plugin host, the RPC server, joins, reload and leave.
 *
 * <p>Threads: the protocol runs on its own scheduler thread and hands events to one agent event thread,
 * which coalesces and fans out without ever blocking (handlers have their own queues and workers; RPC
 * clients their own bounded buffers). Public methods may be called from any thread.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.rumor.agent.Agent");
    static final Duration COALESCE_PERIOD = Duration.ofSeconds(3);
    static final Duration QUIESCENT_PERIOD = Duration.ofSeconds(1);

    private volatile AgentSettings settings;
    private final ExecutorScheduler scheduler;
    private final NetTransport transport;
    private final Cluster cluster;
    private final Snapshotter snapshotter;
    private final ScheduledExecutorService events;
    private final MemberEventCoalescer memberCoalescer;
    private final UserEventCoalescer userCoalescer;
    private final PluginHost plugins;
    private final RpcServer rpc;
    private final InetSocketAddress rpcAddress;
    private final List<StreamSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Map<Long, IncomingQuery> openQueries = new ConcurrentHashMap<>();
    private final AtomicLong queryIds = new AtomicLong();
    /** Completes with the exit code when the agent should stop (RPC leave, lost join retries). */
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    /** An RPC {@code stream} subscription: a serf filter and where its records go. */
    record StreamSubscriber(EventFilter filter, dev.rumor.rpc.RpcBackend.EventSink sink) {
    }

    private Agent(AgentSettings s) throws Exception {
        this.settings = s;
        AgentConfig c = s.config();
        boolean compression = !Boolean.FALSE.equals(c.enableCompression());
        MembershipConfig membership = s.membershipConfig(compression);
        NetTransportConfig tc = NetTransportConfig.bind(s.bind()).withTcpTimeout(membership.tcpTimeout());
        if (s.advertise() != null) {
            tc = tc.withAdvertise(s.advertise().getAddress(), s.advertise().getPort());
        }
        this.transport = NetTransport.bind(tc);
        this.scheduler = new ExecutorScheduler("rumor-protocol");
        this.events = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rumor-events");
            t.setDaemon(true);
            return t;
        });
        this.memberCoalescer = new MemberEventCoalescer(events, COALESCE_PERIOD, QUIESCENT_PERIOD);
        this.userCoalescer = new UserEventCoalescer(events, COALESCE_PERIOD, QUIESCENT_PERIOD);
        Snapshotter snap = null;
        if (s.snapshotPath() != null) {
            snap = Snapshotter.open(s.snapshotPath(), Snapshotter.DEFAULT_MIN_COMPACT_SIZE,
                    Boolean.TRUE.equals(c.rejoinAfterLeave()), dev.rumor.time.Clock.SYSTEM);
        }
        this.snapshotter = snap;
        ClusterConfig cc = s.clusterConfig(membership);
        this.cluster = Cluster.create(cc, transport, scheduler, this::onClusterEvent);
        if (snapshotter != null) {
            cluster.restore(snapshotter.state()).get(10, TimeUnit.SECONDS);
            cluster.onLeave(() -> snapshotter.leave(Boolean.TRUE.equals(c.rejoinAfterLeave())));
            events.scheduleWithFixedDelay(this::snapshotClock, 500, 500, TimeUnit.MILLISECONDS);
        }
        this.plugins = PluginHost.builder(s.pluginsDir(), s.dataDir(), new View()).build();
        try {
            plugins.reload(HandlerSpecs.fromConfig(c));
        } catch (PluginReloadException e) {
            close();
            throw new IllegalArgumentException("Failed to set up event handlers:\n  " + String.join("\n  ", e.problems()), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.rpc = new RpcServer(new AgentRpc(this), s.rpcAuth());
        try {
            this.rpcAddress = rpc.start(s.rpcAddr());
        } catch (IOException e) {
            close();
            throw new IOException("Error starting RPC listener: " + e.getMessage(), e);
        }
    }

    /** Creates and starts an agent (not yet joined). */
    public static Agent start(AgentSettings settings) throws Exception {
        return new Agent(settings);
    }

    // ------------------------------------------------------------------ accessors

    public Cluster cluster() {
        return cluster;
    }

    public AgentSettings settings() {
        return settings;
    }

    public InetSocketAddress gossipAddress() {
        return transport.advertiseAddress();
    }

    public InetSocketAddress rpcAddress() {
        return rpcAddress;
    }

    public PluginHost plugins() {
        return plugins;
    }

    public RpcServer rpcServer() {
        return rpc;
    }

    /** Completes with the process exit code when the agent decided to stop by itself. */
    public CompletableFuture<Integer> exitRequested() {
        return exit;
    }

    void requestExit(int code) {
        exit.complete(code);
    }

    // ------------------------------------------------------------------ joining

    /**
     * Joins through the given addresses ("host", "host:port"; the port defaults to ours).
     *
     * @return the number of nodes contacted
     * @throws dev.rumor.rpc.RpcBackend.JoinException when none could be joined, with serf's message shape
     */
    public int join(List<String> addresses, boolean replay) throws dev.rumor.rpc.RpcException {
        List<InetSocketAddress> addrs = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int port = transport.advertiseAddress().getPort();
        for (String a : addresses) {
            String hostPort = a.contains("/") ? a.substring(a.indexOf('/') + 1) : a;
            try {
                addrs.add(AgentSettings.parseAddr(hostPort, port, "join"));
            } catch (IllegalArgumentException e) {
                errors.add("Failed to resolve " + a + ": " + e.getMessage());
            }
        }
        LOG.info("Agent joining: {} replay: {}", addresses, replay);
        int n = 0;
        if (!addrs.isEmpty()) {
            try {
                n = cluster.join(addrs, !replay).get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Memberlist.JoinException je) {
                    errors.addAll(je.errors());
                } else {
                    errors.add(String.valueOf(cause.getMessage()));
                }
            } catch (TimeoutException e) {
                errors.add("timed out joining " + addresses);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                errors.add("interrupted");
            }
        }
        if (n == 0 && !errors.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            sb.append(errors.size()).append(errors.size() == 1 ? " error occurred:" : " errors occurred:");
            for (String e : errors) {
                sb.append("\n\t* ").append(e);
            }
            sb.append("\n\n");
            throw new dev.rumor.rpc.RpcBackend.JoinException(sb.toString(), 0);
        }
        return n;
    }

    /** Rejoin from the snapshot: try remembered nodes in random order until one answers (serf's behaviour). */
    public boolean rejoinFromSnapshot() {
        if (snapshotter == null) {
            return false;
        }
        List<Map.Entry<String, String>> known = new ArrayList<>(snapshotter.state().aliveNodes().entrySet());
        Collections.shuffle(known);
        for (Map.Entry<String, String> e : known) {
            if (e.getKey().equals(settings.nodeName())) {
                continue;
            }
            LOG.info("Attempting re-join to previously known node: {}: {}", e.getKey(), e.getValue());
            try {
                if (join(List.of(e.getValue()), false) > 0) {
                    LOG.info("Re-joined to previously known node: {}: {}", e.getKey(), e.getValue());
                    return true;
                }
            } catch (dev.rumor.rpc.RpcException ex) {
                LOG.debug("Re-join to {} failed: {}", e.getKey(), ex.getMessage());
            }
        }
        if (!known.isEmpty()) {
            LOG.warn("Failed to re-join any previously known node");
        }
        return false;
    }

    /**
     * serf's retry-join: keeps trying in the background every {@code interval}; after {@code maxAttempts}
     * (0 = forever) failures the agent exits with 1.
     */
    public void retryJoin(List<String> addresses, Duration interval, int maxAttempts) {
        if (addresses.isEmpty()) {
            return;
        }
        Thread t = new Thread(() -> {
            int attempt = 0;
            while (!exit.isDone()) {
                attempt++;
                try {
                    int n = join(addresses, Boolean.TRUE.equals(settings.config().replayOnJoin()));
                    LOG.info("agent: Join completed. Synced with {} initial agents", n);
                    return;
                } catch (dev.rumor.rpc.RpcException e) {
                    if (maxAttempts > 0 && attempt >= maxAttempts) {
                        LOG.error("agent: max join retry exhausted, exiting");
                        requestExit(1);
                        return;
                    }
                    LOG.warn("agent: Join failed: {}, retrying in {}", e.getMessage().strip(), interval);
                }
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rumor-retry-join");
        t.setDaemon(true);
        t.start();
    }

    // ------------------------------------------------------------------ events

    /** Protocol thread: hand off at once. */
    private void onClusterEvent(ClusterEvent e) {
        try {
            events.execute(() -> pipeline(e));
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // shutting down
        }
    }

    /** Event thread: snapshot first (it must see every raw event), then coalescing, then fan-out. */
    private void pipeline(ClusterEvent e) {
        if (snapshotter != null) {
            recordInSnapshot(e);
        }
        if (memberCoalescer.handles(e)) {
            memberCoalescer.offer(e, this::emit);
        } else if (userCoalescer.handles(e)) {
            userCoalescer.offer(e, this::emit);
        } else {
            emit(e);
        }
    }

    private void recordInSnapshot(ClusterEvent e) {
        if (e instanceof ClusterEvent.MemberEvent me) {
            for (Member m : me.members()) {
                if (me.type() == ClusterEvent.Type.MEMBER_JOIN) {
                    snapshotter.memberJoined(m.name(), Snapshotter.hostPort(m.addr(), m.port()));
                } else if (me.type() != ClusterEvent.Type.MEMBER_UPDATE) {
                    snapshotter.memberGone(m.name());
                }
            }
            snapshotClock();
        } else if (e instanceof ClusterEvent.UserEvent u) {
            snapshotter.userEvent(u.ltime());
        } else if (e instanceof ClusterEvent.QueryEvent q) {
            snapshotter.query(q.query().ltime());
        }
    }

    private void snapshotClock() {
        try {
            snapshotter.updateClock(cluster.memberClockTime());
            snapshotter.flush();
        } catch (RuntimeException ex) {
            LOG.warn("Snapshot update failed: {}", ex.getMessage());
        }
    }

    /** Fan-out after coalescing: plugin handlers and RPC streams. Never blocks. */
    private void emit(ClusterEvent e) {
        Event pluginEvent = toPluginEvent(e);
        if (pluginEvent == null) {
            return;
        }
        plugins.dispatcher().dispatch(pluginEvent);
        for (StreamSubscriber s : subscribers) {
            if (s.filter().deliveries(pluginEvent) == 0) {
                continue;
            }
            try {
                if (e instanceof ClusterEvent.QueryEvent q) {
                    IncomingQuery iq = q.query();
                    s.sink().query(iq.ltime(), iq.name(), iq.payload(), iq.deadlineMillis(), payload -> {
                        try {
                            iq.respond(payload);
                        } catch (IllegalStateException | IllegalArgumentException ex) {
                            throw new dev.rumor.rpc.RpcException(ex.getMessage());
                        }
                    });
                } else {
                    s.sink().event(AgentRpc.streamRecord(e));
                }
            } catch (RuntimeException ex) {
                LOG.warn("Stream subscriber failed: {}", ex.getMessage());
            }
        }
    }

    private Event toPluginEvent(ClusterEvent e) {
        if (e instanceof ClusterEvent.MemberEvent me) {
            List<dev.rumor.plugin.Member> ms = new ArrayList<>();
            for (Member m : me.members()) {
                ms.add(toPluginMember(m));
            }
            return new dev.rumor.plugin.event.MemberEvent(EventType.fromWireName(me.type().wireName()), ms);
        }
        if (e instanceof ClusterEvent.UserEvent u) {
            return new dev.rumor.plugin.event.UserEvent(u.ltime(), u.name(), u.payload(), u.coalesce());
        }
        if (e instanceof ClusterEvent.QueryEvent q) {
            IncomingQuery iq = q.query();
            long id = queryIds.incrementAndGet();
            long now = System.currentTimeMillis();
            openQueries.values().removeIf(x -> x.deadlineMillis() < now);
            openQueries.put(id, iq);
            return new QueryEvent(iq.ltime(), id, iq.name(), iq.payload(), Instant.ofEpochMilli(iq.deadlineMillis()));
        }
        return null;
    }

    static dev.rumor.plugin.Member toPluginMember(Member m) {
        java.net.InetAddress ip = m.address().getAddress();
        String addr = ip == null ? "<nil>" : ip.getHostAddress();
        return new dev.rumor.plugin.Member(m.name(), addr, m.port(), m.tags(),
                MemberStatus.valueOf(m.status().name()));
    }

    /** The plugin host's view of the cluster. */
    private final class View implements ClusterView {
        @Override
        public dev.rumor.plugin.Member self() {
            Member m = cluster == null ? null : cluster.localMember();
            return m == null ? null : toPluginMember(m);
        }

        @Override
        public List<dev.rumor.plugin.Member> members() {
            List<dev.rumor.plugin.Member> out = new ArrayList<>();
            if (cluster != null) {
                for (Member m : cluster.members()) {
                    out.add(toPluginMember(m));
                }
            }
            return out;
        }

        @Override
        public boolean respond(QueryEvent query, byte[] payload) {
            IncomingQuery iq = openQueries.get(query.id());
            if (iq == null) {
                return false;
            }
            try {
                iq.respond(payload);
                return true;
            } catch (IllegalStateException | IllegalArgumentException e) {
                LOG.warn("Query response to '{}' not sent: {}", query.name(), e.getMessage());
                return false;
            }
        }
    }

    Runnable subscribe(EventFilter filter, dev.rumor.rpc.RpcBackend.EventSink sink) {
        StreamSubscriber s = new StreamSubscriber(filter, sink);
        subscribers.add(s);
        return () -> subscribers.remove(s);
    }

    // ------------------------------------------------------------------ tags, keys, stats

    /** Replaces the tags, persists them to the tags file if configured, and waits for the broadcast. */
    public void setTags(Map<String, String> tags) throws Exception {
        cluster.setTags(tags).get(settings.config().broadcastTimeout() == null ? 10
                : settings.config().broadcastTimeout().value().toSeconds() + 5, TimeUnit.SECONDS);
        if (settings.tagsFile() != null) {
            AgentSettings.writeTagsFile(settings.tagsFile(), tags);
        }
    }

    /** serf's stats sections plus Rumor's {@code plugins} section. */
    public Map<String, Map<String, String>> stats() {
        Map<String, Map<String, String>> s = new LinkedHashMap<>();
        s.put("agent", Map.of("name", settings.nodeName()));
        Runtime rt = Runtime.getRuntime();
        s.put("runtime", Map.of("os", System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT),
                "arch", System.getProperty("os.arch"), "version", "java" + System.getProperty("java.version"),
                "max_procs", Integer.toString(rt.availableProcessors()),
                "goroutines", Integer.toString(Thread.activeCount()),
                "cpu_count", Integer.toString(rt.availableProcessors())));
        s.put("serf", cluster.stats());
        s.put("tags", cluster.tags());
        Map<String, String> handlers = new LinkedHashMap<>();
        for (String spec : nonNull(settings.config().eventHandlers())) {
            int eq = spec.indexOf('=');
            String filter = eq < 0 ? "*" : spec.substring(0, eq);
            String script = eq < 0 ? spec : spec.substring(eq + 1);
            for (String term : (filter.isEmpty() ? "*" : filter).split(",")) {
                handlers.put(term.contains(":") ? term : term + ":", script);
            }
        }
        s.put("event_handlers", handlers);
        s.put("plugins", plugins.stats().toInfo());
        return s;
    }

    private static <T> List<T> nonNull(List<T> l) {
        return l == null ? List.of() : l;
    }

    // ------------------------------------------------------------------ reload

    /**
     * Full reload (SIGHUP): validates the new config completely before changing anything; on any error the
     * running config stays and the problem is returned. Settings that cannot change at runtime are reported.
     *
     * @return human-readable lines for the log: what changed, what needs a restart, or what is wrong
     */
    public synchronized List<String> reload(AgentConfig merged, Path home) {
        List<String> out = new ArrayList<>();
        AgentSettings next;
        List<HandlerSpec> specs;
        try {
            next = AgentSettings.from(merged, home);
            specs = HandlerSpecs.fromConfig(merged);
        } catch (IllegalArgumentException e) {
            out.add("Failed to reload configs: " + e.getMessage() + "; keeping the running configuration");
            return out;
        }
        AgentSettings prev = settings;
        try {
            ReloadResult r = plugins.reload(specs);
            if (!r.unchanged()) {
                out.add("handlers: " + r);
            }
        } catch (PluginReloadException e) {
            out.add("Failed to reload event handlers; keeping the running configuration:\n  "
                    + String.join("\n  ", e.problems()));
            return out;
        }
        dev.rumor.agent.log.LogHub hub = dev.rumor.agent.log.LogHub.installed();
        if (hub != null && !Objects.equals(prev.config().logLevel(), merged.logLevel())) {
            hub.setLevel(merged.logLevel());
            out.add("log level: " + hub.level());
        }
        if (!next.tags().equals(cluster.tags())) {
            try {
                setTags(next.tags());
                out.add("tags: " + new java.util.TreeMap<>(next.tags()));
            } catch (Exception e) {
                out.add("Failed to update tags: " + e.getMessage());
            }
        }
        if (next.keyringFile() != null && next.keyring() != null && prev.keyring() != null) {
            out.addAll(syncKeyring(prev.keyring(), next.keyring()));
        }
        restartNeeded(prev, next, out);
        settings = new AgentSettings(merged, prev.nodeName(), prev.bind(), prev.advertise(), prev.rpcAddr(), next.rpcAuth(),
                prev.profile(), prev.protocol(), prev.keyring(), prev.keyringFile(), next.tags(), next.tagsFile(),
                prev.snapshotPath(), prev.pluginsDir(), prev.dataDir());
        return out;
    }

    /** Applies a keyring file edited by hand to the live keyring: add new keys, switch primary, drop removed. */
    private static List<String> syncKeyring(Keyring live, Keyring wanted) {
        List<String> out = new ArrayList<>();
        try {
            for (byte[] k : wanted.keys()) {
                if (!live.contains(k)) {
                    live.addKey(k);
                    out.add("keyring: installed a key");
                }
            }
            if (!java.util.Arrays.equals(live.primaryKey(), wanted.primaryKey())) {
                live.useKey(wanted.primaryKey());
                out.add("keyring: changed the primary key");
            }
            for (byte[] k : live.keys()) {
                if (!wanted.contains(k)) {
                    live.removeKey(k);
                    out.add("keyring: removed a key");
                }
            }
        } catch (dev.rumor.security.KeyringException e) {
            out.add("keyring: " + e.getMessage());
        }
        return out;
    }

    private static void restartNeeded(AgentSettings a, AgentSettings b, List<String> out) {
        Map<String, Object[]> fixed = new LinkedHashMap<>();
        fixed.put("node_name", new Object[] {a.nodeName(), b.nodeName()});
        fixed.put("bind", new Object[] {a.bind(), b.bind()});
        fixed.put("advertise", new Object[] {a.advertise(), b.advertise()});
        fixed.put("rpc_addr", new Object[] {a.rpcAddr(), b.rpcAddr()});
        fixed.put("profile", new Object[] {a.profile(), b.profile()});
        fixed.put("protocol", new Object[] {a.protocol(), b.protocol()});
        fixed.put("snapshot_path", new Object[] {a.snapshotPath(), b.snapshotPath()});
        fixed.put("plugins_dir", new Object[] {a.pluginsDir(), b.pluginsDir()});
        fixed.put("query_size_limit", new Object[] {a.config().querySizeLimit(), b.config().querySizeLimit()});
        fixed.put("query_response_size_limit", new Object[] {a.config().queryResponseSizeLimit(),
            b.config().queryResponseSizeLimit()});
        fixed.put("user_event_size_limit", new Object[] {a.config().userEventSizeLimit(), b.config().userEventSizeLimit()});
        fixed.put("encrypt_key", new Object[] {a.config().encryptKey(), b.config().encryptKey()});
        fixed.forEach((k, v) -> {
            if (!Objects.equals(v[0], v[1])) {
                out.add(k + " changed: restart the agent to apply it");
            }
        });
    }

    // ------------------------------------------------------------------ leave and shutdown

    /** Graceful leave (serf's sequence inside the cluster layer); waits for it, then flushes the snapshot. */
    public void leave() throws Exception {
        LOG.info("agent: requesting graceful leave from Serf");
        Duration wait = (settings.config().broadcastTimeout() == null ? Duration.ofSeconds(5)
                : settings.config().broadcastTimeout().value()).multipliedBy(3).plusSeconds(5);
        cluster.leave().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (snapshotter != null) {
            events.submit(snapshotter::flush).get(5, TimeUnit.SECONDS);
        }
    }

    /** Stops everything without leaving (peers will see this node fail). Idempotent. */
    @Override
    public void close() {
        LOG.info("agent: requesting serf shutdown");
        if (rpc != null) {
            rpc.close();
        }
        if (plugins != null) {
            plugins.close(Duration.ofSeconds(2));
        }
        if (cluster != null) {
            cluster.shutdown();
        }
        events.shutdown();
        try {
            events.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (snapshotter != null) {
            snapshotter.close();
        }
        if (transport != null) {
            transport.close();
        }
        scheduler.close();
        exit.complete(0);
    }
}
