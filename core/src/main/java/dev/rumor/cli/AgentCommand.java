package dev.rumor.cli;

import dev.rumor.agent.Agent;
import dev.rumor.agent.AgentSettings;
import dev.rumor.agent.config.AgentConfig;
import dev.rumor.agent.config.ConfigException;
import dev.rumor.agent.config.ConfigLoader;
import dev.rumor.agent.config.ConfigMerge;
import dev.rumor.agent.config.GoDuration;
import dev.rumor.agent.log.LogHub;
import dev.rumor.agent.plugin.HandlerSpecs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code rumor agent}: serf's agent flags and config files, the start-up banner, and the signal contract
 * (INT: graceful leave, exit 0; TERM: leave only with leave_on_terminate; HUP: full reload).
 * Flags override config files, which override the defaults; {@code -config-file}/{@code -config-dir}
 * are read again on every reload.
 */
@Command(name = "agent", description = "Runs a Rumor agent (serf agent compatible flags and config).", sortOptions = false)
public final class AgentCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @Spec
    CommandSpec spec;

    @Option(names = {"-bind", "--bind"}, paramLabel = "ADDR[:PORT]", description = "Gossip bind address (default 0.0.0.0:7946)")
    String bind;
    @Option(names = {"-advertise", "--advertise"}, paramLabel = "ADDR[:PORT]", description = "Address to advertise to peers")
    String advertise;
    @Option(names = {"-config-file", "--config-file"}, paramLabel = "FILE", description = "JSON or YAML config file (repeatable)")
    List<Path> configFiles = new ArrayList<>();
    @Option(names = {"-config-dir", "--config-dir"}, paramLabel = "DIR", description = "Directory of *.json/*.yaml/*.yml config files (repeatable)")
    List<Path> configDirs = new ArrayList<>();
    @Option(names = {"-encrypt", "--encrypt"}, paramLabel = "KEY", description = "Base64 encryption key (16, 24 or 32 bytes)")
    String encrypt;
    @Option(names = {"-keyring-file", "--keyring-file"}, paramLabel = "FILE", description = "Persistent keyring file")
    String keyringFile;
    @Option(names = {"-event-handler", "--event-handler"}, paramLabel = "[FILTER=]SCRIPT", description = "serf-style event handler script (repeatable)")
    List<String> eventHandlers = new ArrayList<>();
    @Option(names = {"-join", "--join"}, paramLabel = "ADDR", description = "Join this address at start-up; failure exits 1 (repeatable)")
    List<String> join = new ArrayList<>();
    @Option(names = {"-retry-join", "--retry-join"}, paramLabel = "ADDR", description = "Keep trying to join this address (repeatable)")
    List<String> retryJoin = new ArrayList<>();
    @Option(names = {"-retry-interval", "--retry-interval"}, paramLabel = "DURATION", description = "Interval between retry-join attempts (default 30s)")
    String retryInterval;
    @Option(names = {"-retry-max", "--retry-max"}, paramLabel = "N", description = "Retry-join attempts before exiting (0 = unlimited)")
    Integer retryMax;
    @Option(names = {"-replay", "--replay"}, description = "Replay past user events when joining")
    Boolean replay;
    @Option(names = {"-log-level", "--log-level"}, paramLabel = "LEVEL", description = "TRACE, DEBUG, INFO, WARN or ERR (default INFO)")
    String logLevel;
    @Option(names = {"-node", "--node"}, paramLabel = "NAME", description = "Node name (default: hostname)")
    String node;
    @Option(names = {"-protocol", "--protocol"}, paramLabel = "N", description = "serf protocol version 2-5 (default 5)")
    Integer protocol;
    @Option(names = {"-role", "--role"}, paramLabel = "ROLE", description = "Deprecated: same as -tag role=ROLE")
    String role;
    @Option(names = {"-rpc-addr", "--rpc-addr"}, paramLabel = "ADDR", description = "RPC listen address (default 127.0.0.1:7373)")
    String rpcAddr;
    @Option(names = {"-profile", "--profile"}, paramLabel = "lan|wan|local", description = "Timing profile (default lan)")
    String profile;
    @Option(names = {"-snapshot", "--snapshot"}, paramLabel = "FILE", description = "Snapshot file for rejoining after a restart")
    String snapshot;
    @Option(names = {"-rejoin", "--rejoin"}, description = "Rejoin from the snapshot even after a graceful leave")
    Boolean rejoin;
    @Option(names = {"-tag", "--tag"}, paramLabel = "KEY=VALUE", description = "A tag for this node (repeatable)")
    List<String> tags = new ArrayList<>();
    @Option(names = {"-tags-file", "--tags-file"}, paramLabel = "FILE", description = "JSON file of tags, rewritten on every tag change")
    String tagsFile;
    @Option(names = {"-disable-compression", "--disable-compression"}, description = "Do not compress gossip")
    boolean disableCompression;
    @Option(names = {"-broadcast-timeout", "--broadcast-timeout"}, paramLabel = "DURATION", description = "Wait for leave/tag broadcasts (default 5s)")
    String broadcastTimeout;
    @Option(names = {"-plugins-dir", "--plugins-dir"}, paramLabel = "DIR", description = "Plugin jar directory (default $RUMOR_HOME/plugins)")
    String pluginsDir;
    @Option(names = {"-data-dir", "--data-dir"}, paramLabel = "DIR", description = "Plugin data directory (default $RUMOR_HOME/data)")
    String dataDir;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private void say(String s) {
        out().println(s);
        out().flush();
    }

    /** The command-line layer: only what was given. */
    AgentConfig flagLayer() {
        Map<String, String> tagMap = Tags.parse(tags);
        AgentConfig e = AgentConfig.empty();
        return new AgentConfig(node, role, null, tagMap.isEmpty() ? null : tagMap, tagsFile, bind, advertise, encrypt,
                keyringFile, logLevel, rpcAddr, null, protocol, replay, null, null, null, join.isEmpty() ? null : join,
                eventHandlers.isEmpty() ? null : eventHandlers, profile, snapshot, null, null, null, null, null, null,
                null, null, null, null, retryJoin.isEmpty() ? null : retryJoin, retryMax,
                retryInterval == null ? null : GoDuration.parse(retryInterval), rejoin,
                disableCompression ? Boolean.FALSE : null, null, null,
                broadcastTimeout == null ? null : GoDuration.parse(broadcastTimeout), pluginsDir, dataDir,
                e.handlerTimeout(), e.handlerQueueSize(), e.handlers(), e.failOnRefusedProbe());
    }

    /** defaults &lt; config files (in order) &lt; flags. Read again on every reload. */
    AgentConfig readConfig() throws ConfigException {
        List<Path> paths = new ArrayList<>(configFiles);
        paths.addAll(configDirs);
        List<AgentConfig> layers = new ArrayList<>();
        layers.add(AgentConfig.defaults());
        layers.add(ConfigMerge.mergeAll(ConfigLoader.load(paths)));
        layers.add(flagLayer());
        return ConfigMerge.mergeAll(layers); // lists (e.g. -join after start_join) append, as in serf
    }

    static Path home() {
        String h = System.getProperty("rumor.home");
        return h == null ? Path.of("").toAbsolutePath() : Path.of(h);
    }

    @Override
    public Integer call() {
        AgentConfig config;
        AgentSettings settings;
        try {
            config = readConfig();
            settings = AgentSettings.from(config, home());
            // serf refuses a bad event handler before starting anything ("Invalid event script: ...");
            // checking here also keeps a refused start from installing the log hub and signal handlers.
            HandlerSpecs.fromConfig(config);
        } catch (ConfigException e) {
            say("==> Error loading config: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            say("==> " + e.getMessage());
            return 1;
        }
        // Before the first logger exists: slf4j-simple reads its settings then (see LogHub).
        LogHub hub = LogHub.install(config.logLevel());
        BlockingQueue<String> signals = new LinkedBlockingQueue<>();
        for (String sig : List.of("INT", "TERM", "HUP")) {
            Signal.handle(new Signal(sig), s -> signals.add(s.getName()));
        }

        say("==> Starting Rumor agent...");
        Agent agent;
        try {
            agent = Agent.start(settings);
        } catch (Exception e) {
            hub.openGate();
            say("==> Failed to start the agent: " + e.getMessage());
            return 1;
        }
        say("==> Starting Rumor agent RPC...");
        say("==> Rumor agent running!");
        Map<String, String> banner = new LinkedHashMap<>();
        banner.put("Node name", "'" + settings.nodeName() + "'");
        banner.put("Bind addr", "'" + hostPort(agent.gossipAddress()) + "'");
        if (settings.advertise() != null) {
            banner.put("Advertise addr", "'" + hostPort(settings.advertise()) + "'");
        }
        banner.put("RPC addr", "'" + hostPort(agent.rpcAddress()) + "'");
        banner.put("Encrypted", Boolean.toString(settings.keyring() != null));
        banner.put("Snapshot", Boolean.toString(settings.snapshotPath() != null));
        banner.put("Profile", settings.profile());
        banner.put("Message Compression Enabled", Boolean.toString(!Boolean.FALSE.equals(config.enableCompression())));
        banner.put("Plugins", agent.plugins().stats().plugins().size() + " loaded from " + settings.pluginsDir());
        banner.forEach((k, v) -> say(String.format("%31s: %s", k, v)));

        boolean replayEvents = Boolean.TRUE.equals(config.replayOnJoin());
        if (settings.snapshotPath() != null) {
            agent.rejoinFromSnapshot();
        }
        List<String> startJoin = config.startJoin() == null ? List.of() : config.startJoin();
        if (!startJoin.isEmpty()) {
            say("==> Joining cluster...(replay: " + replayEvents + ")");
            try {
                int n = agent.join(startJoin, replayEvents);
                say("    Join completed. Synced with " + n + " initial agents");
            } catch (dev.rumor.rpc.RpcException e) {
                hub.openGate();
                say("==> Failed to join: " + e.getMessage().strip());
                agent.close();
                return 1;
            }
        }
        agent.retryJoin(config.retryJoin() == null ? List.of() : config.retryJoin(),
                config.retryInterval() == null ? Duration.ofSeconds(30) : config.retryInterval().value(),
                config.retryMaxAttempts() == null ? 0 : config.retryMaxAttempts());
        say("");
        say("==> Log data will now stream in as it occurs:");
        say("");
        hub.openGate();
        org.slf4j.LoggerFactory.getLogger("dev.rumor.agent.Agent").info("Rumor agent starting (log level {})", hub.level());
        return waitForSignals(agent, config, signals);
    }

    private int waitForSignals(Agent agent, AgentConfig startConfig, BlockingQueue<String> signals) {
        AgentConfig config = startConfig;
        // An exit request wakes the wait like a signal, so the main thread sleeps until something happens
        // (it used to poll every 200 ms, a wake-up that showed in the idle CPU of every agent).
        agent.exitRequested().whenComplete((code, error) -> signals.add("EXIT"));
        while (true) {
            String sig;
            try {
                sig = signals.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sig = "INT";
            }
            if (agent.exitRequested().isDone()) {
                int code = agent.exitRequested().join();
                agent.close();
                return code;
            }
            switch (sig) {
                case "HUP" -> {
                    say("==> Caught signal: hangup");
                    say("==> Reloading configuration...");
                    try {
                        AgentConfig next = readConfig();
                        for (String line : agent.reload(next, home())) {
                            org.slf4j.LoggerFactory.getLogger("dev.rumor.agent.Agent").info("Reload: {}", line);
                        }
                        config = next;
                    } catch (ConfigException e) {
                        org.slf4j.LoggerFactory.getLogger("dev.rumor.agent.Agent")
                                .error("Failed to reload configs: {}; keeping the running configuration", e.getMessage());
                    }
                }
                case "INT", "TERM" -> {
                    say("==> Caught signal: " + (sig.equals("INT") ? "interrupt" : "terminated"));
                    boolean leave = sig.equals("INT") ? !Boolean.TRUE.equals(config.skipLeaveOnInterrupt())
                            : Boolean.TRUE.equals(config.leaveOnTerminate());
                    if (!leave) {
                        agent.close();
                        return 1;
                    }
                    return gracefulLeave(agent, signals);
                }
                default -> { }
            }
        }
    }

    /** Leave within a bounded time; a second signal or the timeout exits 1 (serf's gracefulTimeout). */
    private int gracefulLeave(Agent agent, BlockingQueue<String> signals) {
        say("==> Gracefully shutting down agent...");
        Thread leaver = new Thread(() -> {
            try {
                agent.leave();
            } catch (Exception e) {
                say("==> Error leaving: " + e.getMessage());
                signals.add("LEAVE-FAILED");
                return;
            }
            signals.add("LEFT");
        }, "rumor-leave");
        leaver.setDaemon(true);
        leaver.start();
        Duration budget = Duration.ofSeconds(15);
        try {
            long deadline = System.nanoTime() + budget.toNanos();
            String s;
            do { // an exit request (see waitForSignals) neither ends nor fails the leave
                s = signals.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } while ("EXIT".equals(s));
            agent.close();
            return "LEFT".equals(s) ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            agent.close();
            return 1;
        }
    }

    private static String hostPort(java.net.InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
