package dev.rumor.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rumor.agent.Agent;
import dev.rumor.agent.AgentSettings;
import dev.rumor.agent.config.AgentConfig;
import dev.rumor.agent.config.ConfigLoader;
import dev.rumor.agent.config.ConfigMerge;
import dev.rumor.cli.Main;
import dev.rumor.cluster.Member;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * Several real Rumor agents ({@link Agent}) in this JVM, on 127.0.0.1 with ephemeral gossip and RPC ports,
 * for tests that need a live cluster around a plugin: each agent has its own home with {@code plugins/},
 * {@code data/} and an {@code agent.json} that goes through the same {@link ConfigLoader} and
 * {@link ConfigMerge} as an operator's file, and loads the plugin jars given to {@link #builder} through the
 * real plugin host. Every agent after the first joins the cluster through the first one still running.
 *
 * <p>The profile defaults to {@code local} (serf's loopback timings: a killed node is declared failed
 * within a few seconds instead of LAN's ~10 s). Member events reach handlers after the agent's coalescing
 * window (up to 3 s), so tests observe outcomes with {@link Eventually}, never by sleeping.
 *
 * <p>Thread contract: start, kill and leave from the test thread; queries ({@link Node#statusOf},
 * {@link #rumor}) from any thread. {@link #close()} stops every agent still running without leaving.
 */
public final class RumorCluster implements AutoCloseable {
    public static final Duration CONVERGE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path workDir;
    private final List<Path> pluginJars;
    private final String profile;
    private final List<Node> nodes = new CopyOnWriteArrayList<>();

    private RumorCluster(Path workDir, List<Path> pluginJars, String profile) {
        this.workDir = workDir;
        this.pluginJars = List.copyOf(pluginJars);
        this.profile = profile;
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /**
     * The jar a plugin module's {@code package} phase left in {@code target/} (its ITs run after it).
     *
     * @param artifactPrefix e.g. {@code rumor-plugin-haproxy}
     */
    public static Path packagedPluginJar(String artifactPrefix) {
        Path target = Path.of("target");
        try (var s = Files.list(target)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(artifactPrefix + "-") && n.endsWith(".jar") && !n.endsWith("-tests.jar")
                        && !n.endsWith("-sources.jar");
            }).findFirst().orElseThrow(() -> new IllegalStateException(
                    "no " + artifactPrefix + " jar in " + target.toAbsolutePath() + ": run the IT after package"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts an agent with no tags and no handlers. */
    public Node start(String name) throws Exception {
        return start(name, spec -> { });
    }

    /**
     * Starts an agent, joins it to the first running agent (if any) and waits until both see each other
     * alive.
     */
    public Node start(String name, Consumer<NodeSpec> configure) throws Exception {
        if (node(name) != null && node(name).running) {
            throw new IllegalArgumentException("node " + name + " is already running");
        }
        NodeSpec spec = new NodeSpec();
        configure.accept(spec);
        Path home = Files.createDirectories(workDir.resolve(name + "-" + nodes.size()));
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("data"));
        for (Path jar : pluginJars) {
            Files.copy(jar, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        AgentConfig merged = writeConfig(name, home, spec);
        Agent agent = Agent.start(AgentSettings.from(merged, home));
        Node node = new Node(this, name, home, agent);
        Node seed = running().stream().findFirst().orElse(null);
        nodes.add(node);
        if (seed != null) {
            agent.join(List.of(seed.gossipAddress()), false);
            Eventually.await(CONVERGE,
                    () -> "alive".equals(seed.statusOf(name)) && "alive".equals(node.statusOf(seed.name)),
                    () -> name + " joining " + seed.name + ": " + node.view() + " / " + seed.view());
        }
        return node;
    }

    /** Writes {@code <home>/agent.json} for this node and loads it as the agent would: defaults, then the file. */
    private AgentConfig writeConfig(String name, Path home, NodeSpec spec) throws IOException {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("node_name", name);
        cfg.put("bind", "127.0.0.1:0");
        cfg.put("rpc_addr", "127.0.0.1:0");
        cfg.put("profile", profile);
        cfg.put("plugins_dir", home.resolve("plugins").toString());
        cfg.put("data_dir", home.resolve("data").toString());
        cfg.put("tags", spec.tags);
        if (!spec.handlers.isEmpty()) {
            cfg.put("handlers", spec.handlers);
        }
        cfg.putAll(spec.extra);
        Path file = home.resolve("agent.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), cfg);
        try {
            return ConfigMerge.mergeAll(List.of(AgentConfig.defaults(), ConfigLoader.loadFile(file)));
        } catch (dev.rumor.agent.config.ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The most recently started node with this name, or null. */
    public Node node(String name) {
        Node found = null;
        for (Node n : nodes) {
            if (n.name.equals(name)) {
                found = n;
            }
        }
        return found;
    }

    public List<Node> running() {
        return nodes.stream().filter(n -> n.running).toList();
    }

    /** Waits until every running agent sees every running agent alive. */
    public void awaitConverged() {
        List<Node> up = running();
        Eventually.await(CONVERGE, () -> up.stream().allMatch(o -> up.stream()
                        .allMatch(n -> "alive".equals(o.statusOf(n.name)))),
                () -> up.stream().map(n -> n.name + "=" + n.view()).collect(Collectors.joining("; ")));
    }

    /** Waits until every running agent reports {@code member} with {@code status} (alive, left, failed ...). */
    public void awaitStatus(String member, String status, Duration timeout) {
        List<Node> up = running();
        Eventually.await(timeout, () -> up.stream().allMatch(o -> status.equals(o.statusOf(member))),
                () -> member + " should be " + status + ": "
                        + up.stream().map(n -> n.name + "=" + n.view()).collect(Collectors.joining("; ")));
    }

    /** Runs the {@code rumor} CLI in this JVM ({@link Main#commandLine()}), stdout and stderr together. */
    public static CliResult rumor(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        PrintWriter w = new PrintWriter(out, true);
        cl.setOut(w);
        cl.setErr(w);
        int code = cl.execute(args);
        w.flush();
        return new CliResult(code, out.toString());
    }

    /** Stops every running agent without leaving (peers would see them fail). */
    @Override
    public void close() {
        for (Node n : nodes) {
            n.kill();
        }
    }

    /** What one agent is started with, beyond name, ports, profile and directories. */
    public static final class NodeSpec {
        private final Map<String, String> tags = new TreeMap<>();
        private final List<Map<String, Object>> handlers = new ArrayList<>();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private NodeSpec() {
        }

        public NodeSpec tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        /**
         * One entry of the {@code handlers} list, spelled as in the config file: {@code name}, {@code plugin},
         * {@code events}, {@code member_tags}, {@code self_tags}, {@code timeout}, {@code queue_size},
         * {@code config}.
         */
        public NodeSpec handler(Map<String, Object> handler) {
            handlers.add(handler);
            return this;
        }

        /** Any other config-file key, e.g. {@code log_level}. */
        public NodeSpec config(String key, Object value) {
            extra.put(key, value);
            return this;
        }
    }

    /** One in-process agent. */
    public static final class Node {
        private final RumorCluster cluster;
        private final String name;
        private final Path home;
        private final Agent agent;
        private volatile boolean running = true;

        private Node(RumorCluster cluster, String name, Path home, Agent agent) {
            this.cluster = cluster;
            this.name = name;
            this.home = home;
            this.agent = agent;
        }

        public String name() {
            return name;
        }

        public Agent agent() {
            return agent;
        }

        public Path home() {
            return home;
        }

        public Path dataDir() {
            return agent.settings().dataDir();
        }

        public boolean running() {
            return running;
        }

        /** {@code 127.0.0.1:PORT}, as the CLI's {@code -rpc-addr} takes it. */
        public String rpcAddress() {
            return hostPort(agent.rpcAddress());
        }

        public String gossipAddress() {
            return hostPort(agent.gossipAddress());
        }

        /** This agent's view of {@code member}'s status (alive, leaving, left, failed), or null if unknown. */
        public String statusOf(String member) {
            if (!running) {
                return null;
            }
            Member m = agent.cluster().member(member);
            return m == null ? null : m.status().name().toLowerCase(java.util.Locale.ROOT);
        }

        /** name=status of every member this agent knows. */
        public Map<String, String> view() {
            Map<String, String> v = new TreeMap<>();
            if (running) {
                for (Member m : agent.cluster().members()) {
                    v.put(m.name(), m.status().name().toLowerCase(java.util.Locale.ROOT));
                }
            }
            return v;
        }

        /** Replaces this agent's tags and waits for the broadcast. */
        public void setTags(Map<String, String> tags) throws Exception {
            agent.setTags(tags);
        }

        /**
         * Rewrites this agent's config file from a new spec (tags, handlers, other keys; name, ports and
         * directories stay) and reloads it as SIGHUP does ({@link Agent#reload}).
         *
         * @return the agent's reload report (what changed, or why the old config was kept)
         */
        public List<String> reload(Consumer<NodeSpec> configure) throws IOException {
            NodeSpec next = new NodeSpec();
            configure.accept(next);
            AgentConfig merged = cluster.writeConfig(name, home, next);
            return agent.reload(merged, home);
        }

        /** {@code rumor COMMAND -rpc-addr=THIS ARGS...} in this JVM. */
        public CliResult cli(String command, String... args) {
            List<String> all = new ArrayList<>();
            all.add(command);
            all.add("-rpc-addr=" + rpcAddress());
            all.addAll(List.of(args));
            return rumor(all.toArray(String[]::new));
        }

        /** Stops the agent without leaving: the others detect a failure. Idempotent. */
        public void kill() {
            if (running) {
                running = false;
                agent.close();
            }
        }

        /** Graceful leave, then stop. */
        public void leave() throws Exception {
            if (running) {
                try {
                    agent.leave();
                } finally {
                    running = false;
                    agent.close();
                }
            }
        }

        @Override
        public String toString() {
            return "rumor " + name + " gossip " + gossipAddress() + " rpc " + rpcAddress();
        }

        private static String hostPort(InetSocketAddress a) {
            return a.getAddress().getHostAddress() + ":" + a.getPort();
        }
    }

    /** Options of the whole cluster. */
    public static final class Builder {
        private final Path workDir;
        private final List<Path> jars = new ArrayList<>();
        private String profile = "local";

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        /** A plugin jar copied into every agent's plugins directory. */
        public Builder pluginJar(Path jar) {
            jars.add(jar);
            return this;
        }

        /** lan, wan or local (default). */
        public Builder profile(String profile) {
            this.profile = profile;
            return this;
        }

        public RumorCluster build() {
            return new RumorCluster(workDir, jars, profile);
        }
    }
}
