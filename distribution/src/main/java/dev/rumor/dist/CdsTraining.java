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
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The workloads the launcher runs once under {@code -XX:DumpLoadedClassList} to make the class-data-sharing
 * archives: {@code lib/rumor.jsa}, which the client commands map at start, and {@code lib/rumor-agent.jsa},
 * which the agent maps. Every class loaded here is archived, so each workload does what a real start does
 * and nothing more: the JVM relocates the whole archive when it maps it, so every archived class costs
 * resident memory in every process that maps the archive, used or not. The launcher then archives the listed
 * classes with {@code -Xshare:dump}.
 *
 * <ul>
 *   <li>{@code client} (default): config parsing, the command tree, and the client commands an operator runs
 *       most, against an agent on loopback in the same JVM.</li>
 *   <li>{@code agent}: only the agent, started without config files, in a two-node cluster with a peer agent
 *       run by a second JVM ({@code peer}), which also runs the client commands against it. This archive
 *       holds neither the client commands' classes nor Jackson's databind, which only config files need; the
 *       launcher gives it to agents started without {@code -config-file}/{@code -config-dir}, and the
 *       client commands' archive (which has both) to the others.</li>
 * </ul>
 *
 * <p>Not an API: the launcher's {@code RUMOR_CDS} logic is its only caller, with stdout and stderr discarded.
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    /**
     * @param args the Rumor home (its {@code conf/} holds the sample configs), then the workload:
     *             {@code client} (default), {@code agent}, or {@code peer <gossip-addr> <rpc-addr>} (the second
     *             JVM of {@code agent})
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path home = Path.of(args.length > 0 ? args[0] : System.getProperty("rumor.home", "."));
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, "UTF-8");
        System.setOut(quiet);
        System.setErr(quiet);
        String workload = args.length > 1 ? args[1] : "client";
        if (workload.equals("agent")) {
            agent(home);
        } else if (workload.equals("peer") && args.length > 3) {
            peer(args[2], args[3]);
        } else {
            client(home);
        }
        // the agents' own non-daemon threads (if any outlive them) must not keep the JVM, and its dump, waiting
        System.exit(0);
    }

    private static void client(Path home) throws IOException {
        parseSampleConfigs(home);

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
        awaitAnswering(agent, rpc);
        runClientCommands(rpc);
        Main.run("leave", rpc);
        try {
            agent.join(TimeUnit.SECONDS.toMillis(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(data);
    }

    /** Config files in YAML and JSON, as an agent started with -config-file or -config-dir reads them. */
    private static void parseSampleConfigs(Path home) {
        Path conf = home.resolve("conf");
        for (Path sample : List.of(conf.resolve("rumor.yaml"), conf.resolve("examples").resolve("rumor.json"))) {
            if (Files.isRegularFile(sample)) {
                try {
                    ConfigLoader.load(List.of(sample));
                } catch (ConfigException e) {
                    // a broken sample only makes the archive smaller
                }
            }
        }
    }

    /**
     * The agent alone in this JVM, started without config files; a peer JVM joins it, runs the client commands,
     * then makes it leave.
     */
    private static void agent(Path home) throws IOException, InterruptedException {
        String gossip = "127.0.0.1:" + freePort();
        String rpc = "127.0.0.1:" + freePort();
        Path data = Files.createTempDirectory("rumor-cds");
        Thread agent = new Thread(() -> Main.run("agent", "-node=cds-training", "-bind=" + gossip,
                "-rpc-addr=" + rpc, "-profile=local", "-log-level=info", "-data-dir=" + data), "cds-training-agent");
        agent.setDaemon(true);
        agent.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (agent.isAlive() && !listening(rpc) && System.nanoTime() < deadline) {
            sleep(100);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process peer = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xlog:cds*=off", "-Drumor.home=" + home, "-cp", System.getProperty("java.class.path"),
                CdsTraining.class.getName(), home.toString(), "peer", gossip, rpc)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!peer.waitFor(60, TimeUnit.SECONDS)) {
            peer.destroyForcibly();
        }
        if (agent.isAlive()) {
            Main.run("leave", "-rpc-addr=" + rpc); // the peer did not get that far
        }
        agent.join(TimeUnit.SECONDS.toMillis(20));
        deleteTree(data);
    }

    /** Polls {@code members} until the agent answers on {@code rpc} (or died, or 30 s passed). */
    private static void awaitAnswering(Thread agent, String rpc) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (agent.isAlive() && Main.run("members", rpc) != 0 && System.nanoTime() < deadline) {
            sleep(100);
        }
    }

    /** The client commands an operator runs most, against the agent at {@code rpc}. */
    private static void runClientCommands(String rpc) {
        Main.run("members", "-format=json", rpc);
        Main.run("info", rpc);
        Main.run("event", rpc, "cds-training", "payload");
        Main.run("query", rpc, "-timeout=1s", "cds-training");
        Main.run("tags", rpc, "-set", "cds=training");
    }

    /** The trained agent's peer: joins it, so it runs the protocol with a member, and drives it over RPC. */
    private static void peer(String trainedGossip, String trainedRpc) throws IOException, InterruptedException {
        String rpc = "-rpc-addr=" + trainedRpc;
        String ownRpc = "-rpc-addr=127.0.0.1:" + freePort();
        Path data = Files.createTempDirectory("rumor-cds-peer");
        Thread agent = new Thread(() -> Main.run("agent", "-node=cds-training-peer",
                "-bind=127.0.0.1:" + freePortQuietly(), ownRpc, "-join=" + trainedGossip, "-profile=local",
                "-data-dir=" + data), "cds-training-peer");
        agent.setDaemon(true);
        agent.start();
        awaitAnswering(agent, ownRpc);
        sleep(3000); // a few gossip, probe and push/pull rounds between the two
        Main.run("members", rpc);
        runClientCommands(rpc);
        Main.run("leave", ownRpc);
        agent.join(TimeUnit.SECONDS.toMillis(20));
        Main.run("leave", rpc);
        deleteTree(data);
    }

    private static boolean listening(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1))), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
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
