package dev.rumor.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rumor.agent.config.AgentConfig;
import dev.rumor.agent.config.ConfigMerge;
import dev.rumor.rpc.IpcCodec;
import dev.rumor.rpc.QueryRequest;
import dev.rumor.rpc.RpcClient;
import dev.rumor.rpc.RpcMember;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.RumorAgent;
import dev.rumor.testing.SerfAgent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * RPC robustness (issue 4, "what must be shown" 5): garbage bytes, a client that never reads, clients that
 * vanish mid-stream, 100 concurrent clients. After each, the agent keeps answering (a fresh client still
 * gets {@code members} quickly), its RPC sessions are cleaned up, and its membership is unaffected: the serf
 * peer still sees it alive and never saw it fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RpcRobustnessIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NAME = "rumorrb";

    private SerfAgent peer;
    private Agent agent;
    private String rpc;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        peer = SerfAgent.builder("peer", tmp).logLevel("info").start();
        AgentConfig layer = new ObjectMapper().convertValue(Map.of("node_name", NAME, "bind", "127.0.0.1:0",
                "rpc_addr", "127.0.0.1:0", "plugins_dir", tmp.resolve("plugins").toString(),
                "data_dir", tmp.resolve("data").toString()), AgentConfig.class);
        agent = Agent.start(AgentSettings.from(ConfigMerge.merge(AgentConfig.defaults(), layer), tmp));
        rpc = hostPort(agent.rpcAddress());
        agent.join(List.of(peer.gossipAddress()), false);
        Eventually.await(WAIT, () -> "alive".equals(peer.statusOf(NAME)), () -> "peer sees " + peer.members());
    }

    @AfterEach
    void closeSockets() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        sockets.clear();
    }

    @AfterAll
    void stop() {
        if (agent != null) {
            agent.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private Socket raw() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(agent.rpcAddress(), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static byte[] handshake(long seq) throws IOException {
        return IpcCodec.encode(Map.of("Command", "handshake", "Seq", seq), Map.of("Version", 1));
    }

    /** Reads until the agent closes the connection; fails if it does not within the socket timeout. */
    private static void assertClosedByAgent(Socket s, String what) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // drain whatever the agent answered before closing (e.g. "Handshake required")
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the agent kept the connection open after " + what);
        } catch (SocketException e) {
            // reset by the agent: closed as well
        }
    }

    /** The agent answers a fresh client at once, lists itself and its peer alive, and the peer never saw it fail. */
    private void assertHealthy() throws Exception {
        long t0 = System.nanoTime();
        try (RpcClient c = RpcClient.connect(rpc, "", Duration.ofSeconds(5))) {
            Map<String, String> status = c.members().stream().collect(Collectors.toMap(RpcMember::name, RpcMember::status));
            assertEquals("alive", status.get(NAME), status.toString());
            assertEquals("alive", status.get("peer"), status.toString());
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(millis < 3000, "a fresh client waited " + millis + " ms for members");
        assertEquals("alive", peer.statusOf(NAME));
        assertFalse(peer.log().contains("EventMemberFailed: " + NAME), peer.log());
    }

    /** Sessions of clients that went away are removed (only {@code expected} are left). */
    private void assertSessions(int expected) {
        Eventually.await(WAIT, () -> agent.rpcServer().clients() == expected,
                () -> "RPC sessions still open: " + agent.rpcServer().clients());
    }

    // ------------------------------------------------------------------ garbage

    @Test
    void garbageBytesCloseOnlyThatConnection() throws Exception {
        byte[] random = new byte[8192];
        new Random(42).nextBytes(random);
        List<byte[]> attacks = List.of(
                random,
                HexFormat.of().parseHex("c1c1c1c1"),                                  // never-used msgpack byte
                HexFormat.of().parseHex("05"),                                        // a header that is not a map
                HexFormat.of().parseHex("81a7436f6d6d616e64db7fffffff"),              // {"Command": str32 of 2 GiB}
                HexFormat.of().parseHex("dd7fffffff"),                                // array32 of 2^31 elements
                HexFormat.of().parseHex("df7fffffff"),                                // map32 of 2^31 entries
                HexFormat.of().parseHex("91".repeat(5000)),                           // nesting 5000 deep
                IpcCodec.encode(Map.of("Command", "members", "Seq", 1)),              // no handshake
                IpcCodec.encode(Map.of("Command", 7, "Seq", "x")));                   // wrong types
        for (byte[] attack : attacks) {
            Socket s = raw();
            s.getOutputStream().write(attack);
            s.getOutputStream().flush();
            assertClosedByAgent(s, "garbage " + HexFormat.of().formatHex(attack, 0, Math.min(16, attack.length)));
        }
        // after a valid handshake, garbage in a body closes the connection as well
        Socket s = raw();
        OutputStream out = s.getOutputStream();
        out.write(handshake(1));
        out.write(IpcCodec.encode(Map.of("Command", "event", "Seq", 2)));
        out.write(random, 0, 64);
        out.flush();
        assertClosedByAgent(s, "a garbage body");
        // a half-sent request that stalls only holds its own connection
        Socket stalled = raw();
        stalled.getOutputStream().write(HexFormat.of().parseHex("82a7436f6d6d616e64"));
        stalled.getOutputStream().flush();
        assertHealthy();
        stalled.close();
        assertSessions(0);
    }

    // ------------------------------------------------------------------ a client that never reads

    @Test
    void aClientThatNeverReadsOnlyLosesItsOwnRecords() throws Exception {
        Socket slow = new Socket();
        sockets.add(slow);
        slow.setReceiveBufferSize(4096);
        slow.connect(agent.rpcAddress(), 5000);
        OutputStream out = slow.getOutputStream();
        out.write(handshake(1));
        out.write(IpcCodec.encode(Map.of("Command", "stream", "Seq", 2), Map.of("Type", "*")));
        out.flush();
        // a well-behaved client streams the same events at the same time
        AtomicReference<String> lastSeen = new AtomicReference<>("");
        AtomicInteger received = new AtomicInteger();
        try (RpcClient good = RpcClient.connect(rpc, "", Duration.ofSeconds(10))) {
            good.stream("user", r -> {
                received.incrementAndGet();
                lastSeen.set(IpcCodec.str(r, "Name"));
            });
            Eventually.await(WAIT, () -> agent.rpcServer().clients() == 2, () -> "clients: " + agent.rpcServer().clients());
            long droppedBefore = agent.rpcServer().droppedRecords();
            byte[] payload = "x".repeat(450).getBytes(StandardCharsets.UTF_8);
            int sent = 0;
            while (agent.rpcServer().droppedRecords() == droppedBefore && sent < 20_000) {
                for (int i = 0; i < 200; i++, sent++) {
                    agent.cluster().userEvent("flood", payload, false).get(5, TimeUnit.SECONDS);
                }
                assertHealthy(); // answered while the slow client's buffer is full
            }
            assertTrue(agent.rpcServer().droppedRecords() > droppedBefore, "no record was ever dropped after " + sent + " events");
            // the good client still gets new events once the flood is over
            agent.cluster().userEvent("after-flood", null, false).get(5, TimeUnit.SECONDS);
            Eventually.await(WAIT, () -> "after-flood".equals(lastSeen.get()), () -> "good client last saw " + lastSeen.get()
                    + " after " + received.get() + " records");
            // pipelined requests whose answers are never read: the agent gives up on that client, not on others
            Socket greedy = new Socket();
            sockets.add(greedy);
            greedy.setReceiveBufferSize(4096);
            greedy.connect(agent.rpcAddress(), 5000);
            greedy.setSoTimeout(10_000);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream g = greedy.getOutputStream();
                    g.write(handshake(1));
                    for (int seq = 2; seq < 20_000; seq++) {
                        g.write(IpcCodec.encode(Map.of("Command", "stats", "Seq", seq)));
                    }
                    g.flush();
                } catch (IOException expected) {
                    // the agent closed the connection: that is the point
                }
            });
            Eventually.await(WAIT, () -> greedy.isClosed() || writer.isDone(), () -> "greedy client still writing");
            writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertHealthy();
            assertTrue(good.members().stream().anyMatch(m -> m.name().equals("peer")), "the good client's connection still works");
            slow.close();
            greedy.close();
        }
        assertSessions(0);
        assertHealthy();
    }

    // ------------------------------------------------------------------ clients that vanish

    @Test
    void clientsThatDisconnectMidStreamAreCleanedUp() throws Exception {
        ExecutorService flood = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Void> events = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 300; i++) {
                    agent.cluster().userEvent("mid", new byte[100], false).join();
                }
            }, flood);
            for (int round = 0; round < 10; round++) {
                Socket s = raw();
                OutputStream out = s.getOutputStream();
                out.write(handshake(1));
                out.write(IpcCodec.encode(Map.of("Command", "stream", "Seq", 2), Map.of("Type", "*")));
                out.write(IpcCodec.encode(Map.of("Command", "monitor", "Seq", 3), Map.of("LogLevel", "debug")));
                out.flush();
                s.getInputStream().read(new byte[64]); // at least the first answer arrived
                if (round % 2 == 0) {
                    s.setSoLinger(true, 0); // abortive close: RST while records are in flight
                }
                s.close();
            }
            // a client that starts a query and leaves before it is done
            RpcClient quitter = RpcClient.connect(rpc, "", Duration.ofSeconds(10));
            quitter.query(new QueryRequest(List.of(), Map.of(), true, 0, Duration.ofSeconds(3), "leaving", null), r -> { });
            quitter.close();
            events.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            flood.shutdownNow();
        }
        assertSessions(0);
        assertHealthy();
    }

    // ------------------------------------------------------------------ a monitor that never reads

    /**
     * A {@code monitor} client that stops reading, on an agent process whose log is the real console log:
     * its lines are dropped (and the drop is logged) while the agent keeps logging, answering and gossiping.
     */
    @Test
    void aMonitorThatNeverReads(@TempDir Path tmp) throws Exception {
        try (RumorAgent proc = RumorAgent.builder("rumormon", tmp).logLevel("info").join(peer.gossipAddress()).start()) {
            Socket slow = new Socket();
            sockets.add(slow);
            slow.setReceiveBufferSize(4096);
            slow.connect(RpcClientAddress.parse(proc.rpcAddress()), 5000);
            OutputStream out = slow.getOutputStream();
            out.write(handshake(1));
            out.write(IpcCodec.encode(Map.of("Command", "monitor", "Seq", 2), Map.of("LogLevel", "debug")));
            out.flush();
            // log volume: a join through 100 closed ports logs the address list, then a line per failure
            List<String> closed = java.util.Collections.nCopies(100, "127.0.0.1:1");
            try (RpcClient c = RpcClient.connect(proc.rpcAddress(), "", Duration.ofSeconds(30))) {
                for (int i = 0; i < 500 && !proc.log().contains("Dropping"); i++) {
                    try {
                        c.join(closed, false);
                    } catch (dev.rumor.rpc.RpcException expected) {
                        // "100 errors occurred: ..."
                    }
                    if (i % 50 == 0) {
                        assertEquals(3, c.members().size());
                    }
                }
            }
            assertTrue(proc.isRunning(), proc.log());
            assertTrue(proc.log().contains("Dropping"), () -> "no drop was logged:\n" + proc.log());
            assertFalse(proc.log().contains("StackOverflowError"), proc::log);
            try (RpcClient c = RpcClient.connect(proc.rpcAddress(), "", Duration.ofSeconds(5))) {
                assertEquals(3, c.members().size());
            }
            assertEquals("alive", peer.statusOf("rumormon"));
            assertFalse(peer.log().contains("EventMemberFailed: rumormon"), peer.log());
            // gossip still flows from the agent: a tag change reaches the peer
            assertTrue(proc.cli("tags", "-set", "still=here").ok());
            Eventually.await(WAIT, () -> "here".equals(peer.member("rumormon").orElseThrow().tags().get("still")),
                    () -> "peer sees " + peer.members());
        }
    }

    /** "127.0.0.1:PORT" to a socket address. */
    private static final class RpcClientAddress {
        static InetSocketAddress parse(String hostPort) {
            int c = hostPort.lastIndexOf(':');
            return new InetSocketAddress(hostPort.substring(0, c), Integer.parseInt(hostPort.substring(c + 1)));
        }
    }

    // ------------------------------------------------------------------ many clients

    @Test
    void aHundredConcurrentClients() throws Exception {
        int n = 100;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<CompletableFuture<List<RpcMember>>> results = new ArrayList<>();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            for (int i = 0; i < n; i++) {
                int id = i;
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        try (RpcClient c = RpcClient.connect(rpc, "", Duration.ofSeconds(20))) {
                            List<RpcMember> all = c.members();
                            List<RpcMember> filtered = c.membersFiltered(Map.of(), "alive", id % 2 == 0 ? NAME : "");
                            if (filtered.isEmpty()) {
                                throw new AssertionError("filtered members empty");
                            }
                            c.stats();
                            return all;
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException("client " + id + ": " + e, e);
                    }
                }, pool));
            }
            go.countDown();
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        for (CompletableFuture<List<RpcMember>> r : results) {
            assertTrue(r.get().stream().map(RpcMember::name).toList().containsAll(List.of(NAME, "peer")), r.get().toString());
        }
        assertSessions(0);
        assertHealthy();
    }
}
