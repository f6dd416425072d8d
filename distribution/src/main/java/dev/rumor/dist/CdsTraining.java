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
import picocli.CommandLine;

/**
 * The workload the launcher runs once under {@code -XX:ArchiveClassesAtExit} to make {@code lib/rumor.jsa},
 * the class-data-sharing archive both the agent and the client commands map at start. Every class loaded
 * here is archived, so it touches what a real start touches (config parsing, the command tree, the RPC
 * client) and nothing more: a larger archive would cost every agent resident memory, since the JVM
 * relocates the whole archive when it maps it.
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
        Main.run("members", "-rpc-addr=127.0.0.1:" + closedPort());
        Main.run("members", "-format=json", "-rpc-addr=127.0.0.1:" + closedPort());
    }

    /** A loopback port nothing listens on right now, so the client fails fast after loading its classes. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }
}
