package dev.rumor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code serf agent} process on loopback, for interop tests. It runs on free ephemeral ports (gossip
 * and RPC), writes its console output to {@code <workDir>/<node>.log}, and is known to be up once
 * {@code serf members} answers on its RPC port. A port taken by someone else between our probe and serf's
 * bind is retried with new ports.
 *
 * <p>Every started agent must be closed by the test (try-with-resources or {@code @AfterEach});
 * {@link #close()} always ends the process, forcibly if it does not stop on SIGTERM.
 *
 * <p>Thread contract: methods may be called from any thread; each CLI call runs one short-lived {@code serf}
 * process and is bounded by {@link #CLI_TIMEOUT}.
 */
public final class SerfAgent implements AutoCloseable {
    /** The binary under test; CI installs it there. Override with {@code -Dserf.binary=...}. */
    public static final String SERF = System.getProperty("serf.binary", "/usr/bin/serf");
    public static final Duration CLI_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 5;
    private static final String LOOPBACK = InetAddress.getLoopbackAddress().getHostAddress();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final int gossipPort;
    private final int rpcPort;
    private final Path logFile;
    private final Process process;
    private final String rpcAuth;

    private SerfAgent(String name, int gossipPort, int rpcPort, Path logFile, Process process, String rpcAuth) {
        this.rpcAuth = rpcAuth;
        this.name = name;
        this.gossipPort = gossipPort;
        this.rpcPort = rpcPort;
        this.logFile = logFile;
        this.process = process;
    }

    /** @param workDir where the agent's log goes, normally the test's {@code @TempDir} */
    public static Builder builder(String nodeName, Path workDir) {
        return new Builder(nodeName, workDir);
    }

    public String name() {
        return name;
    }

    /** Gossip address as serf prints and accepts it: {@code 127.0.0.1:PORT}. */
    public String gossipAddress() {
        return LOOPBACK + ":" + gossipPort;
    }

    public InetSocketAddress gossipSocketAddress() {
        return new InetSocketAddress(LOOPBACK, gossipPort);
    }

    public int gossipPort() {
        return gossipPort;
    }

    public String rpcAddress() {
        return LOOPBACK + ":" + rpcPort;
    }

    public Path logFile() {
        return logFile;
    }

    /** The agent's console output so far. */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<cannot read " + logFile + ": " + e + ">";
        }
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Runs {@code serf ARGS[0] -rpc-addr=THIS ARGS[1..]} (the RPC flag goes right after the subcommand because
     * Go's flag parsing stops at the first positional argument).
     */
    public CliResult cli(String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("a serf subcommand is required");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(SERF);
        cmd.add(args[0]);
        cmd.add("-rpc-addr=" + rpcAddress());
        if (rpcAuth != null) {
            cmd.add("-rpc-auth=" + rpcAuth);
        }
        cmd.addAll(List.of(args).subList(1, args.length));
        return run(cmd, CLI_TIMEOUT);
    }

    /** This agent's member list, from {@code serf members -format=json}. */
    public List<SerfMember> members() {
        CliResult r = cli("members", "-format=json");
        if (!r.ok()) {
            throw new IllegalStateException("serf members failed on " + name + ": " + r.output());
        }
        return parseMembers(r.output());
    }

    public Optional<SerfMember> member(String node) {
        return members().stream().filter(m -> m.name().equals(node)).findFirst();
    }

    /** The status this agent reports for {@code node}, or "absent". Never throws (for use in polling). */
    public String statusOf(String node) {
        try {
            return member(node).map(SerfMember::status).orElse("absent");
        } catch (RuntimeException e) {
            return "error: " + e.getMessage();
        }
    }

    /** {@code serf join}; fails the caller if serf reports an error. */
    public void join(String address) {
        CliResult r = cli("join", address);
        if (!r.ok()) {
            throw new IllegalStateException(name + " could not join " + address + ": " + r.output());
        }
    }

    /** {@code serf event NAME PAYLOAD} (coalescing on, serf's default). */
    public CliResult event(String eventName, String payload) {
        return cli("event", eventName, payload);
    }

    /** SIGKILL: the agent vanishes without a word, so peers must detect it as failed. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** Graceful leave over RPC; the agent then exits by itself (exit code 0). */
    public void leave() {
        CliResult r = cli("leave");
        if (!r.ok()) {
            throw new IllegalStateException(name + " could not leave: " + r.output());
        }
        awaitExit();
    }

    /** SIGTERM (serf: shut down without leaving), then SIGKILL if it lingers. Safe to call in any state. */
    public void stop() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        awaitExit();
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitExit() {
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

    @Override
    public String toString() {
        return "serf agent " + name + " gossip " + gossipAddress() + " rpc " + rpcAddress();
    }

    public static List<SerfMember> parseMembers(String json) {
        try {
            JsonNode members = JSON.readTree(json).path("members");
            List<SerfMember> out = new ArrayList<>();
            for (JsonNode m : members) {
                Map<String, String> tags = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = m.path("tags").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    tags.put(e.getKey(), e.getValue().asText());
                }
                out.add(new SerfMember(m.path("name").asText(), m.path("addr").asText(), m.path("port").asInt(),
                        m.path("status").asText(), Map.copyOf(tags)));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("unparseable serf members output: " + json, e);
        }
    }

    /** Runs a command to completion (bounded) and returns its exit code and combined output. */
    public static CliResult run(List<String> command, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // the command reads no stdin
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<output unreadable: " + e + ">";
            }
        });
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return new CliResult(-1, "timed out after " + timeout + ": " + command);
            }
            return new CliResult(p.exitValue(), out.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new CliResult(-1, "interrupted");
        } catch (Exception e) {
            return new CliResult(p.exitValue(), "<output unreadable: " + e + ">");
        }
    }

    /** Flags of one agent; {@link #start()} picks the ports. */
    public static final class Builder {
        private final String name;
        private final Path workDir;
        private final List<String> args = new ArrayList<>();
        private String logLevel = "debug";
        private Duration startTimeout = Duration.ofSeconds(20);
        private String rpcAuth;

        private Builder(String name, Path workDir) {
            this.name = name;
            this.workDir = workDir;
        }

        public Builder encrypt(String base64Key) {
            args.add("-encrypt=" + base64Key);
            return this;
        }

        public Builder tag(String key, String value) {
            args.add("-tag=" + key + "=" + value);
            return this;
        }

        /** A serf handler spec, e.g. {@code user:deploy=/path/script.sh}. */
        public Builder eventHandler(String spec) {
            args.add("-event-handler=" + spec);
            return this;
        }

        public Builder profile(String profile) {
            args.add("-profile=" + profile);
            return this;
        }

        /** Join at startup; serf exits (and {@link #start()} fails) if the join fails. */
        public Builder join(String address) {
            args.add("-join=" + address);
            return this;
        }

        public Builder logLevel(String level) {
            this.logLevel = level;
            return this;
        }

        /** Any other {@code serf agent} flag, passed verbatim. */
        public Builder arg(String... extra) {
            args.addAll(List.of(extra));
            return this;
        }

        /**
         * The {@code rpc_auth} token the agent's config file sets (serf has no flag for it): {@link #cli} then
         * authenticates with it.
         */
        public Builder rpcAuth(String token) {
            this.rpcAuth = token;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Starts the agent and waits until its RPC answers.
         *
         * @throws IllegalStateException with the agent's log if it exits or does not answer in time
         */
        public SerfAgent start() {
            String lastLog = "";
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                int gossip = FreePorts.gossipPort();
                int rpc = FreePorts.tcpPort();
                if (rpc == gossip) {
                    continue;
                }
                Path log = workDir.resolve(name + (attempt == 1 ? "" : "-" + attempt) + ".log");
                List<String> cmd = new ArrayList<>(List.of(SERF, "agent", "-node=" + name,
                        "-bind=" + LOOPBACK + ":" + gossip, "-rpc-addr=" + LOOPBACK + ":" + rpc,
                        "-log-level=" + logLevel));
                cmd.addAll(args);
                Process p;
                try {
                    Files.createDirectories(workDir);
                    p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start " + cmd, e);
                }
                SerfAgent agent = new SerfAgent(name, gossip, rpc, log, p, rpcAuth);
                // the RPC answers before a startup -join has finished: wait for its outcome as well
                boolean joins = args.stream().anyMatch(a -> a.startsWith("-join"));
                boolean up = Eventually.poll(startTimeout, () -> !p.isAlive()
                        || (agent.cli("members").ok() && (!joins || agent.log().contains("Join completed"))));
                if (up && p.isAlive()) {
                    return agent;
                }
                agent.stop();
                lastLog = agent.log();
                if (!lastLog.contains("address already in use")) {
                    throw new IllegalStateException("serf agent " + name + " did not come up ("
                            + (p.isAlive() ? "no RPC answer" : "exit " + p.exitValue()) + "): " + cmd + "\n" + lastLog);
                }
            }
            throw new IllegalStateException("serf agent " + name + " kept losing port races:\n" + lastLog);
        }
    }
}
