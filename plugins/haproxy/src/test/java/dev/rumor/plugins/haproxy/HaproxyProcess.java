package dev.rumor.plugins.haproxy;

import dev.rumor.testing.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy in master-worker mode, everything under one temp dir: config, admin socket (level admin),
 * master socket, pid file, log. One frontend on a free loopback port and one empty, roundrobin backend
 * "web" with an (empty) managed block.
 */
final class HaproxyProcess implements AutoCloseable {
    static final String BINARY = "/usr/sbin/haproxy";

    final Path dir;
    final Path config;
    final Path adminSocket;
    final Path masterSocket;
    final Path operatorSocket;
    final Path pidFile;
    final int frontendPort;
    final int cliPort;
    private Process process;

    HaproxyProcess(Path dir) throws IOException {
        this.dir = dir;
        this.config = dir.resolve("haproxy.cfg");
        this.adminSocket = dir.resolve("admin.sock");
        this.masterSocket = dir.resolve("master.sock");
        this.operatorSocket = dir.resolve("operator.sock");
        this.pidFile = dir.resolve("haproxy.pid");
        this.frontendPort = freePort();
        this.cliPort = freePort();
        Files.writeString(config, String.join("\n",
                "global",
                "    master-worker",
                "    stats socket " + adminSocket + " mode 600 level admin expose-fd listeners",
                "    stats socket ipv4@127.0.0.1:" + cliPort + " level admin",
                "    stats socket " + operatorSocket + " mode 600 level operator",
                "    stats timeout 30s",
                "    pidfile " + pidFile,
                "",
                "defaults",
                "    mode http",
                "    timeout connect 2s",
                "    timeout client 30s",
                "    timeout server 30s",
                "    retries 2",
                "    option redispatch",
                "",
                "frontend fe",
                "    bind 127.0.0.1:" + frontendPort,
                "    default_backend web",
                "",
                "backend web",
                "    balance roundrobin",
                "    # BEGIN rumor-managed backend web",
                "    # END rumor-managed",
                ""), StandardCharsets.UTF_8);
    }

    /** Starts HAProxy and waits until the admin socket answers. */
    HaproxyProcess start() throws Exception {
        process = new ProcessBuilder(BINARY, "-W", "-db", "-f", config.toString(), "-S", masterSocket.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile())
                .start();
        Eventually.await(Duration.ofSeconds(15), "haproxy admin socket answers", () -> {
            if (!process.isAlive()) {
                throw new AssertionError("haproxy exited: " + Files.readString(dir.resolve("haproxy.log")));
            }
            return cli("show version").contains("2.");
        });
        return this;
    }

    String cli(String command) throws IOException {
        return CliExchange.exchange(new RuntimeEndpoint(java.net.UnixDomainSocketAddress.of(adminSocket),
                adminSocket.toString()), command, Duration.ofSeconds(5));
    }

    String masterCli(String command) throws IOException {
        return CliExchange.exchange(new RuntimeEndpoint(java.net.UnixDomainSocketAddress.of(masterSocket),
                masterSocket.toString()), command, Duration.ofSeconds(5));
    }

    /** Names of the servers in backend web (empty set when the socket doesn't answer). */
    Set<String> servers() {
        try {
            Set<String> out = new TreeSet<>();
            for (ServerState s : ServerState.parse("show servers state web", cli("show servers state web"))) {
                out.add(s.name());
            }
            return out;
        } catch (IOException e) {
            return Set.of("<" + e.getMessage() + ">");
        }
    }

    List<ServerState> serverStates() throws IOException {
        return ServerState.parse("show servers state web", cli("show servers state web"));
    }

    /** Master-side reload counter from "show proc" (the "master ... N [failed: F]" line). */
    int reloads() throws IOException {
        for (String line : masterCli("show proc").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[1].equals("master")) {
                return Integer.parseInt(f[2]);
            }
        }
        throw new IOException("no master line in show proc");
    }

    /** Number of worker processes the master lists (2 while an old worker is still finishing). */
    int workers() throws IOException {
        int n = 0;
        for (String line : masterCli("show proc").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[1].equals("worker")) {
                n++;
            }
        }
        return n;
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("haproxy.log"));
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy(); // SIGTERM: the master stops its workers
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /**
     * A free loopback port for HAProxy to bind, from below the ephemeral range: a port found by binding port 0
     * is ephemeral, and an outgoing connection (HAProxy's own to the web servers, a test's HTTP client) took
     * one before HAProxy bound it ("cannot bind socket (Address already in use)", seen once in 34 runs).
     */
    static int freePort() {
        return FreePorts.belowEphemeralRange(false);
    }
}
