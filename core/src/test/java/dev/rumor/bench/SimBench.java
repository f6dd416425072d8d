package dev.rumor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rumor.membership.Broadcast;
import dev.rumor.membership.Delegates;
import dev.rumor.membership.EventDelegate;
import dev.rumor.membership.Interner;
import dev.rumor.membership.Memberlist;
import dev.rumor.membership.MembershipConfig;
import dev.rumor.membership.MessageDelegate;
import dev.rumor.membership.Node;
import dev.rumor.membership.NodeStatus;
import dev.rumor.membership.ProtocolMath;
import dev.rumor.membership.SimulationHooks;
import dev.rumor.membership.TransmitLimitedQueue;
import dev.rumor.membership.wire.Message.PushNodeState;
import dev.rumor.time.VirtualScheduler;
import dev.rumor.transport.InMemoryNetwork;
import dev.rumor.transport.LinkFilter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The simulation benchmark: N {@link Memberlist} nodes (the production protocol code) on an
 * {@link InMemoryNetwork} and one {@link VirtualScheduler}, seeded, LAN profile. User events are
 * modelled on the memberlist delegate as serf disseminates them ({@code UserBroadcasts}); the serf
 * layer itself ({@code dev.rumor.cluster.Cluster}) is not used because its member table republishes a
 * sorted copy of all members on every membership event (O(N) per event, so O(N³) for a cluster-wide
 * bootstrap in one JVM), which makes a 1,000-node bootstrap take hours of simulation time. One run per size goes through these phases on the same cluster:
 * <ol>
 *   <li>bootstrap: every node joins through one of a few seeds at the same instant; virtual time until
 *       every node lists N alive members. Above {@code --warm-start-above} nodes (default 2,000) a
 *       bootstrap would take hours of wall time (it is gossip-bandwidth bound and grows ~N²), so instead
 *       every node is given the full view through the push/pull merge path
 *       ({@link SimulationHooks#mergeAsPushPull}); such a run reports no bootstrap figure, settles for one
 *       push/pull interval (in which every node makes its first push/pull, which gives the steady stream
 *       rate) and measures packets over a shorter window ({@code --warm-window});</li>
 *   <li>steady state: packets and bytes each node sends per second over a window;</li>
 *   <li>dissemination: one user event from one node; virtual time until 50/99/99.99% of nodes delivered it;</li>
 *   <li>failure detection: one node crashes; virtual time until the first and until every other node
 *       emitted member-failed for it; failures declared about anyone else;</li>
 *   <li>(sizes up to {@code --loss-max}) uniform 5% packet loss for 10 virtual minutes: false failures;</li>
 *   <li>(same sizes) the Rapid stress case: 1% of nodes lose 80% of the packets sent to them; then again
 *       with 80% of the stream connections to them failing too.</li>
 * </ol>
 *
 * <p>All nodes share one {@link Interner#shared()}, so the N views share each member's name, address,
 * metadata and version vector (as N agent processes would each hold one copy); the heap then holds, per
 * (viewer, member) pair, only the view's own state: see {@code bytes_per_pair}.
 *
 * <p>Usage: {@code SimBench [--seed S] [--out DIR] [--name NAME] [--loss-max N] [--loss-minutes M]
 * [--stress-minutes M] [--window SECONDS] [--bootstrap-limit SECONDS] [--warm-start-above N]
 * [--warm-window SECONDS] [--histogram] [--independent-suspicions] [--stress-only] SIZE...}; results go to
 * {@code DIR/NAME.jsonl} (appended) and {@code DIR/NAME.md} (default name {@code sim});
 * {@code --histogram} prints the top of a class histogram ({@code jcmd GC.class_histogram}) at the
 * live-heap measurement; {@code --stress-only} runs only the bootstrap and the two stress phases (each
 * failure declared about a lossy node is printed with how every view lists it at that moment); {@code --independent-suspicions} turns on
 * {@link MembershipConfig#independentSuspicions()} (suspects keyed by accuser in the broadcast queue)
 * instead of memberlist's one broadcast per node.
 */
public final class SimBench {
    /** Fraction of the packets addressed to a lossy node that the Rapid stress case drops. */
    static final double STRESS_LOSS = 0.80;
    /** Size of serf's encoded user event {@code bench} with a 16-byte payload (LTime, Name, Payload, CC). */
    static final int USER_EVENT_BYTES = 40;

    private SimBench() {
    }

    /** What to run. */
    record Options(List<Integer> sizes, long seed, Path out, int lossMax, Duration lossDuration,
                   Duration stressDuration, Duration window, Duration bootstrapLimit, boolean verbose,
                   boolean independentSuspicions, int warmStartAbove, Duration warmWindow, String name,
                   boolean histogram, boolean stressOnly) {

        Options(List<Integer> sizes, long seed, Path out, int lossMax, Duration lossDuration,
                Duration stressDuration, Duration window, Duration bootstrapLimit, boolean verbose) {
            this(sizes, seed, out, lossMax, lossDuration, stressDuration, window, bootstrapLimit, verbose, false,
                    2000, Duration.ofSeconds(10), "sim", false, false);
        }

        /** The same options with warm start above {@code n} nodes. */
        Options warmStartAbove(int n) {
            return new Options(sizes, seed, out, lossMax, lossDuration, stressDuration, window, bootstrapLimit,
                    verbose, independentSuspicions, n, warmWindow, name, histogram, stressOnly);
        }

        static Options parse(String[] args) {
            List<Integer> sizes = new ArrayList<>();
            long seed = 1;
            Path out = Path.of("bench/results");
            int lossMax = 1000;
            double lossMin = 10;
            double stressMin = 5;
            int window = 30;
            int bootstrap = 300;
            boolean independentSuspicions = false;
            int warmStartAbove = 2000;
            int warmWindow = 10;
            String name = "sim";
            boolean histogram = false;
            boolean stressOnly = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--loss-max" -> lossMax = Integer.parseInt(args[++i]);
                    case "--loss-minutes" -> lossMin = Double.parseDouble(args[++i]);
                    case "--stress-minutes" -> stressMin = Double.parseDouble(args[++i]);
                    case "--window" -> window = Integer.parseInt(args[++i]);
                    case "--bootstrap-limit" -> bootstrap = Integer.parseInt(args[++i]);
                    case "--independent-suspicions" -> independentSuspicions = true;
                    case "--warm-start-above" -> warmStartAbove = Integer.parseInt(args[++i]);
                    case "--warm-window" -> warmWindow = Integer.parseInt(args[++i]);
                    case "--name" -> name = args[++i];
                    case "--histogram" -> histogram = true;
                    case "--stress-only" -> stressOnly = true;
                    default -> sizes.add(Integer.parseInt(args[i]));
                }
            }
            if (sizes.isEmpty()) {
                sizes = List.of(1000, 2000, 10000);
            }
            return new Options(sizes, seed, out, lossMax, Duration.ofMillis((long) (lossMin * 60_000)),
                    Duration.ofMillis((long) (stressMin * 60_000)), Duration.ofSeconds(window),
                    Duration.ofSeconds(bootstrap), true, independentSuspicions, warmStartAbove,
                    Duration.ofSeconds(warmWindow), name, histogram, stressOnly);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--report")) {
            // Re-render the Markdown table from a JSON-lines file of earlier runs.
            List<Map<String, Object>> rows = new ArrayList<>();
            ObjectMapper m = new ObjectMapper();
            for (String line : Files.readAllLines(Path.of(args[1]))) {
                if (!line.isBlank()) {
                    rows.add(m.readValue(line, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
                }
            }
            System.out.print(markdown(rows));
            return;
        }
        Options o = Options.parse(args);
        Files.createDirectories(o.out());
        ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        Path jsonl = o.out().resolve(o.name() + ".jsonl");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int n : o.sizes()) {
            Map<String, Object> r = run(n, o);
            rows.add(r);
            Files.writeString(jsonl, json.writeValueAsString(r) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.gc();
        }
        String md = markdown(rows);
        Files.writeString(o.out().resolve(o.name() + ".md"), md, StandardCharsets.UTF_8);
        System.out.println(md);
    }

    // ------------------------------------------------------------------------------------------------

    /** Runs every phase on a cluster of {@code n} nodes; returns the figures (keys are the JSON fields). */
    static Map<String, Object> run(int n, Options o) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("time", Instant.now().toString());
        r.put("nodes", n);
        r.put("seed", o.seed());
        r.put("independent_suspicions", o.independentSuspicions());
        r.put("cores", Runtime.getRuntime().availableProcessors());
        r.put("load_avg_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        boolean warm = n > o.warmStartAbove();
        r.put("warm_start", warm);
        resetPeaks();
        long wall0 = System.nanoTime();
        Sim sim = new Sim(n, o.seed(), o.independentSuspicions());
        sim.traceLossy = o.verbose();
        log(o, "n=%d: %d nodes created", n, n);

        if (warm) {
            // 1'. warm start: the full view through the push/pull merge path, no bootstrap figure
            sim.warmStart();
            r.put("bootstrap_s", null);
            r.put("bootstrap_full_view_nodes", sim.nodesWithFullView());
            r.put("warm_start_wall_s", BenchText.secs(System.nanoTime() - wall0));
            log(o, "n=%d: warm start (%d/%d full views), wall %.1f s", n, sim.nodesWithFullView(), n,
                    BenchText.secs(System.nanoTime() - wall0));
            // Each node's first push/pull comes within one (unscaled) interval of its start: let that
            // burst pass, so the window below sees the steady state. The next ones come a whole scaled
            // period later (300 s at 10,000 nodes), so the window has none; the settle's one exchange
            // per node is what every node initiates once per period, so it gives the steady stream rate.
            Duration settle = sim.nodes[0].config().pushPullInterval();
            sim.traffic.reset();
            sim.run(settle);
            r.put("settle_s", (double) settle.toSeconds());
            r.put("settle_streams_per_node", (double) sim.traffic.streams / n);
            r.put("settle_stream_bytes_per_node", (double) sim.traffic.streamBytes / n);
        } else {
            // 1. bootstrap
            long t0 = sim.now();
            sim.joinAllThroughSeeds(Math.min(3, n));
            boolean converged = sim.runUntil(sim::fullView, o.bootstrapLimit(), Duration.ofMillis(500));
            r.put("bootstrap_s", converged ? BenchText.secs(sim.now() - t0) : null);
            r.put("bootstrap_full_view_nodes", sim.nodesWithFullView());
            r.put("bootstrap_wall_s", BenchText.secs(System.nanoTime() - wall0));
            log(o, "n=%d: bootstrap %s virtual s (%d/%d full views), wall %.1f s", n, r.get("bootstrap_s"),
                    sim.nodesWithFullView(), n, BenchText.secs(System.nanoTime() - wall0));
            // Let the join broadcasts finish their retransmissions before measuring the steady state: at least
            // 60 s, and until no node has anything left to gossip (a fast bootstrap leaves the queues full).
            long s0 = sim.now();
            sim.run(Duration.ofSeconds(60));
            sim.runUntil(sim::gossipQueuesEmpty, Duration.ofSeconds(600), Duration.ofSeconds(5));
            r.put("settle_s", BenchText.secs(sim.now() - s0));
        }
        long live = liveHeapBytes();
        r.put("live_heap_mb", Math.round(live / 1024.0 / 1024.0 * 10) / 10.0);
        r.put("heap_per_node_kb", live / 1024.0 / n);
        r.put("bytes_per_pair", Math.round(live / ((double) n * n) * 10) / 10.0);
        log(o, "n=%d: live heap %.0f MB, %.1f bytes per (viewer, member) pair", n, live / 1024.0 / 1024.0,
                r.get("bytes_per_pair"));
        if (o.histogram()) {
            System.err.print(classHistogram(30));
        }

        if (o.stressOnly()) {
            // Only the two stress phases after the bootstrap (or warm start), for studying that case.
            stressPhases(sim, r, o, n);
            return r;
        }
        // 2. steady state traffic
        // At least one whole push/pull period (it grows with n), so every node's anti-entropy is counted
        // once; a warm-started run (too large for that in wall time) measures packets over a shorter window
        // and takes the stream rate from the settle (below).
        sim.traffic.reset();
        long w0 = sim.now();
        Duration pushPull = ProtocolMath.pushPullScale(sim.nodes[0].config().pushPullInterval(), n);
        Duration window = warm ? o.warmWindow() : pushPull.compareTo(o.window()) > 0 ? pushPull : o.window();
        sim.run(window);
        r.put("steady_window_s", (double) window.toSeconds());
        r.put("push_pull_period_s", (double) pushPull.toSeconds());
        double perNodeSec = (double) n * BenchText.secs(sim.now() - w0);
        r.put("steady_packets_per_node_s", sim.traffic.packets / perNodeSec);
        r.put("steady_packet_bytes_per_node_s", sim.traffic.packetBytes / perNodeSec);
        double streamsPerNodeSec = sim.traffic.streams / perNodeSec;
        double streamBytesPerNodeSec = sim.traffic.streamBytes / perNodeSec;
        if (warm) {
            // The window holds no push/pull (see the settle): one exchange per node per scaled period.
            double period = BenchText.secs(pushPull.toNanos());
            streamsPerNodeSec = (Double) r.get("settle_streams_per_node") / period;
            streamBytesPerNodeSec = (Double) r.get("settle_stream_bytes_per_node") / period;
            r.put("steady_stream_source", "settle (one push/pull per node) / push/pull period");
        }
        r.put("steady_streams_per_node_s", streamsPerNodeSec);
        r.put("steady_stream_bytes_per_node_s", streamBytesPerNodeSec);
        r.put("steady_total_kb_per_node_s", (sim.traffic.packetBytes / perNodeSec + streamBytesPerNodeSec) / 1024);
        log(o, "n=%d: steady %.1f pkt/s %.0f B/s per node", n, r.get("steady_packets_per_node_s"),
                r.get("steady_packet_bytes_per_node_s"));

        // 3. dissemination of one user event
        int sender = n / 2;
        long e0 = sim.now();
        sim.userEventFrom(sender);
        sim.runUntil(() -> sim.eventDelivered == n, Duration.ofSeconds(60), Duration.ofMillis(10));
        r.put("event_p50_s", sim.eventQuantile(0.50, e0));
        r.put("event_p99_s", sim.eventQuantile(0.99, e0));
        r.put("event_p9999_s", sim.eventQuantile(0.9999, e0));
        r.put("event_delivered", sim.eventDelivered);
        r.put("serf_model_p9999_s", serfModel(n));
        log(o, "n=%d: event 50%% %s s, 99%% %s s, 99.99%% %s s (%d delivered)", n, r.get("event_p50_s"),
                r.get("event_p99_s"), r.get("event_p9999_s"), sim.eventDelivered);

        // 4. failure detection: a crashed process (its host refuses connections to the port)
        int victim = n - 1;
        sim.falseFailures = 0;
        long k0 = sim.now();
        sim.kill(victim);
        detection(sim, r, o, "detect_", k0, n - 1);
        r.put("detect_nodes", sim.victimFailedBy);

        // 4b. host failure: a second node stops answering altogether (no refused connection, only timeouts),
        // which takes Lifeguard's suspicion path rather than the refused-probe shortcut of a crashed process
        int downed = n - 2;
        sim.falseFailures = 0;
        long h0 = sim.now();
        sim.hostDown(downed);
        detection(sim, r, o, "host_detect_", h0, n - 2);
        sim.kill(downed); // from now on simply gone, like the first victim
        sim.network.heal();
        sim.cutOff.clear();
        Set<Integer> gone = Set.of(victim, downed);

        if (n <= o.lossMax()) {
            // 5. uniform 5% loss
            sim.falseFailures = 0;
            sim.network.packetLoss(0.05);
            sim.run(o.lossDuration());
            sim.network.heal();
            r.put("loss5_minutes", o.lossDuration().toSeconds() / 60.0);
            r.put("loss5_false_failures", sim.falseFailures);
            sim.run(Duration.ofSeconds(10));
            r.put("loss5_all_alive_after", sim.allAliveExcept(gone));
            log(o, "n=%d: 5%% loss: false failures %d", n, sim.falseFailures);

            // 6. Rapid stress
            stressPhases(sim, r, o, n);
        }

        r.put("virtual_s", BenchText.secs(sim.now()));
        r.put("wall_s", BenchText.secs(System.nanoTime() - wall0));
        r.put("peak_heap_mb", peakHeapMb());
        r.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        r.put("load_avg_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        sim.close();
        return r;
    }

    /** Runs until {@code viewers} nodes declared the current victim failed; records first/all and false failures. */
    private static void detection(Sim sim, Map<String, Object> r, Options o, String prefix, long t0, int viewers) {
        boolean all = sim.runUntil(() -> sim.victimFailedBy == viewers, Duration.ofSeconds(120), Duration.ofMillis(50));
        r.put(prefix + "first_s", sim.victimFirstFailed < 0 ? null : BenchText.secs(sim.victimFirstFailed - t0));
        r.put(prefix + "all_s", all ? BenchText.secs(sim.victimLastFailed - t0) : null);
        r.put(prefix + "false_failures", sim.falseFailures);
        log(o, "n=%d: %s first %s s, all %s s, false %d", sim.n, prefix, r.get(prefix + "first_s"),
                r.get(prefix + "all_s"), sim.falseFailures);
    }

    /**
     * The closed-form serf convergence figures quoted in the benchmark issue (99.99% of nodes, 200 ms
     * gossip, fanout 3, no loss): 2.2 s at 1,000 and 2.6 s at 10,000; other sizes interpolate on log10(n).
     */
    static double serfModel(int n) {
        double x = Math.log10(n);
        return Math.round((2.2 + (x - 3) * 0.4) * 100) / 100.0;
    }

    // ------------------------------------------------------------------------------------------------

    /** One simulated cluster and the observations its delegates collect. */
    static final class Sim implements AutoCloseable {
        final int n;
        final VirtualScheduler scheduler = new VirtualScheduler();
        final InMemoryNetwork network;
        final CountingTransport.Traffic traffic = new CountingTransport.Traffic();
        final String[] names;
        final Memberlist[] nodes;
        final UserBroadcasts[] userQueues;
        /** Alive members each node lists (itself included), maintained from member events. */
        final int[] aliveSeen;
        int fullViews;
        final long[] eventAt;
        int eventDelivered;
        String victimName;
        /** Nodes killed or taken down so far. */
        final Set<String> gone = new HashSet<>();
        /** Nodes cut off from the network, whose own failure declarations are not false failures. */
        final Set<String> cutOff = new HashSet<>();
        int victimFailedBy;
        long victimFirstFailed = -1;
        long victimLastFailed = -1;
        Set<String> lossy = Set.of();
        long falseFailures;
        long lossyFailures;
        long lossyRejoins;
        /** Print every failure declared about a lossy node, with the census of views at that moment. */
        boolean traceLossy;
        /** Member events (join or leave of anyone) at healthy viewers while a stress phase runs. */
        long healthyViewChanges;
        /** Member events at the lossy viewers themselves while a stress phase runs. */
        long lossyViewChanges;

        Sim(int n, long seed, boolean independentSuspicions) {
            this.n = n;
            this.network = new InMemoryNetwork(scheduler, seed).latency(Duration.ofMillis(1), Duration.ofMillis(4));
            this.names = new String[n];
            this.nodes = new Memberlist[n];
            this.userQueues = new UserBroadcasts[n];
            this.aliveSeen = new int[n];
            this.eventAt = new long[n];
            Arrays.fill(eventAt, -1);
            for (int i = 0; i < n; i++) {
                names[i] = ("n" + i).intern();
            }
            Interner shared = Interner.shared();
            for (int i = 0; i < n; i++) {
                int self = i;
                MembershipConfig m = MembershipConfig.lan(names[i]).toBuilder().randomSeed(seed * 31 + i)
                        .independentSuspicions(independentSuspicions).interner(shared).build();
                userQueues[i] = new UserBroadcasts(self, m.retransmitMult());
                Delegates d = Delegates.none().withMessages(userQueues[i]).withEvents(new Events(self));
                nodes[i] = Memberlist.create(m, new CountingTransport(network.transport(names[i]), traffic),
                        scheduler, d);
            }
        }

        long now() {
            return scheduler.nanoTime();
        }

        void run(Duration d) {
            scheduler.runFor(d);
        }

        boolean runUntil(BooleanSupplier cond, Duration limit, Duration step) {
            long end = now() + limit.toNanos();
            while (!cond.getAsBoolean()) {
                if (now() >= end) {
                    return false;
                }
                scheduler.runFor(step);
            }
            return true;
        }

        void joinAllThroughSeeds(int seeds) {
            // Seeds join the first seed; everybody else joins seed (i mod seeds), all at the same instant.
            for (int i = 1; i < n; i++) {
                int seed = i < seeds ? 0 : i % seeds;
                nodes[i].join(List.of(network.address(names[seed])));
            }
        }

        boolean gossipQueuesEmpty() {
            for (Memberlist m : nodes) {
                if (SimulationHooks.queuedBroadcasts(m) > 0) {
                    return false;
                }
            }
            return true;
        }

        boolean fullView() {
            return fullViews == n;
        }

        /**
         * Gives every node the full view at once, as a push/pull from a peer that knows every node would
         * (see {@link SimulationHooks#mergeAsPushPull}); one node at a time, so only one node's re-broadcast
         * queue is ever full. Virtual time does not advance.
         */
        void warmStart() {
            List<Node> all = new ArrayList<>(n);
            for (Memberlist m : nodes) {
                all.add(m.localNode());
            }
            List<PushNodeState> state = SimulationHooks.pushPullState(all);
            for (int i = 0; i < n; i++) {
                Memberlist m = nodes[i];
                scheduler.execute(() -> SimulationHooks.mergeAsPushPull(m, state));
                scheduler.runFor(Duration.ZERO);
            }
        }

        int nodesWithFullView() {
            return fullViews;
        }

        void userEventFrom(int i) {
            byte[] msg = new byte[USER_EVENT_BYTES];
            msg[0] = 42;
            scheduler.execute(() -> userQueues[i].originate(msg));
        }

        Double eventQuantile(double q, long start) {
            long[] t = Arrays.stream(eventAt).filter(x -> x >= 0).sorted().toArray();
            int need = (int) Math.ceil(q * n);
            return t.length < need ? null : BenchText.secs(t[need - 1] - start);
        }

        void kill(int i) {
            victimName = names[i];
            gone.add(names[i]);
            nodes[i].shutdown();
        }

        /**
         * The node's host stops answering: nothing reaches it and nothing leaves it, so probes of it time out
         * instead of being refused. Its own declarations about others (it hears nobody) are not counted.
         */
        void hostDown(int i) {
            victimName = names[i];
            victimFailedBy = 0;
            victimFirstFailed = -1;
            victimLastFailed = -1;
            cutOff.add(names[i]);
            network.isolateInbound(names[i]);
            network.isolateOutbound(names[i]);
        }

        boolean allAliveExcept(Set<Integer> gone) {
            for (int i = 0; i < n; i++) {
                if (!gone.contains(i) && aliveSeen[i] != n - gone.size()) {
                    return false;
                }
            }
            return true;
        }

        /** The Rapid paper's case: 1% of the nodes (at least one) lose 80% of the packets sent to them. */
        Map<String, Object> stress(Duration d, long seed, boolean streamsToo, String prefix) {
            Random pick = new Random(seed ^ 0x5eed);
            Random drop = new Random(seed ^ 0xd409);
            Set<String> chosen = new HashSet<>();
            int count = Math.max(1, n / 100);
            while (chosen.size() < count) {
                int i = pick.nextInt(n);
                if (!gone.contains(names[i])) {
                    chosen.add(names[i]);
                }
            }
            lossy = chosen;
            falseFailures = 0;
            lossyFailures = 0;
            lossyRejoins = 0;
            network.addFilter((from, to, kind) -> (streamsToo || kind == LinkFilter.Kind.PACKET)
                    && lossy.contains(to) && drop.nextDouble() < STRESS_LOSS);
            healthyViewChanges = 0;
            lossyViewChanges = 0;
            // Sample, once a minute, how the healthy viewers list the lossy nodes and each other: the
            // memberlist status of every (healthy viewer, lossy node) pair, and the healthy pairs that are
            // not alive. A suspect is still a member (serf shows it alive); only dead changes the view.
            List<Integer> aliveViewsOfLossy = new ArrayList<>();
            List<Integer> suspectViewsOfLossy = new ArrayList<>();
            List<Integer> failedViewsOfLossy = new ArrayList<>();
            List<Integer> suspectViewsOfHealthy = new ArrayList<>();
            List<Integer> failedViewsOfHealthy = new ArrayList<>();
            List<Long> viewChangesPerMinute = new ArrayList<>();
            List<Integer> failedInLossyViews = new ArrayList<>();
            long end = now() + d.toNanos();
            while (now() < end) {
                long changesBefore = healthyViewChanges;
                run(Duration.ofSeconds(Math.min(60, Math.max(1, (end - now()) / 1_000_000_000L))));
                int[] ofLossy = healthyViewsOf(true);
                int[] ofHealthy = healthyViewsOf(false);
                aliveViewsOfLossy.add(ofLossy[NodeStatus.ALIVE.ordinal()]);
                suspectViewsOfLossy.add(ofLossy[NodeStatus.SUSPECT.ordinal()]);
                failedViewsOfLossy.add(ofLossy[NodeStatus.DEAD.ordinal()] + ofLossy[NodeStatus.LEFT.ordinal()]);
                suspectViewsOfHealthy.add(ofHealthy[NodeStatus.SUSPECT.ordinal()]);
                failedViewsOfHealthy.add(ofHealthy[NodeStatus.DEAD.ordinal()] + ofHealthy[NodeStatus.LEFT.ordinal()]);
                viewChangesPerMinute.add(healthyViewChanges - changesBefore);
                failedInLossyViews.add(failedInLossyViews());
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put(prefix + "minutes", d.toSeconds() / 60.0);
            r.put(prefix + "lossy_nodes", lossy.size());
            r.put(prefix + "healthy_false_failures", falseFailures);
            r.put(prefix + "lossy_failed_events", lossyFailures);
            r.put(prefix + "lossy_rejoin_events", lossyRejoins);
            r.put(prefix + "healthy_viewers", n - gone.size() - lossy.size());
            r.put(prefix + "alive_views_of_lossy_per_minute", aliveViewsOfLossy);
            r.put(prefix + "suspect_views_of_lossy_per_minute", suspectViewsOfLossy);
            r.put(prefix + "failed_views_of_lossy_per_minute", failedViewsOfLossy);
            r.put(prefix + "suspect_views_of_healthy_per_minute", suspectViewsOfHealthy);
            r.put(prefix + "failed_views_of_healthy_per_minute", failedViewsOfHealthy);
            r.put(prefix + "failed_in_lossy_views_per_minute", failedInLossyViews);
            r.put(prefix + "healthy_view_changes", healthyViewChanges);
            r.put(prefix + "lossy_view_changes", lossyViewChanges);
            r.put(prefix + "healthy_view_changes_per_minute", viewChangesPerMinute);
            // Settled: no healthy viewer's member list (alive or suspect = member, as serf shows it) changed
            // during the whole phase, and at the end every healthy viewer lists every other node as a member.
            int last = failedViewsOfHealthy.size() - 1;
            r.put(prefix + "views_settled", healthyViewChanges == 0 && failedViewsOfLossy.get(last) == 0
                    && failedViewsOfHealthy.get(last) == 0);
            // The last sample is the end: every healthy viewer lists every other healthy node as alive.
            r.put(prefix + "healthy_views_agree_at_end", suspectViewsOfHealthy.get(last) == 0
                    && failedViewsOfHealthy.get(last) == 0);
            network.heal();
            lossy = Set.of();
            return r;
        }

        private String census(String subject) {
            int[] c = new int[NodeStatus.values().length];
            for (int i = 0; i < n; i++) {
                Node m = nodes[i].node(subject);
                if (m != null && !names[i].equals(subject)) {
                    c[m.status().ordinal()]++;
                }
            }
            return Arrays.toString(c);
        }

        private boolean healthy(int i) {
            return !lossy.contains(names[i]) && !gone.contains(names[i]);
        }

        /** (lossy viewer, live node) pairs in which the lossy node lists the other as failed or not at all. */
        private int failedInLossyViews() {
            int c = 0;
            for (String l : lossy) {
                Memberlist viewer = nodes[Arrays.asList(names).indexOf(l)];
                for (int j = 0; j < n; j++) {
                    if (!names[j].equals(l) && !gone.contains(names[j])) {
                        Node m = viewer.node(names[j]);
                        c += m == null || m.status().deadOrLeft() ? 1 : 0;
                    }
                }
            }
            return c;
        }

        /**
         * Statuses (by {@link NodeStatus} ordinal) in the healthy viewers' views of the lossy nodes
         * ({@code ofLossy}) or of the other healthy nodes; a member missing from a view counts as dead.
         */
        private int[] healthyViewsOf(boolean ofLossy) {
            int[] c = new int[NodeStatus.values().length];
            for (int i = 0; i < n; i++) {
                if (!healthy(i)) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    if (j != i && (ofLossy ? lossy.contains(names[j]) : healthy(j))) {
                        Node m = nodes[i].node(names[j]);
                        c[m == null ? NodeStatus.DEAD.ordinal() : m.status().ordinal()]++;
                    }
                }
            }
            return c;
        }

        /** Member events of one viewer (memberlist: leave with status DEAD is serf's member-failed). */
        private final class Events implements EventDelegate {
            private final int viewer;

            Events(int viewer) {
                this.viewer = viewer;
            }

            @Override
            public void notifyJoin(Node node) {
                if (lossy.contains(node.name())) {
                    lossyRejoins++;
                }
                change(viewer, +1);
            }

            @Override
            public void notifyLeave(Node node) {
                change(viewer, -1);
                if (node.status() != NodeStatus.DEAD) {
                    return;
                }
                String subject = node.name();
                if (subject.equals(victimName)) {
                    victimFailedBy++;
                    long t = now();
                    if (victimFirstFailed < 0) {
                        victimFirstFailed = t;
                    }
                    victimLastFailed = t;
                } else if (lossy.contains(subject)) {
                    lossyFailures++;
                    if (traceLossy) {
                        int li = Arrays.asList(names).indexOf(subject);
                        System.err.printf("[sim] t=%.3f lossy node failed: viewer %s declared %s dead at inc %d; its own inc %d; "
                                + "viewers listing it alive/suspect/dead: %s%n", BenchText.secs(now()), names[viewer],
                                subject, node.incarnation(), nodes[li].node(subject).incarnation(), census(subject));
                    }
                } else if (!lossy.contains(names[viewer]) && !cutOff.contains(names[viewer])) {
                    falseFailures++;
                }
            }
        }

        private void change(int viewer, int delta) {
            if (!lossy.isEmpty() && healthy(viewer)) {
                healthyViewChanges++;
            } else if (lossy.contains(names[viewer])) {
                lossyViewChanges++;
            }
            int before = aliveSeen[viewer];
            aliveSeen[viewer] += delta;
            if (before == n && aliveSeen[viewer] != n) {
                fullViews--;
            } else if (before != n && aliveSeen[viewer] == n) {
                fullViews++;
            }
        }

        /**
         * A stand-in for serf's user-event path on the memberlist delegate: an event is a 40-byte user
         * message (the size of serf's encoded user event "bench" with a 16-byte payload); a node delivers it
         * the first time it sees it and re-queues it for gossip, as serf does, with serf's retransmit limit
         * (RetransmitMult × ceil(log10(n + 1))).
         */
        private final class UserBroadcasts implements MessageDelegate {
            private final int self;
            private final TransmitLimitedQueue queue;

            UserBroadcasts(int self, int retransmitMult) {
                this.self = self;
                this.queue = new TransmitLimitedQueue(() -> nodes[self].numMembers(), retransmitMult);
            }

            void originate(byte[] msg) {
                deliver();
                queue.queue(new Broadcast(null, msg, null));
            }

            @Override
            public void notifyMsg(byte[] msg) {
                if (eventAt[self] < 0) {
                    deliver();
                    queue.queue(new Broadcast(null, msg, null));
                }
            }

            private void deliver() {
                if (eventAt[self] < 0) {
                    eventAt[self] = now();
                    eventDelivered++;
                }
            }

            @Override
            public List<byte[]> getBroadcasts(int overhead, int limit) {
                return queue.getBroadcasts(overhead, limit);
            }
        }

        @Override
        public void close() {
            for (Memberlist m : nodes) {
                m.shutdown();
            }
            scheduler.runFor(Duration.ofMillis(1));
        }
    }

    // ------------------------------------------------------------------------------------------------

    static String markdown(List<Map<String, Object>> rows) {
        StringBuilder b = new StringBuilder(BenchText.machine(rows));
        b.append("| nodes | bootstrap (s) | event 50% / 99% / 99.99% (s) | serf model 99.99% (s) "
                + "| crash detect first / all (s) | host down detect first / all (s) | false failures (crash, host) "
                + "| 5% loss: false failures "
                + "| stress UDP: healthy false / lossy failed / rejoins / views settled "
                + "| stress UDP+TCP: healthy false / lossy failed / rejoins / views settled | steady pkt/s · B/s per node (+stream B/s) "
                + "| heap/node (KB) | bytes/pair | peak heap (MB) | wall (s) |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<String> notes = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            boolean warm = Boolean.TRUE.equals(r.get("warm_start"));
            if (warm) {
                notes.add(String.format("%s nodes: warm start (full view given through the push/pull merge path in "
                        + "%s s wall; no bootstrap figure), settled %s s, steady packets over a %s s window; stream B/s = "
                        + "the settle's %s push/pull per node (%s bytes) / the %s s push/pull period; %s virtual s in all.",
                        r.get("nodes"), fmt(r.get("warm_start_wall_s")), fmt(r.get("settle_s")),
                        fmt(r.get("steady_window_s")), fmt(r.get("settle_streams_per_node")),
                        fmt(r.get("settle_stream_bytes_per_node")), fmt(r.get("push_pull_period_s")),
                        fmt(r.get("virtual_s"))));
            }
            b.append("| ").append(r.get("nodes"))
                    .append(" | ").append(warm ? "warm start" : fmt(r.get("bootstrap_s")))
                    .append(" | ").append(fmt(r.get("event_p50_s"))).append(" / ").append(fmt(r.get("event_p99_s")))
                    .append(" / ").append(fmt(r.get("event_p9999_s")))
                    .append(" | ").append(fmt(r.get("serf_model_p9999_s")))
                    .append(" | ").append(fmt(r.get("detect_first_s"))).append(" / ").append(fmt(r.get("detect_all_s")))
                    .append(" | ").append(fmt(r.get("host_detect_first_s"))).append(" / ")
                    .append(fmt(r.get("host_detect_all_s")))
                    .append(" | ").append(fmt(r.get("detect_false_failures"))).append(", ")
                    .append(fmt(r.get("host_detect_false_failures")))
                    .append(" | ").append(fmt(r.get("loss5_false_failures")))
                    .append(" | ").append(fmt(r.get("stress_healthy_false_failures"))).append(" / ")
                    .append(fmt(r.get("stress_lossy_failed_events"))).append(" / ")
                    .append(fmt(r.get("stress_lossy_rejoin_events"))).append(" / ")
                    .append(settled(r.get("stress_views_settled")))
                    .append(" | ").append(fmt(r.get("stress_tcp_healthy_false_failures"))).append(" / ")
                    .append(fmt(r.get("stress_tcp_lossy_failed_events"))).append(" / ")
                    .append(fmt(r.get("stress_tcp_lossy_rejoin_events"))).append(" / ")
                    .append(settled(r.get("stress_tcp_views_settled")))
                    .append(" | ").append(fmt(r.get("steady_packets_per_node_s"))).append(" · ")
                    .append(fmt(r.get("steady_packet_bytes_per_node_s"))).append(" (+")
                    .append(fmt(r.get("steady_stream_bytes_per_node_s"))).append(")")
                    .append(" | ").append(fmt(r.get("heap_per_node_kb")))
                    .append(" | ").append(fmt(r.get("bytes_per_pair")))
                    .append(" | ").append(fmt(r.get("peak_heap_mb")))
                    .append(" | ").append(fmt(r.get("wall_s")))
                    .append(" |\n");
        }
        for (String note : notes) {
            b.append('\n').append(note).append('\n');
        }
        return b.toString();
    }

    /**
     * The Rapid stress case: 1% of nodes with 80% ingress packet loss; then, a minute later, the same with their
     * TCP connections failing as often (a TCP handshake through 80% loss rarely completes within the probe's
     * deadline, so the stream fallback cannot rescue them).
     */
    private static void stressPhases(Sim sim, Map<String, Object> r, Options o, int n) {
        Map<String, Object> s = sim.stress(o.stressDuration(), o.seed(), false, "stress_");
        r.putAll(s);
        log(o, "n=%d: stress %s", n, s);
        sim.run(Duration.ofSeconds(60));
        s = sim.stress(o.stressDuration(), o.seed() + 1, true, "stress_tcp_");
        r.putAll(s);
        log(o, "n=%d: stress with streams %s", n, s);
    }

    /** Runs before the settled figure existed have none. */
    private static String settled(Object v) {
        return v == null ? "—" : Boolean.TRUE.equals(v) ? "yes" : "no";
    }

    private static String fmt(Object o) {
        if (o == null) {
            return "—";
        }
        if (o instanceof Double d) {
            return d >= 100 ? String.format("%.0f", d) : String.format("%.2f", d);
        }
        return o.toString();
    }



    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    private static long peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum / (1024 * 1024);
    }

    private static long liveHeapBytes() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** The first {@code lines} lines of this JVM's class histogram (by bytes), or why there is none. */
    static String classHistogram(int lines) {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            StringBuilder b = new StringBuilder();
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                int i = 0;
                while ((line = in.readLine()) != null) {
                    if (i++ < lines + 3 || line.startsWith("Total")) {
                        b.append(line).append('\n');
                    }
                }
            }
            p.waitFor();
            return b.toString();
        } catch (IOException e) {
            return "no class histogram: " + e + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no class histogram: interrupted\n";
        }
    }

    private static void log(Options o, String fmt, Object... args) {
        if (o.verbose()) {
            System.err.printf("[sim %s] " + fmt + "%n", prepend(Instant.now().toString().substring(11, 19), args));
        }
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] out = new Object[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
