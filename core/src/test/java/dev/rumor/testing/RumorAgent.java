package dev.rumor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code rumor agent} in its own JVM, started exactly as an operator starts it ({@code dev.rumor.cli.Main
 * agent} with serf's flags), for tests that drive it from outside: the real {@code serf} CLI, signals, the
 * process exit code. It binds gossip and RPC to port 0 on loopback and learns the ports from the start-up
 * banner, so there is no port race. Its console goes to {@code <workDir>/<node>.log}; its home (plugins/,
 * data/) is {@code <workDir>/<node>-home}.
 *
 * <p>Every started agent must be closed by the test; {@link #close()} always ends the process.
 *
 * <p>Thread contract: methods may be called from any thread.
 */
public final class RumorAgent implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern BIND = Pattern.compile("Bind addr: '([^']+)'");
    private static final Pattern RPC = Pattern.compile("RPC addr: '([^']+)'");

    private final String name;
    private final String gossipAddress;
    private final String rpcAddress;
    private final Path logFile;
    private final Process process;

    private RumorAgent(String name, String gossipAddress, String rpcAddress, Path logFile, Process process) {
        this.name = name;
        this.gossipAddress = gossipAddress;
        this.rpcAddress = rpcAddress;
        this.logFile = logFile;
        this.process = process;
    }

    public static Builder builder(String nodeName, Path workDir) {
        return new Builder(nodeName, workDir);
    }

    public String name() {
        return name;
    }

    /** {@code 127.0.0.1:PORT}, as serf prints and accepts it. */
    public String gossipAddress() {
        return gossipAddress;
    }

    public String rpcAddress() {
        return rpcAddress;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<cannot read " + logFile + ": " + e + ">";
        }
    }

    /** Runs the real {@code serf ARGS[0] -rpc-addr=THIS ARGS[1..]} against this agent. */
    public CliResult cli(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(SerfAgent.SERF);
        cmd.add(args[0]);
        cmd.add("-rpc-addr=" + rpcAddress);
        cmd.addAll(List.of(args).subList(1, args.length));
        return SerfAgent.run(cmd, SerfAgent.CLI_TIMEOUT);
    }

    /** Sends a signal by name (HUP, INT, TERM) with {@code kill}. */
    public void signal(String sig) {
        CliResult r = SerfAgent.run(List.of("kill", "-s", sig, Long.toString(process.pid())), Duration.ofSeconds(5));
        if (!r.ok()) {
            throw new IllegalStateException("kill -s " + sig + " failed: " + r.output());
        }
    }

    /** The exit code once the process has ended within {@code timeout}, else empty. */
    public OptionalInt awaitExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return OptionalInt.of(process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OptionalInt.empty();
    }

    /** SIGTERM (no leave by default, as serf), then SIGKILL if it lingers. Safe in any state. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (awaitExit(STOP_TIMEOUT).isEmpty()) {
                process.destroyForcibly();
                awaitExit(STOP_TIMEOUT);
            }
        }
    }

    @Override
    public String toString() {
        return "rumor agent " + name + " gossip " + gossipAddress + " rpc " + rpcAddress;
    }

    /** The test JVM's class path (surefire/failsafe may hide it behind a manifest-only jar). */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
    }

    /** Flags of one agent; {@link #start()} adds -node, -bind, -rpc-addr and -log-level. */
    public static final class Builder {
        private final String name;
        private final Path workDir;
        private final List<String> args = new ArrayList<>();
        private String logLevel = "debug";
        private Duration startTimeout = Duration.ofSeconds(30);

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

        public Builder join(String address) {
            args.add("-join=" + address);
            return this;
        }

        public Builder logLevel(String level) {
            this.logLevel = level;
            return this;
        }

        /** Any other {@code rumor agent} flag, verbatim. */
        public Builder arg(String... extra) {
            args.addAll(List.of(extra));
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Starts the JVM and waits for the banner (and the start-up join, if any).
         *
         * @throws IllegalStateException with the console output if the agent exits or stays silent
         */
        public RumorAgent start() {
            Path home = workDir.resolve(name + "-home");
            Path log = workDir.resolve(name + ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Xss512k", "-Drumor.home=" + home, "-cp", classPath(), "dev.rumor.cli.Main", "agent",
                    "-node=" + name, "-bind=127.0.0.1:0", "-rpc-addr=127.0.0.1:0", "-log-level=" + logLevel));
            cmd.addAll(args);
            Process p;
            try {
                Files.createDirectories(home);
                p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + cmd, e);
            }
            boolean up = Eventually.poll(startTimeout, () -> !p.isAlive() || read(log).contains("==> Log data will now stream in"));
            String out = read(log);
            Matcher bind = BIND.matcher(out);
            Matcher rpc = RPC.matcher(out);
            if (!up || !p.isAlive() || !bind.find() || !rpc.find()) {
                p.destroyForcibly();
                throw new IllegalStateException("rumor agent " + name + " did not come up (" + (p.isAlive() ? "no banner"
                        : "exit " + p.exitValue()) + "): " + cmd + "\n" + out);
            }
            return new RumorAgent(name, bind.group(1), rpc.group(1), log, p);
        }

        private static String read(Path f) {
            try {
                return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                return "";
            }
        }
    }
}
