package dev.rumor.dist;

import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.FreePorts;
import dev.rumor.testing.SerfAgent;
import dev.rumor.testing.SerfMember;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code bin/rumor agent} process of the unpacked distribution on loopback: free ephemeral ports (gossip and
 * RPC), console output in {@code <workDir>/<node>.log}, up once its banner says the log stream begins (after
 * any {@code -join}) and its RPC port accepts connections. A port lost to another process between our probe
 * and the agent's bind is retried with new ports.
 *
 * <p>The launcher {@code exec}s the JVM, so {@link #pid()} is the agent JVM itself: signals sent to it reach
 * the agent, as they would from systemd. {@link #close()} always ends the process (SIGTERM, then SIGKILL).
 *
 * <p>Thread contract: methods may be called from any thread; each CLI call is one short-lived
 * {@code bin/rumor} process bounded by {@link Dist#CLI_TIMEOUT}.
 */
final class RumorAgent implements AutoCloseable {
    static final String LOOPBACK = InetAddress.getLoopbackAddress().getHostAddress();
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final int START_ATTEMPTS = 5;
    private static final String READY_LINE = "==> Log data will now stream in as it occurs";

    private final String name;
    private final int gossipPort;
    private final int rpcPort;
    private final Path logFile;
    private final Process process;

    private RumorAgent(String name, int gossipPort, int rpcPort, Path logFile, Process process) {
        this.name = name;
        this.gossipPort = gossipPort;
        this.rpcPort = rpcPort;
        this.logFile = logFile;
        this.process = process;
    }

    static Builder builder(String nodeName, Path workDir) {
        return new Builder(nodeName, workDir);
    }

    String name() {
        return name;
    }

    String gossipAddress() {
        return LOOPBACK + ":" + gossipPort;
    }

    String rpcAddress() {
        return LOOPBACK + ":" + rpcPort;
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean isRunning() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<cannot read " + logFile + ": " + e + ">";
        }
    }

    /** {@code bin/rumor ARGS[0] -rpc-addr=THIS ARGS[1..]}. */
    CliResult cli(String... args) {
        List<String> all = new ArrayList<>();
        all.add(args[0]);
        all.add("-rpc-addr=" + rpcAddress());
        all.addAll(List.of(args).subList(1, args.length));
        return Dist.rumor(all.toArray(String[]::new));
    }

    /** This agent's member list, from {@code bin/rumor members -format=json}. */
    List<SerfMember> members() {
        CliResult r = cli("members", "-format=json");
        if (!r.ok()) {
            throw new IllegalStateException("rumor members failed on " + name + ": " + r.output());
        }
        return SerfAgent.parseMembers(r.output());
    }

    /** The status this agent reports for {@code node}, or "absent"; never throws (for polling). */
    String statusOf(String node) {
        try {
            Optional<SerfMember> m = members().stream().filter(x -> x.name().equals(node)).findFirst();
            return m.map(SerfMember::status).orElse("absent");
        } catch (RuntimeException e) {
            return "error: " + e.getMessage();
        }
    }

    /** Sends a signal with {@code kill -SIG PID}, as an operator or systemd would. */
    void signal(String sig) {
        CliResult r = Dist.run(List.of("kill", "-" + sig, Long.toString(pid())), Map.of(), null, Dist.CLI_TIMEOUT);
        if (!r.ok()) {
            throw new IllegalStateException("kill -" + sig + " " + pid() + " failed: " + r.output());
        }
    }

    /** Waits for the process to end by itself; its exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still running after " + timeout + "; log:\n" + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        // event handler scripts the agent started and left behind
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public String toString() {
        return "rumor agent " + name + " gossip " + gossipAddress() + " rpc " + rpcAddress() + " pid " + process.pid();
    }

    private boolean rpcAccepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, rpcPort), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static final class Builder {
        private final String name;
        private final Path workDir;
        private final List<String> args = new ArrayList<>();
        private String logLevel = "debug";
        private Duration startTimeout = Duration.ofSeconds(60);
        private boolean signalsIgnored;

        private Builder(String name, Path workDir) {
            this.name = name;
            this.workDir = workDir;
        }

        Builder join(String address) {
            args.add("-join=" + address);
            return this;
        }

        Builder configFile(Path file) {
            args.add("-config-file=" + file);
            return this;
        }

        Builder arg(String... extra) {
            args.addAll(List.of(extra));
            return this;
        }

        /**
         * Starts the launcher with SIGHUP and SIGINT ignored, as `bin/rumor agent &` in a script or nohup would
         * (a shell that {@code exec}s it, so the PID is still the agent's).
         */
        Builder startedWithSignalsIgnored() {
            this.signalsIgnored = true;
            return this;
        }

        Builder logLevel(String level) {
            this.logLevel = level;
            return this;
        }

        /**
         * Starts the agent and waits until it is up.
         *
         * @throws IllegalStateException with the agent's log if it exits or does not come up in time
         */
        RumorAgent start() {
            String lastLog = "";
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                int gossip = FreePorts.gossipPort();
                int rpc = FreePorts.tcpPort();
                if (rpc == gossip) {
                    continue;
                }
                Path log = workDir.resolve(name + (attempt == 1 ? "" : "-" + attempt) + ".log");
                try {
                    return startOn(gossip, rpc, log);
                } catch (PortTaken e) {
                    lastLog = e.getMessage();
                }
            }
            throw new IllegalStateException("rumor agent " + name + " kept losing port races:\n" + lastLog);
        }

        private RumorAgent startOn(int gossip, int rpc, Path log) {
            List<String> cmd = new ArrayList<>(List.of(Dist.BIN.toString(), "agent", "-node=" + name,
                    "-bind=" + LOOPBACK + ":" + gossip, "-rpc-addr=" + LOOPBACK + ":" + rpc, "-log-level=" + logLevel));
            cmd.addAll(args);
            if (signalsIgnored) {
                cmd.addAll(0, List.of("/bin/sh", "-c", "trap '' HUP INT; exec \"$0\" \"$@\""));
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("JAVA_HOME", Dist.JAVA_HOME);
            pb.environment().remove("RUMOR_OPTS");
            pb.environment().remove("RUMOR_CDS");
            pb.directory(workDir.toFile());
            Process p;
            try {
                Files.createDirectories(workDir);
                p = pb.start();
                p.getOutputStream().close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + cmd, e);
            }
            RumorAgent agent = new RumorAgent(name, gossip, rpc, log, p);
            boolean up = Eventually.poll(startTimeout,
                    () -> !p.isAlive() || (agent.log().contains(READY_LINE) && agent.rpcAccepts()));
            if (up && p.isAlive()) {
                return agent;
            }
            agent.close();
            String text = agent.log();
            if (text.toLowerCase(Locale.ROOT).contains("already in use")) {
                throw new PortTaken(text);
            }
            throw new IllegalStateException("rumor agent " + name + " did not come up ("
                    + (p.isAlive() ? "not ready in " + startTimeout : "exit " + p.exitValue()) + "): " + cmd + "\n" + text);
        }
    }

    private static final class PortTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortTaken(String log) {
            super(log);
        }
    }
}
