package dev.rumor.dist;

import dev.rumor.agent.config.ConfigException;
import dev.rumor.agent.config.ConfigLoader;
import dev.rumor.cli.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The workload the launcher runs once under {@code -XX:DumpLoadedClassList} to make {@code lib/rumor.jsa},
 * the class-data-sharing archive both the agent and the client commands map at start. Every class loaded
 * here is archived, so it does what a real start does (config parsing, the command tree, an agent on
 * loopback with the plugins, the RPC client against it) and nothing more: a larger archive would cost every
 * agent resident memory, since the JVM relocates the whole archive when it maps it. The launcher then
 * archives the listed classes with {@code -Xshare:dump}.
 *
 * <p>Not an API: the launcher's {@code RUMOR_CDS} logic is its only caller, with stdout and stderr discarded.
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    /** @param args the Rumor home (its {@code conf/} holds the sample configs) */
    public static void main(String[] args) throws IOException {
        Path home = Path.of(args.length > 0 ? args[0] : System.getProperty("rumor.home", "."));
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, "UTF-8");
        System.setOut(quiet);
        System.setErr(quiet);

        Path conf = home.resolve("conf");
        if (Files.isDirectory(conf)) {
            try {
                ConfigLoader.load(List.of(conf));
            } catch (ConfigException e) {
                // a broken sample only makes the archive smaller
            }
        }

        CommandLine cli = Main.commandLine();
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getUsageMessage();
        }
        Main.run("version");
        Main.run("members", "-rpc-addr=127.0.0.1:" + freePort());

        // An agent on loopback with the distribution's plugins, the client commands an operator runs most
        // against it, then `leave`, which ends the agent.
        String rpc = "-rpc-addr=127.0.0.1:" + freePort();
        Path data = Files.createTempDirectory("rumor-cds");
        Thread agent = new Thread(() -> Main.run("agent", "-node=cds-training", "-bind=127.0.0.1:" + freePortQuietly(),
                rpc, "-profile=local", "-log-level=info", "-data-dir=" + data), "cds-training-agent");
        agent.setDaemon(true);
        agent.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (agent.isAlive() && Main.run("members", rpc) != 0 && System.nanoTime() < deadline) {
            sleep(100);
        }
        Main.run("members", "-format=json", rpc);
        Main.run("info", rpc);
        Main.run("event", rpc, "cds-training", "payload");
        Main.run("query", rpc, "-timeout=1s", "cds-training");
        Main.run("tags", rpc, "-set", "cds=training");
        Main.run("leave", rpc);
        try {
            agent.join(TimeUnit.SECONDS.toMillis(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(data);
        // the agent's own non-daemon threads (if any outlive it) must not keep the JVM, and its dump, waiting
        System.exit(0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover empty temp directory is harmless
        }
    }

    private static int freePortQuietly() {
        try {
            return freePort();
        } catch (IOException e) {
            return 17946;
        }
    }

    /** A loopback port nothing listens on right now (TCP; UDP is checked by the agent's bind). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }
}
