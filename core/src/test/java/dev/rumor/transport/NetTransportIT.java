package dev.rumor.transport;

import static dev.rumor.testing.LengthPrefixedFrames.frame;
import static dev.rumor.testing.LengthPrefixedFrames.payload;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.Eventually;
import dev.rumor.testing.LengthPrefixedFrames;
import dev.rumor.time.Clock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real sockets on 127.0.0.1, ephemeral ports only. */
class NetTransportIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private NetTransport transport(NetTransportConfig config) throws IOException {
        NetTransport t = NetTransport.bind(config);
        toClose.add(t);
        t.frameReader(new LengthPrefixedFrames(64 * 1024));
        return t;
    }

    private NetTransport transport() throws IOException {
        return transport(NetTransportConfig.bind(LOOPBACK, 0));
    }

    /** Replies "re:" + request payload, synchronously on the stream thread. */
    private static void echo(NetTransport t) {
        t.onStream((request, from, reply) -> reply.send(frame(("re:" + new String(payload(request), UTF_8)).getBytes(UTF_8))));
    }

    private record Result(byte[] reply, Throwable error, String thread) {
    }

    private static Result exchange(NetTransport t, InetSocketAddress to, byte[] request, boolean expectReply,
                                   Duration timeout) throws Exception {
        CompletableFuture<Result> f = new CompletableFuture<>();
        t.exchange(to, request, expectReply, timeout,
                (reply, error) -> f.complete(new Result(reply, error, Thread.currentThread().getName())));
        return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void ephemeralBindUsesOnePortForUdpAndTcp() throws Exception {
        NetTransport t = transport();
        int port = t.boundAddress().getPort();
        assertTrue(port > 0);
        assertEquals(new InetSocketAddress(LOOPBACK, port), t.advertiseAddress());

        // TCP: the port accepts connections.
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 2000);
        }
        // UDP: the same number is taken by the transport (a second bind fails) and delivers datagrams.
        assertThrows(IOException.class, () -> {
            try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
                d.getLocalPort();
            }
        });
        BlockingQueue<Packet> got = new ArrayBlockingQueue<>(4);
        t.onPacket(got::add);
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            d.send(new DatagramPacket(new byte[] {7}, 1, new InetSocketAddress(LOOPBACK, port)));
            Packet p = got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(p);
            assertArrayEquals(new byte[] {7}, p.buf());
            assertEquals(d.getLocalPort(), p.from().getPort());
        }
    }

    @Test
    void advertiseAddressCanBeOverridden() throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.9");
        NetTransport t = transport(NetTransportConfig.bind(LOOPBACK, 0).withAdvertise(other, 17999));
        assertEquals(new InetSocketAddress(other, 17999), t.advertiseAddress());
        NetTransport u = transport(NetTransportConfig.bind(LOOPBACK, 0).withAdvertise(other, 0));
        assertEquals(new InetSocketAddress(other, u.boundAddress().getPort()), u.advertiseAddress());
    }

    @Test
    void aTakenFixedPortFailsToBind() throws Exception {
        NetTransport t = transport();
        assertThrows(IOException.class, () -> NetTransport.bind(NetTransportConfig.bind(LOOPBACK, t.boundAddress().getPort())));
    }

    @Test
    void packetsFlowBothWaysWithTimestampsFromTheTransportClock() throws Exception {
        AtomicLong ticks = new AtomicLong(1_000);
        Clock fake = new Clock() {
            @Override
            public long nanoTime() {
                return ticks.incrementAndGet();
            }

            @Override
            public long currentTimeMillis() {
                return 0;
            }
        };
        NetTransport a = transport(NetTransportConfig.bind(LOOPBACK, 0).withClock(fake));
        NetTransport b = transport();
        BlockingQueue<Packet> atA = new ArrayBlockingQueue<>(8);
        BlockingQueue<Packet> atB = new ArrayBlockingQueue<>(8);
        a.onPacket(atA::add);
        b.onPacket(atB::add);

        long sent = a.sendPacket(b.advertiseAddress(), "hello b".getBytes(UTF_8));
        assertTrue(sent > 1_000, "send time comes from the transport clock");
        Packet p = atB.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(p);
        assertEquals("hello b", new String(p.buf(), UTF_8));
        assertEquals(a.advertiseAddress(), p.from());

        byte[] big = new byte[60_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        b.sendPacket(a.advertiseAddress(), big);
        Packet q = atA.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(q);
        assertArrayEquals(big, q.buf());
        assertEquals(b.advertiseAddress(), q.from());
        assertTrue(q.receivedNanos() > sent && q.receivedNanos() <= ticks.get(), "receive stamp from the fake clock");
        assertEquals(1, a.stats().packetsReceived());
        assertEquals(1, a.stats().packetsSent());
    }

    @Test
    void aThrowingPacketHandlerDoesNotStopReception() throws Exception {
        NetTransport a = transport();
        NetTransport b = transport();
        BlockingQueue<Packet> got = new ArrayBlockingQueue<>(8);
        b.onPacket(p -> {
            if (p.buf()[0] == 0) {
                throw new IllegalStateException("boom");
            }
            got.add(p);
        });
        a.sendPacket(b.advertiseAddress(), new byte[] {0});
        a.sendPacket(b.advertiseAddress(), new byte[] {1});
        Packet p = got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(p);
        assertEquals(1, p.buf()[0]);
        assertEquals(1, b.stats().packetErrors());
    }

    @Test
    void exchangeWithReply() throws Exception {
        NetTransport a = transport();
        NetTransport b = transport();
        BlockingQueue<InetSocketAddress> froms = new ArrayBlockingQueue<>(4);
        b.onStream((request, from, reply) -> {
            froms.add(from);
            reply.send(frame(("re:" + new String(payload(request), UTF_8)).getBytes(UTF_8)));
        });
        Result r = exchange(a, b.advertiseAddress(), frame("ping".getBytes(UTF_8)), true, Duration.ofSeconds(5));
        assertNull(r.error());
        assertEquals("re:ping", new String(payload(r.reply()), UTF_8));
        assertTrue(r.thread().startsWith("rumor-"), "callback on a transport thread: " + r.thread());
        assertEquals(LOOPBACK, froms.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).getAddress());
        assertEquals(1, a.stats().exchangesCompleted());
    }

    @Test
    void handlerMayAnswerLaterFromAnotherThread() throws Exception {
        NetTransport a = transport();
        NetTransport b = transport();
        ExecutorService protocolThread = Executors.newSingleThreadExecutor();
        toClose.add(protocolThread::shutdownNow);
        b.onStream((request, from, reply) -> protocolThread.execute(() -> reply.send(request)));
        Result r = exchange(a, b.advertiseAddress(), frame("later".getBytes(UTF_8)), true, Duration.ofSeconds(5));
        assertNull(r.error());
        assertEquals("later", new String(payload(r.reply()), UTF_8));
    }

    @Test
    void exchangeWithoutReplyDeliversTheRequest() throws Exception {
        NetTransport a = transport();
        NetTransport b = transport();
        BlockingQueue<byte[]> got = new ArrayBlockingQueue<>(4);
        b.onStream((request, from, reply) -> {
            got.add(request);
            reply.close();
        });
        Result r = exchange(a, b.advertiseAddress(), frame("fire and forget".getBytes(UTF_8)), false, Duration.ofSeconds(5));
        assertNull(r.error());
        assertNull(r.reply());
        byte[] req = got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(req);
        assertEquals("fire and forget", new String(payload(req), UTF_8));
    }

    @Test
    void expectingAReplyThatNeverComesFailsWithEof() throws Exception {
        NetTransport a = transport();
        NetTransport b = transport();
        b.onStream((request, from, reply) -> reply.close());
        Result r = exchange(a, b.advertiseAddress(), frame(new byte[] {1}), true, Duration.ofSeconds(5));
        assertInstanceOf(IOException.class, r.error());
        assertNull(r.reply());
    }

    @Test
    void silentPeerTimesOutWithinTheDeadline() throws Exception {
        NetTransport a = transport();
        try (ServerSocket silent = new ServerSocket(0, 50, LOOPBACK)) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException ignored) {
                    // closed
                }
            });
            acceptor.start();
            long start = System.nanoTime();
            Result r = exchange(a, new InetSocketAddress(LOOPBACK, silent.getLocalPort()), frame(new byte[] {1}), true,
                    Duration.ofMillis(300));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertInstanceOf(SocketTimeoutException.class, r.error());
            assertTrue(tookMillis >= 250 && tookMillis < 5000, "timed out after " + tookMillis + " ms");
            silent.close();
            acceptor.join(2000);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void connectionRefusedFailsTheExchange() throws Exception {
        NetTransport a = transport();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = s.getLocalPort();
        }
        Result r = exchange(a, new InetSocketAddress(LOOPBACK, closedPort), frame(new byte[] {1}), true, Duration.ofSeconds(5));
        assertInstanceOf(ConnectException.class, r.error());
        assertEquals(1, a.stats().exchangesFailed());
    }

    @Test
    void inboundStreamIsClosedWhenTheHandlerMissesTheDeadline() throws Exception {
        NetTransport b = transport(NetTransportConfig.bind(LOOPBACK, 0).withTcpTimeout(Duration.ofMillis(300)));
        b.onStream((request, from, reply) -> { });
        try (Socket s = new Socket(LOOPBACK, b.boundAddress().getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(frame(new byte[] {1, 2}));
            assertEquals(-1, s.getInputStream().read(), "closed without an answer");
        }
        Eventually.await(WAIT, () -> b.stats().streamErrors() == 1, () -> "stats " + b.stats());
    }

    @Test
    void garbageAndIdleConnectionsDoNotBreakTheTransport() throws Exception {
        NetTransport b = transport(NetTransportConfig.bind(LOOPBACK, 0).withTcpTimeout(Duration.ofMillis(500)));
        echo(b);
        int port = b.boundAddress().getPort();
        // An HTTP request: its first four bytes decode as a huge length, which the frame reader rejects.
        try (Socket s = new Socket(LOOPBACK, port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(UTF_8));
            assertEquals(-1, s.getInputStream().read());
        }
        // A truncated frame followed by a reset.
        try (Socket s = new Socket(LOOPBACK, port)) {
            s.setSoLinger(true, 0);
            s.getOutputStream().write(new byte[] {0, 0, 0, 100, 1, 2});
        }
        // A connection that sends nothing is closed after tcpTimeout.
        try (Socket idle = new Socket(LOOPBACK, port)) {
            idle.setSoTimeout(5000);
            assertEquals(-1, idle.getInputStream().read());
        }
        // A connection that closes at once.
        new Socket(LOOPBACK, port).close();
        // Garbage datagrams reach the handler untouched; the transport does not parse them.
        BlockingQueue<Packet> got = new ArrayBlockingQueue<>(4);
        b.onPacket(got::add);
        try (DatagramSocket d = new DatagramSocket(0, LOOPBACK)) {
            d.send(new DatagramPacket(new byte[] {(byte) 0xff, 0, 1}, 3, b.advertiseAddress()));
        }
        assertNotNull(got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));

        NetTransport a = transport();
        Result r = exchange(a, b.advertiseAddress(), frame("still alive".getBytes(UTF_8)), true, Duration.ofSeconds(5));
        assertNull(r.error());
        assertEquals("re:still alive", new String(payload(r.reply()), UTF_8));
        Eventually.await(WAIT, () -> b.stats().streamErrors() >= 3, () -> "stats " + b.stats());
    }

    @Test
    void inboundStreamsBeyondTheCapAreClosedAtOnce() throws Exception {
        NetTransport b = transport(NetTransportConfig.bind(LOOPBACK, 0).withStreamLimits(2, 2));
        CountDownLatch inHandler = new CountDownLatch(2);
        List<Transport.StreamReply> parked = new java.util.concurrent.CopyOnWriteArrayList<>();
        b.onStream((request, from, reply) -> {
            parked.add(reply);
            inHandler.countDown();
        });
        int port = b.boundAddress().getPort();
        List<Socket> busy = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket s = new Socket(LOOPBACK, port);
                busy.add(s);
                s.getOutputStream().write(frame(new byte[] {(byte) i}));
            }
            assertTrue(inHandler.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            try (Socket third = new Socket(LOOPBACK, port)) {
                third.setSoTimeout(5000);
                third.getOutputStream().write(frame(new byte[] {9}));
                assertEquals(-1, third.getInputStream().read(), "over the cap: closed without an answer");
            }
            assertEquals(1, b.stats().streamsRejected());
            // The parked streams still get their answers.
            for (Transport.StreamReply r : parked) {
                r.send(frame("late".getBytes(UTF_8)));
            }
            for (Socket s : busy) {
                s.setSoTimeout(5000);
                assertEquals("late", new String(payload(new LengthPrefixedFrames().readFrame(s.getInputStream())), UTF_8));
            }
        } finally {
            for (Socket s : busy) {
                s.close();
            }
        }
    }

    @Test
    void manyConcurrentExchangesEachCompleteExactlyOnce() throws Exception {
        NetTransport a = transport(NetTransportConfig.bind(LOOPBACK, 0).withStreamLimits(128, 16));
        NetTransport b = transport();
        ExecutorService protocolThread = Executors.newSingleThreadExecutor();
        toClose.add(protocolThread::shutdownNow);
        b.onStream((request, from, reply) -> protocolThread.execute(() -> reply.send(request)));
        int n = 300;
        CountDownLatch done = new CountDownLatch(n);
        Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
        Map<Integer, String> failures = new ConcurrentHashMap<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            calls.put(id, new AtomicInteger());
            a.exchange(b.advertiseAddress(), frame(("req-" + id).getBytes(UTF_8)), true, Duration.ofSeconds(20),
                    (reply, error) -> {
                        calls.get(id).incrementAndGet();
                        if (error != null) {
                            failures.put(id, error.toString());
                        } else if (!("req-" + id).equals(new String(payload(reply), UTF_8))) {
                            failures.put(id, "wrong reply " + new String(payload(reply), UTF_8));
                        }
                        done.countDown();
                    });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "all exchanges finished");
        assertEquals(Map.of(), failures);
        Thread.yield();
        calls.forEach((id, c) -> assertEquals(1, c.get(), "callbacks for exchange " + id));
        assertEquals(n, a.stats().exchangesCompleted());
    }

    @Test
    void closeIsPromptIdempotentAndFailsPendingExchanges() throws Exception {
        NetTransport a = transport();
        NetTransport b = transport();
        CountDownLatch received = new CountDownLatch(1);
        b.onStream((request, from, reply) -> received.countDown()); // never answers
        CompletableFuture<Throwable> pending = new CompletableFuture<>();
        a.exchange(b.advertiseAddress(), frame(new byte[] {1}), true, Duration.ofSeconds(30),
                (reply, error) -> pending.complete(error));
        assertTrue(received.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        int port = a.boundAddress().getPort();

        long start = System.nanoTime();
        a.close();
        a.close();
        assertTrue((System.nanoTime() - start) / 1_000_000 < 3000, "close is prompt");
        assertInstanceOf(IOException.class, pending.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        Result after = exchange(a, b.advertiseAddress(), frame(new byte[] {2}), true, Duration.ofSeconds(1));
        assertInstanceOf(IOException.class, after.error());
        assertThrows(IOException.class, () -> a.sendPacket(b.advertiseAddress(), new byte[] {1}));
        Eventually.await(WAIT, () -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.isAlive() && t.getName().matches("rumor-.*-" + port + "-\\d+")),
                () -> "threads of the closed transport are still alive");
        // Both ports are free again.
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(LOOPBACK, port));
        }
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
            assertEquals(port, d.getLocalPort());
        }
    }
}
