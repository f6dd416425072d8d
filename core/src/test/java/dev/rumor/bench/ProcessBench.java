package dev.rumor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rumor.rpc.RpcClient;
import dev.rumor.rpc.RpcMember;
import dev.rumor.testing.FreePorts;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The process benchmark: the same scenario against real {@code serf agent} processes and against
 * {@code rumor agent} processes, alternating, on loopback, one process per agent, default LAN settings.
 * Per cluster size and repetition it measures:
 * <ul>
 *   <li>join convergence: last agent spawned → every agent lists N alive members;</li>
 *   <li>idle CPU %, RSS, and loopback packets and bytes per agent over a steady window that starts
 *       {@code --settle} seconds after convergence (nothing polls the agents meanwhile);</li>
 *   <li>failure detection: SIGKILL of one agent → every other agent lists it as failed (and any other
 *       member seen failed meanwhile, which would be a false failure);</li>
 *   <li>graceful leave: RPC leave of one agent → every other agent lists it as left;</li>
 *   <li>user event propagation to the handler on every node, without ({@code -coalesce=false}) and with
 *       coalescing (both agents hold a coalescable user event for the 1 s quiescent period);</li>
 *   <li>CLI wall time of {@code members} and {@code event} against one agent.</li>
 * </ul>
 * Observations go through the agents' RPC port (serf IPC v1, which both speak) with our {@link RpcClient}, so
 * both sides are observed the same way. The event handler is a shell script appending {@code date +%s%N}
 * to a per-node file. Every wait is bounded; every process is killed at the end (and by a shutdown hook).
 *
 * <p>Usage: {@code ProcessBench [--sizes 5,25,50,100] [--reps 3] [--kinds serf,rumor] [--window 30]
 * [--settle 10] [--cli-reps 5] [--serf /usr/bin/serf] [--rumor distribution/target/rumor/bin/rumor] [--out bench/results]
 * [--tag NAME]}
 */
public final class ProcessBench {
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration RPC_TIMEOUT = Duration.ofSeconds(5);
    private static final List<Process> ALL = Collections.synchronizedList(new ArrayList<>());
    private static final long CLK_TCK = 100;

    private ProcessBench() {
    }

    record Options(List<Integer> sizes, int reps, List<String> kinds, Duration window, int cliReps, String serf,
                   String rumor, Path out, String tag, Duration settle, boolean keepLogs) {
        Options(List<Integer> sizes, int reps, List<String> kinds, Duration window, int cliReps, String serf,
                String rumor, Path out, String tag) {
            this(sizes, reps, kinds, window, cliReps, serf, rumor, out, tag, Duration.ofSeconds(2), false);
        }

        static Options parse(String[] args) {
            List<Integer> sizes = List.of(5, 25, 50, 100);
            int reps = 3;
            List<String> kinds = List.of("serf", "rumor");
            int window = 30;
            int settle = 10;
            int cliReps = 5;
            String serf = "/usr/bin/serf";
            String rumor = "distribution/target/rumor/bin/rumor";
            Path out = Path.of("bench/results");
            String tag = "process";
            boolean keepLogs = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                    case "--reps" -> reps = Integer.parseInt(args[++i]);
                    case "--kinds" -> kinds = List.of(args[++i].split(","));
                    case "--window" -> window = Integer.parseInt(args[++i]);
                    case "--settle" -> settle = Integer.parseInt(args[++i]);
                    case "--cli-reps" -> cliReps = Integer.parseInt(args[++i]);
                    case "--serf" -> serf = args[++i];
                    case "--rumor" -> rumor = args[++i];
                    case "--out" -> out = Path.of(args[++i]);
                    case "--tag" -> tag = args[++i];
                    case "--keep-logs" -> keepLogs = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(sizes, reps, kinds, Duration.ofSeconds(window), cliReps, serf, rumor, out, tag,
                    Duration.ofSeconds(settle), keepLogs);
        }

        String binary(String kind) {
            return kind.equals("serf") ? serf : rumor;
        }
    }

    public static void main(String[] args) throws Exception {
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
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessBench::killAll));
        Files.createDirectories(o.out());
        ObjectMapper json = new ObjectMapper();
        Path jsonl = o.out().resolve(o.tag() + ".jsonl");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int n : o.sizes()) {
            for (int rep = 0; rep < o.reps(); rep++) {
                List<String> order = new ArrayList<>(o.kinds());
                if (rep % 2 == 1) {
                    Collections.reverse(order);
                }
                for (String kind : order) {
                    Map<String, Object> r = scenario(o, kind, n, rep);
                    rows.add(r);
                    Files.writeString(jsonl, json.writeValueAsString(r) + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    System.err.println("[process] " + r);
                }
            }
        }
        String md = markdown(rows);
        Files.writeString(o.out().resolve(o.tag() + ".md"), md, StandardCharsets.UTF_8);
        System.out.println(md);
    }

    // ------------------------------------------------------------------------------------------------

    /** One cluster of {@code n} agents of one kind through every phase. */
    static Map<String, Object> scenario(Options o, String kind, int n, int rep) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("time", Instant.now().toString());
        r.put("kind", kind);
        r.put("nodes", n);
        r.put("rep", rep);
        r.put("cores", Runtime.getRuntime().availableProcessors());
        r.put("load_avg_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Path dir = Files.createTempDirectory("rumor-bench-" + kind + "-");
        Path handler = dir.resolve("handler.sh");
        Files.writeString(handler, "#!/bin/sh\necho \"$(date +%s%N) $SERF_USER_EVENT\" >> \"" + dir
                + "/ev.$SERF_SELF_NAME\"\ncat >/dev/null\n");
        Files.setPosixFilePermissions(handler, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<Agent> agents = new ArrayList<>();
        try {
            // 1. join: the first agent, then everybody else at once, joining the first
            agents.add(Agent.start(o.binary(kind), "n0", dir, handler, null));
            agents.get(0).awaitRpc(Duration.ofSeconds(60));
            for (int i = 1; i < n; i++) {
                agents.add(Agent.start(o.binary(kind), "n" + i, dir, handler, agents.get(0).gossipAddress()));
            }
            long lastSpawned = System.nanoTime();
            boolean joined = until(() -> {
                boolean all = true;
                for (Agent a : agents) {
                    List<RpcMember> ms = a.members();
                    if (!ms.isEmpty() && a.readyAt == 0) {
                        a.readyAt = System.nanoTime();
                    }
                    all &= ms.stream().filter(m -> m.status().equals("alive")).count() == n;
                }
                return all;
            }, Duration.ofSeconds(120 + 2L * n), Duration.ofMillis(100));
            long converged = System.nanoTime();
            r.put("join_s", joined ? BenchText.secs(converged - lastSpawned) : null);
            // The same without process start-up: last agent answering RPC → every agent lists N alive.
            long lastReady = agents.stream().mapToLong(a -> a.readyAt).max().orElse(converged);
            r.put("join_after_ready_s", joined ? BenchText.secs(Math.max(0, converged - lastReady)) : null);
            r.put("startup_s", joined ? BenchText.secs(lastReady - lastSpawned) : null);
            if (!joined) {
                // What each agent saw, and which processes died (e.g. a failed -join exits 1).
                r.put("join_alive_counts", agents.stream().map(a -> a.process.isAlive() ? a.countStatus("alive") : -1)
                        .toList());
                r.put("kept_dir", dir.toString());
                return r;
            }

            // 2. idle window, after a settling time (start-up work, JIT): nobody polls
            Thread.sleep(o.settle().toMillis());
            long[] cpu0 = new long[n];
            for (int i = 0; i < n; i++) {
                cpu0[i] = agents.get(i).cpuTicks();
            }
            Loopback net0 = Loopback.read();
            long w0 = System.nanoTime();
            Thread.sleep(o.window().toMillis());
            double w = (System.nanoTime() - w0) / 1e9;
            Loopback net = Loopback.read().minus(net0);
            // Every packet on loopback is sent by one agent and received by one: per node, each way.
            r.put("net_packets_per_node_s", net.packets / (double) n / w);
            r.put("net_bytes_per_node_s", net.bytes / (double) n / w);
            r.put("udp_datagrams_per_node_s", net.udpDatagrams / (double) n / w);
            r.put("settle_s", o.settle().toSeconds());
            r.put("net_scope", System.getenv("BENCH_NETNS") != null ? "private network namespace" : "host loopback");
            double[] cpu = new double[n];
            double[] rss = new double[n];
            for (int i = 0; i < n; i++) {
                cpu[i] = (agents.get(i).cpuTicks() - cpu0[i]) * 100.0 / CLK_TCK / w;
                rss[i] = agents.get(i).rssKb() / 1024.0;
            }
            r.put("idle_cpu_pct", median(cpu));
            r.put("idle_cpu_pct_max", Arrays.stream(cpu).max().orElse(0));
            r.put("rss_mb", median(rss));
            r.put("rss_mb_max", Arrays.stream(rss).max().orElse(0));

            // 3. CLI latency against n0 (the cluster is idle)
            r.put("cli_members_s", cli(o, kind, agents.get(0), o.cliReps(), "members"));
            r.put("cli_event_s", cli(o, kind, agents.get(0), o.cliReps(), "event", "clibench"));

            // Each event phase starts from a quiet cluster: every handler has run for the CLI's events (they
            // coalesce, so at least once) and no handler has run for them in the last 2 s. Before, the event
            // phase overlapped the handlers of that burst, differently for each kind (rumor's CLI is slower).
            long b0 = System.nanoTime();
            int[] last = {-1};
            long[] stableSince = {System.nanoTime()};
            boolean drained = until(() -> {
                int[] c = eventsHandled(dir, agents, "clibench");
                if (c[1] != last[0]) {
                    last[0] = c[1];
                    stableSince[0] = System.nanoTime();
                }
                return c[0] >= 1 && System.nanoTime() - stableSince[0] >= 2_000_000_000L;
            }, Duration.ofSeconds(60), Duration.ofMillis(100));
            r.put("cli_events_drained_s", drained ? BenchText.secs(stableSince[0] - b0) : null);

            // 4. user events from n0 to the handler on every node (before anyone leaves)
            for (boolean coalesce : new boolean[] {false, true}) {
                String name = coalesce ? "bc" : "bnc";
                long t0 = System.currentTimeMillis() * 1_000_000L;
                try (RpcClient c = agents.get(0).rpc()) {
                    c.userEvent(name, "x".getBytes(StandardCharsets.UTF_8), coalesce);
                }
                double[] lat = new double[n];
                boolean all = until(() -> eventTimes(dir, agents, name, t0, lat), Duration.ofSeconds(30),
                        Duration.ofMillis(50));
                String key = coalesce ? "event_coalesce" : "event";
                r.put(key + "_median_s", all ? median(lat) : null);
                r.put(key + "_max_s", all ? Arrays.stream(lat).max().orElse(0) : null);
            }

            // 5. failure detection: SIGKILL the last agent
            Agent victim = agents.get(n - 1);
            List<Agent> others = new ArrayList<>(agents.subList(0, n - 1));
            Set<String> falseFailed = new HashSet<>();
            long[] firstFailed = {0};
            long k0 = System.nanoTime();
            victim.kill();
            boolean failed = until(() -> {
                boolean done = true;
                for (Agent a : others) {
                    boolean seen = false;
                    for (RpcMember m : a.members()) {
                        if (m.status().equals("failed") && !m.name().equals(victim.name)) {
                            falseFailed.add(a.name + "->" + m.name());
                        }
                        seen |= m.name().equals(victim.name) && m.status().equals("failed");
                    }
                    if (seen && firstFailed[0] == 0) {
                        firstFailed[0] = System.nanoTime();
                    }
                    done &= seen;
                }
                return done;
            }, Duration.ofSeconds(90), Duration.ofMillis(100));
            r.put("fail_detect_s", failed ? BenchText.secs(System.nanoTime() - k0) : null);
            r.put("fail_detect_first_s", firstFailed[0] == 0 ? null : BenchText.secs(firstFailed[0] - k0));
            r.put("false_failures", falseFailed.size());

            // 6. graceful leave of the second-to-last agent
            if (n >= 3) {
                Agent leaver = agents.get(n - 2);
                List<Agent> rest = new ArrayList<>(agents.subList(0, n - 2));
                // The leave RPC returns only when the agent has finished leaving (serf: intent and dead
                // broadcast, then LeavePropagateDelay), so it runs on its own thread while we watch.
                RpcClient c = leaver.rpc();
                long l0 = System.nanoTime();
                Thread leaving = new Thread(() -> {
                    try (c) {
                        c.leave();
                    } catch (IOException | dev.rumor.rpc.RpcException | RuntimeException e) {
                        // the agent may close the connection as it shuts down
                    }
                }, "bench-leave");
                leaving.start();
                boolean left = until(() -> rest.stream().allMatch(a -> a.status(leaver.name).equals("left")),
                        Duration.ofSeconds(60), Duration.ofMillis(50));
                r.put("leave_s", left ? BenchText.secs(System.nanoTime() - l0) : null);
                leaving.join(Duration.ofSeconds(30).toMillis());
            }
        } finally {
            for (Agent a : agents) {
                a.kill();
            }
            if (o.keepLogs()) {
                r.put("kept_dir", dir.toString()); // every agent's log, e.g. to trace an outlier
            }
            if (!r.containsKey("kept_dir")) {
                deleteTree(dir);
            }
            r.put("load_avg_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        return r;
    }

    /** Fills {@code lat} with each node's handler delay (s) for event {@code name}; false until all ran. */
    private static boolean eventTimes(Path dir, List<Agent> agents, String name, long t0, double[] lat) {
        for (int i = 0; i < agents.size(); i++) {
            Long ts = null;
            try {
                for (String line : handlerLog(dir, agents.get(i))) {
                    String[] p = line.trim().split(" ");
                    if (p.length == 2 && p[1].equals(name)) {
                        ts = Long.parseLong(p[0]);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return false;
            }
            if (ts == null) {
                return false;
            }
            lat[i] = Math.max(0, ts - t0) / 1e9;
        }
        return true;
    }

    /** The lines ("nanos event-name") the benchmark's handler appended on {@code agent} so far. */
    private static List<String> handlerLog(Path dir, Agent agent) throws IOException {
        Path f = dir.resolve("ev." + agent.name);
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

        /** How many times the handlers have run for event {@code name}: {least on one agent, total}. */
    private static int[] eventsHandled(Path dir, List<Agent> agents, String name) {
        int least = Integer.MAX_VALUE;
        int total = 0;
        for (Agent a : agents) {
            int count = 0;
            try {
                for (String line : handlerLog(dir, a)) {
                    if (line.trim().endsWith(" " + name)) {
                        count++;
                    }
                }
            } catch (IOException e) {
                return new int[] {0, -1};
            }
            least = Math.min(least, count);
            total += count;
        }
        return new int[] {least, total};
    }

    /** Median wall time (s) of {@code reps} CLI invocations. */
    private static Double cli(Options o, String kind, Agent target, int reps, String... args) throws Exception {
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            List<String> cmd = new ArrayList<>();
            cmd.add(o.binary(kind));
            cmd.add(args[0]);
            cmd.add("-rpc-addr=" + target.rpcAddress());
            cmd.addAll(List.of(args).subList(1, args.length));
            long s = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) {
                return null;
            }
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        return median(t);
    }

    private static boolean until(BooleanSupplier cond, Duration limit, Duration step) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(step.toMillis());
        }
        return true;
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("[process] could not remove " + dir + ": " + e);
        }
    }

    /** Agent processes started and not yet reaped (0 after every scenario). */
    static int liveProcesses() {
        synchronized (ALL) {
            return (int) ALL.stream().filter(Process::isAlive).count();
        }
    }

    private static void killAll() {
        synchronized (ALL) {
            for (Process p : ALL) {
                p.destroyForcibly();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------

    /** One agent process and a lazily opened RPC connection for polling. */
    static final class Agent {
        final String name;
        final int gossipPort;
        final int rpcPort;
        final Process process;
        /** When this agent first answered a members request (System.nanoTime), 0 before. */
        long readyAt;
        private RpcClient poll;

        private Agent(String name, int gossipPort, int rpcPort, Process process) {
            this.name = name;
            this.gossipPort = gossipPort;
            this.rpcPort = rpcPort;
            this.process = process;
        }

        static Agent start(String binary, String name, Path dir, Path handler, String join) throws IOException {
            // not ephemeral ports: with a hundred agents connecting, one may take another's port first
            int gossip = FreePorts.belowEphemeralRange(true);
            int rpc = FreePorts.belowEphemeralRange(false);
            List<String> cmd = new ArrayList<>(List.of(binary, "agent", "-node=" + name,
                    "-bind=" + LOOPBACK + ":" + gossip, "-rpc-addr=" + LOOPBACK + ":" + rpc,
                    "-event-handler=user=" + handler));
            if (join != null) {
                cmd.add("-join=" + join);
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".log").toFile()).start();
            ALL.add(p);
            return new Agent(name, gossip, rpc, p);
        }

        String gossipAddress() {
            return LOOPBACK + ":" + gossipPort;
        }

        String rpcAddress() {
            return LOOPBACK + ":" + rpcPort;
        }

        RpcClient rpc() throws IOException {
            try {
                return RpcClient.connect(rpcAddress(), null, RPC_TIMEOUT);
            } catch (dev.rumor.rpc.RpcException e) {
                throw new IOException(e);
            }
        }

        void awaitRpc(Duration limit) throws InterruptedException {
            if (!until(() -> !members().isEmpty(), limit, Duration.ofMillis(100))) {
                throw new IllegalStateException(name + " did not answer RPC within " + limit);
            }
        }

        /** Members as this agent lists them; empty when it cannot be reached (yet). */
        List<RpcMember> members() {
            try {
                if (poll == null || poll.isClosed()) {
                    poll = rpc();
                }
                return poll.members();
            } catch (Exception e) {
                if (poll != null) {
                    poll.close();
                    poll = null;
                }
                return List.of();
            }
        }

        int countStatus(String status) {
            return (int) members().stream().filter(m -> m.status().equals(status)).count();
        }

        String status(String member) {
            for (RpcMember m : members()) {
                if (m.name().equals(member)) {
                    return m.status();
                }
            }
            return "none";
        }

        /** utime + stime of the process, in clock ticks. */
        long cpuTicks() {
            try {
                String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException e) {
                return 0;
            }
        }

        long rssKb() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException e) {
                return 0;
            }
            return 0;
        }

        void kill() throws InterruptedException {
            if (poll != null) {
                poll.close();
                poll = null;
            }
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            ALL.remove(process);
        }
    }

    // ------------------------------------------------------------------------------------------------

    /**
     * Traffic on the loopback interface ({@code /proc/net/dev}, packets and bytes sent, TCP and UDP) and UDP
     * datagrams sent ({@code /proc/net/snmp}) of this network namespace. {@code bench/process.sh} runs the
     * benchmark in a private namespace when it can (as root), where nothing else uses loopback; nothing polls
     * the agents during the idle window, so the difference over it is their gossip, probes and push/pull.
     */
    record Loopback(long packets, long bytes, long udpDatagrams) {
        static Loopback read() throws IOException {
            long packets = 0;
            long bytes = 0;
            for (String line : Files.readAllLines(Path.of("/proc/net/dev"))) {
                String t = line.strip();
                if (t.startsWith("lo:")) {
                    String[] f = t.substring(3).strip().split("\\s+");
                    bytes = Long.parseLong(f[8]);
                    packets = Long.parseLong(f[9]);
                }
            }
            List<String> snmp = Files.readAllLines(Path.of("/proc/net/snmp"));
            long udp = 0;
            for (int i = 0; i + 1 < snmp.size(); i++) {
                if (snmp.get(i).startsWith("Udp:") && snmp.get(i + 1).startsWith("Udp:")) {
                    List<String> names = Arrays.asList(snmp.get(i).split("\\s+"));
                    udp = Long.parseLong(snmp.get(i + 1).split("\\s+")[names.indexOf("OutDatagrams")]);
                    break;
                }
            }
            return new Loopback(packets, bytes, udp);
        }

        Loopback minus(Loopback o) {
            return new Loopback(packets - o.packets, bytes - o.bytes, udpDatagrams - o.udpDatagrams);
        }
    }

    static final String[][] FIGURES = {
        {"join_s", "join convergence (s)"},
        {"startup_s", "… of which: last agent spawned → answering RPC (s)"},
        {"join_after_ready_s", "… then → all list N alive (s)"},
        {"fail_detect_s", "failure detection (s)"},
        {"fail_detect_first_s", "… first agent to show it failed (s)"},
        {"false_failures", "false failures"},
        {"leave_s", "leave propagation (s)"},
        {"event_median_s", "event, no coalescing: median (s)"},
        {"event_max_s", "event, no coalescing: max (s)"},
        {"event_coalesce_median_s", "event, coalescing: median (s)"},
        {"event_coalesce_max_s", "event, coalescing: max (s)"},
        {"idle_cpu_pct", "idle CPU per agent (%)"},
        {"rss_mb", "RSS per agent (MB)"},
        {"net_packets_per_node_s", "loopback packets per node per second, each way"},
        {"net_bytes_per_node_s", "loopback bytes per node per second, each way"},
        {"udp_datagrams_per_node_s", "… of which UDP datagrams (gossip, probes)"},
        {"cli_members_s", "CLI `members` (s)"},
        {"cli_event_s", "CLI `event` (s)"},
    };

    /** Per size: one row per figure, medians [min–max] per kind, and the ratio rumor/serf of the medians. */
    static String markdown(List<Map<String, Object>> rows) {
        StringBuilder b = new StringBuilder(BenchText.machine(rows));
        rows.stream().map(r -> r.get("net_scope")).filter(java.util.Objects::nonNull).findFirst()
                .ifPresent(scope -> b.append("Loopback counters: ").append(scope).append(".\n"));
        Map<Integer, List<Map<String, Object>>> bySize = new TreeMap<>();
        for (Map<String, Object> r : rows) {
            bySize.computeIfAbsent((Integer) r.get("nodes"), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<Integer, List<Map<String, Object>>> e : bySize.entrySet()) {
            long reps = e.getValue().stream().collect(java.util.stream.Collectors.groupingBy(r -> r.get("kind"),
                    java.util.stream.Collectors.counting())).values().stream().mapToLong(Long::longValue).max().orElse(0);
            b.append("\n**").append(e.getKey()).append(" agents** (").append(reps).append(" repetitions)\n\n");
            b.append("| figure | serf median [min–max] | rumor median [min–max] | rumor/serf |\n|---|---|---|---|\n");
            for (String[] f : FIGURES) {
                double[] s = values(e.getValue(), "serf", f[0]);
                double[] r = values(e.getValue(), "rumor", f[0]);
                String ratio = s.length > 0 && r.length > 0 && median(s) > 0
                        ? String.format("%.2f", median(r) / median(s)) : "—";
                b.append("| ").append(f[1]).append(" | ").append(cell(s)).append(" | ").append(cell(r))
                        .append(" | ").append(ratio).append(" |\n");
            }
        }
        return b.toString();
    }

    private static double[] values(List<Map<String, Object>> rows, String kind, String key) {
        return rows.stream().filter(r -> kind.equals(r.get("kind"))).map(r -> r.get(key))
                .filter(v -> v instanceof Number).mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private static String cell(double[] v) {
        if (v.length == 0) {
            return "—";
        }
        double min = Arrays.stream(v).min().orElse(0);
        double max = Arrays.stream(v).max().orElse(0);
        return String.format("%s [%s–%s]", num(median(v)), num(min), num(max));
    }

    private static String num(double d) {
        return d >= 100 ? String.format("%.0f", d) : d >= 10 ? String.format("%.1f", d) : String.format("%.2f", d);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }


}
