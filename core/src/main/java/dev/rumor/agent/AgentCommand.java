package dev.rumor.agent;

import dev.rumor.cluster.Cluster;
import dev.rumor.cluster.ClusterConfig;
import dev.rumor.cluster.ClusterEvent;
import dev.rumor.cluster.Member;
import dev.rumor.membership.MembershipConfig;
import dev.rumor.security.Keyring;
import dev.rumor.time.ExecutorScheduler;
import dev.rumor.transport.NetTransport;
import dev.rumor.transport.NetTransportConfig;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code rumor agent}: runs one gossip node until a signal, with serf's flag names. This is the minimal agent
 * (membership and the serf layer over {@link NetTransport}); RPC, event handlers, snapshots and config files are
 * added by the full agent. Signals follow serf: SIGINT leaves gracefully and exits 0 (peers see the node
 * {@code left}); SIGTERM shuts down without leaving and exits 1 (peers see it {@code failed}).
 *
 * <p>Loaded by {@code dev.rumor.cli.Main} by name, so the client commands do not depend on the agent.
 */
@Command(name = "agent", description = "Runs a Rumor agent (gossip membership, serf-compatible) until interrupted.",
        mixinStandardHelpOptions = true)
public final class AgentCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCommand.class);
    /** serf's gracefulTimeout is 3 s after the leave itself; ours covers the whole leave sequence. */
    private static final Duration GRACEFUL_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(names = {"-node", "--node"}, description = "Node name (default: host name).")
    String node;

    @Option(names = {"-bind", "--bind"}, defaultValue = "0.0.0.0:" + MembershipConfig.DEFAULT_PORT,
            description = "Gossip address ADDR[:PORT] for UDP and TCP (default ${DEFAULT-VALUE}); port 0 picks one.")
    String bind;

    @Option(names = {"-advertise", "--advertise"}, description = "Address ADDR[:PORT] announced to peers.")
    String advertise;

    @Option(names = {"-join", "--join"}, description = "Agent to join at startup (repeatable); failure exits 1.")
    List<String> join = new ArrayList<>();

    @Option(names = {"-encrypt", "--encrypt"}, description = "Base64 gossip encryption key (16, 24 or 32 bytes).")
    String encrypt;

    @Option(names = {"-profile", "--profile"}, defaultValue = "lan",
            description = "Timing profile: lan, wan or local (default ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = {"-tag", "--tag"}, description = "Tag key=value (repeatable).")
    Map<String, String> tags = new LinkedHashMap<>();

    /** The parsed flags, as plain values; validated here so errors are reported before anything binds. */
    AgentSettings settings() {
        String name = node != null ? node : HostPort.hostName();
        MembershipConfig membership = switch (profile) {
            case "lan" -> MembershipConfig.lan(name);
            case "wan" -> MembershipConfig.wan(name);
            case "local" -> MembershipConfig.local(name);
            default -> throw new IllegalArgumentException("Unknown profile: " + profile);
        };
        InetSocketAddress bindAddress = HostPort.parse(bind, MembershipConfig.DEFAULT_PORT);
        InetSocketAddress advertiseAddress = advertise == null ? null : HostPort.parse(advertise, 0);
        byte[] key = null;
        if (encrypt != null) {
            try {
                key = Base64.getDecoder().decode(encrypt);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Failed to decode encryption key: " + e.getMessage());
            }
            if (key.length != 16 && key.length != 24 && key.length != 32) {
                throw new IllegalArgumentException("Encryption key must be 16, 24 or 32 bytes, got " + key.length);
            }
        }
        List<InetSocketAddress> joins = new ArrayList<>();
        for (String j : join) {
            joins.add(HostPort.parse(j, MembershipConfig.DEFAULT_PORT));
        }
        return new AgentSettings(membership, bindAddress, advertiseAddress, key, Map.copyOf(tags), joins, profile);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        AgentSettings s;
        try {
            s = settings();
        } catch (IllegalArgumentException e) {
            out.println("==> " + e.getMessage());
            out.flush();
            return 1;
        }
        BlockingQueue<String> signals = new ArrayBlockingQueue<>(4);
        for (String sig : List.of("INT", "TERM")) {
            Signal.handle(new Signal(sig), x -> signals.offer(sig));
        }
        out.println("==> Starting Rumor agent...");
        out.flush();
        try (RunningAgent agent = RunningAgent.start(s)) {
            out.println("==> Rumor agent running!");
            out.println("         Node name: '" + s.membership().name() + "'");
            out.println("         Bind addr: '" + HostPort.format(agent.transport.boundAddress()) + "'");
            out.println("    Advertise addr: '" + HostPort.format(agent.transport.advertiseAddress()) + "'");
            out.println("         Encrypted: " + (s.key() != null));
            out.println("           Profile: " + s.profile());
            out.flush();
            if (!s.join().isEmpty()) {
                out.println("==> Joining cluster...");
                out.flush();
                try {
                    int n = agent.cluster.join(s.join(), true).get(JOIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    out.println("    Join completed. Synced with " + n + " initial agents");
                    out.flush();
                } catch (ExecutionException | TimeoutException e) {
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    out.println("==> Error joining the cluster: " + cause.getMessage());
                    out.flush();
                    return 1;
                }
            }
            String sig = signals.take();
            out.println("==> Caught signal: " + (sig.equals("INT") ? "interrupt" : "terminated"));
            out.flush();
            if (!sig.equals("INT")) {
                return 1;
            }
            out.println("==> Gracefully shutting down agent...");
            out.flush();
            try {
                agent.cluster.leave().get(GRACEFUL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return 0;
            } catch (ExecutionException | TimeoutException e) {
                LOG.error("Error leaving the cluster: {}", e.toString());
                return 1;
            }
        }
    }

    /** The flags of one agent run. */
    record AgentSettings(MembershipConfig membership, InetSocketAddress bind, InetSocketAddress advertise, byte[] key,
                         Map<String, String> tags, List<InetSocketAddress> join, String profile) {
    }

    /** Transport, protocol thread and cluster of a running agent; closing stops them without leaving. */
    private static final class RunningAgent implements AutoCloseable {
        final NetTransport transport;
        final ExecutorScheduler scheduler;
        final Cluster cluster;

        private RunningAgent(NetTransport transport, ExecutorScheduler scheduler, Cluster cluster) {
            this.transport = transport;
            this.scheduler = scheduler;
            this.cluster = cluster;
        }

        static RunningAgent start(AgentSettings s) throws Exception {
            NetTransportConfig tc = NetTransportConfig.bind(s.bind()).withTcpTimeout(s.membership().tcpTimeout());
            if (s.advertise() != null) {
                tc = tc.withAdvertise(s.advertise().getAddress(), s.advertise().getPort());
            }
            Keyring keyring = s.key() == null ? null : Keyring.of(s.key());
            NetTransport transport = NetTransport.bind(tc);
            ExecutorScheduler scheduler = new ExecutorScheduler("rumor-protocol");
            try {
                MembershipConfig mc = s.membership().toBuilder().bindAddress(transport.boundAddress())
                        .advertiseAddress(transport.advertiseAddress()).keyring(keyring).build();
                ClusterConfig cc = ClusterConfig.defaults(mc).withTags(s.tags()).withKeyring(keyring, null);
                Cluster cluster = Cluster.create(cc, transport, scheduler, AgentCommand::logEvent);
                return new RunningAgent(transport, scheduler, cluster);
            } catch (RuntimeException e) {
                transport.close();
                scheduler.close();
                throw e;
            }
        }

        @Override
        public void close() {
            cluster.shutdown();
            transport.close();
            scheduler.close();
        }
    }

    private static void logEvent(ClusterEvent e) {
        if (e instanceof ClusterEvent.MemberEvent m) {
            for (Member member : m.members()) {
                LOG.info("{}: {} {}", m.type().wireName(), member.name(), HostPort.format(member.address()));
            }
        } else if (e instanceof ClusterEvent.UserEvent u) {
            LOG.info("user event: {} (ltime {}, {} bytes)", u.name(), u.ltime(), u.payload() == null ? 0 : u.payload().length);
        } else {
            LOG.info("{}", e.type().wireName());
        }
    }
}
