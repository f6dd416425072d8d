package dev.rumor.transport;

import dev.rumor.time.Clock;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Transport}: UDP datagrams and TCP streams on one port, as memberlist's
 * {@code NetTransport} (serf peers send both to the same gossip port, so the numbers must match).
 *
 * <p>Threads, all daemon and owned by this object:
 * <ul>
 *   <li>one UDP receive thread: receives into a 65 536-byte buffer (memberlist's {@code udpPacketBufSize}; the
 *       sender budget is 1400 but a peer may send up to the IP limit), copies the datagram, timestamps it on the
 *       configured {@link Clock} right after {@code receive} returns and calls the packet handler <em>on this
 *       thread</em> — so the handler must only enqueue;</li>
 *   <li>one TCP accept thread handing each connection to a bounded pool of at most
 *       {@link NetTransportConfig#maxInboundStreams()} threads; a connection beyond that cap is closed at once
 *       (memberlist refuses push/pulls beyond 128 in flight the same way). Each connection reads one message
 *       with the installed {@link FrameReader}, calls the stream handler on the pool thread, waits for the
 *       handler's answer, writes it and closes — the whole within {@code tcpTimeout};</li>
 *   <li>a bounded pool for outbound {@link #exchange exchanges} and one timer thread enforcing deadlines by
 *       closing the socket, which is what unblocks a Java socket read.</li>
 * </ul>
 *
 * <p>Errors (malformed frames, resets, handler exceptions, timeouts) are logged at debug level and counted in
 * {@link #stats()}; they never end a thread. {@link #close()} stops everything promptly and may be called
 * more than once.
 */
public final class NetTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(NetTransport.class);

    /** memberlist {@code udpPacketBufSize}: the largest datagram we accept. */
    static final int UDP_PACKET_BUF_SIZE = 65536;
    /** memberlist {@code udpRecvBufSize}: ask the kernel for room to absorb gossip bursts (best effort). */
    static final int UDP_RECV_BUF_SIZE = 2 * 1024 * 1024;
    /** How often an ephemeral bind is retried when the UDP half of the chosen port is already taken. */
    static final int BIND_ATTEMPTS = 10;
    private static final long MAX_BACKOFF_MILLIS = 1000;

    private final NetTransportConfig config;
    private final Clock clock;
    private final ServerSocket tcp;
    private final DatagramSocket udp;
    private final InetSocketAddress advertise;
    private final Thread udpThread;
    private final Thread acceptThread;
    private final ThreadPoolExecutor inbound;
    private final ThreadPoolExecutor outbound;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<Closeable> openSockets = ConcurrentHashMap.newKeySet();
    private final Set<Exchange> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Counters counters = new Counters();

    private volatile PacketHandler packetHandler;
    private volatile StreamHandler streamHandler;
    private volatile FrameReader frameReader;

    private NetTransport(NetTransportConfig config, ServerSocket tcp, DatagramSocket udp, InetSocketAddress advertise) {
        this.config = config;
        this.clock = config.clock();
        this.tcp = tcp;
        this.udp = udp;
        this.advertise = advertise;
        int port = tcp.getLocalPort();
        this.timer = new ScheduledThreadPoolExecutor(1, threads("rumor-net-timer-" + port));
        timer.setRemoveOnCancelPolicy(true);
        this.inbound = new ThreadPoolExecutor(0, config.maxInboundStreams(), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), threads("rumor-stream-in-" + port));
        this.outbound = new ThreadPoolExecutor(config.maxOutboundStreams(), config.maxOutboundStreams(), 30,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads("rumor-stream-out-" + port));
        outbound.allowCoreThreadTimeOut(true);
        this.udpThread = threads("rumor-udp-recv-" + port).newThread(this::receivePackets);
        this.acceptThread = threads("rumor-tcp-accept-" + port).newThread(this::acceptStreams);
    }

    /**
     * Binds TCP and UDP and starts the threads. With port 0 the TCP listener picks the port and UDP binds the
     * same number; if that UDP port is taken, both are released and another port is tried.
     *
     * @throws IOException if the port cannot be bound (or no ephemeral port worked), or the advertise address
     *                     cannot be derived from a wildcard bind
     */
    public static NetTransport bind(NetTransportConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        InetAddress advertiseIp = config.advertiseAddress() != null
                ? config.advertiseAddress() : AdvertiseAddress.choose(config.bindAddress());
        int attempts = config.bindPort() == 0 ? BIND_ATTEMPTS : 1;
        IOException last = null;
        for (int i = 0; i < attempts; i++) {
            ServerSocket tcp = new ServerSocket();
            DatagramSocket udp = null;
            try {
                tcp.setReuseAddress(true);
                tcp.bind(new InetSocketAddress(config.bindAddress(), config.bindPort()), 128);
                int port = tcp.getLocalPort();
                udp = new DatagramSocket(null);
                // Without SO_REUSEADDR a second UDP bind of the port fails, which is how we detect a taken port.
                udp.setReuseAddress(false);
                udp.bind(new InetSocketAddress(config.bindAddress(), port));
                setReceiveBuffer(udp);
                int advertisePort = config.advertisePort() != 0 ? config.advertisePort() : port;
                NetTransport t = new NetTransport(config, tcp, udp, new InetSocketAddress(advertiseIp, advertisePort));
                t.start();
                return t;
            } catch (IOException | RuntimeException e) {
                closeQuietly(tcp);
                closeQuietly(udp);
                if (!(e instanceof BindException) || i + 1 == attempts) {
                    throw e instanceof IOException io ? io : new IOException(e);
                }
                last = (IOException) e;
                LOG.debug("UDP half of ephemeral port taken, retrying: {}", e.toString());
            }
        }
        throw last;
    }

    private static void setReceiveBuffer(DatagramSocket udp) {
        try {
            udp.setReceiveBufferSize(UDP_RECV_BUF_SIZE);
        } catch (IOException e) {
            LOG.warn("Could not enlarge the UDP receive buffer: {}", e.toString());
        }
    }

    private void start() {
        udpThread.start();
        acceptThread.start();
        LOG.debug("Listening on {} (UDP+TCP), advertising {}", tcp.getLocalSocketAddress(), advertise);
    }

    /** The address both listeners are bound to; its port is the resolved one when the config asked for 0. */
    public InetSocketAddress boundAddress() {
        return new InetSocketAddress(tcp.getInetAddress(), tcp.getLocalPort());
    }

    @Override
    public InetSocketAddress advertiseAddress() {
        return advertise;
    }

    @Override
    public long sendPacket(InetSocketAddress to, byte[] packet) throws IOException {
        udp.send(new DatagramPacket(packet, packet.length, to));
        counters.packetsSent.incrementAndGet();
        return clock.nanoTime();
    }

    @Override
    public void onPacket(PacketHandler handler) {
        this.packetHandler = handler;
    }

    @Override
    public void onStream(StreamHandler handler) {
        this.streamHandler = handler;
    }

    @Override
    public void frameReader(FrameReader reader) {
        this.frameReader = reader;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The callback runs on a transport thread (the outbound pool, or the timer thread when the deadline
     * passes) and must not block. Exchanges started after {@link #close()}, or still pending when it is
     * called, fail with an {@link IOException} on the calling thread.
     */
    @Override
    public void exchange(InetSocketAddress to, byte[] request, boolean expectReply, Duration timeout,
                         ExchangeCallback callback) {
        Exchange x = new Exchange(to, callback);
        pending.add(x);
        if (closed.get()) {
            x.fail(new IOException("transport closed"));
            return;
        }
        try {
            x.deadline = timer.schedule(
                    () -> x.fail(new SocketTimeoutException("no complete exchange with " + to + " within " + timeout)),
                    Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
            outbound.execute(() -> runExchange(x, request, expectReply, timeout));
        } catch (RejectedExecutionException e) {
            x.fail(new IOException("transport closed"));
        }
    }

    private void runExchange(Exchange x, byte[] request, boolean expectReply, Duration timeout) {
        Socket s = new Socket();
        if (!x.attach(s)) {
            return;
        }
        try {
            int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
            s.setSoTimeout(millis);
            s.setTcpNoDelay(true);
            s.connect(x.to, millis);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            byte[] reply = null;
            if (expectReply) {
                FrameReader reader = frameReader;
                if (reader == null) {
                    throw new IllegalStateException("no FrameReader installed");
                }
                reply = reader.readFrame(new BufferedInputStream(s.getInputStream()));
                if (reply == null) {
                    throw new EOFException("stream closed by " + x.to + " before a reply arrived");
                }
            }
            x.complete(reply);
        } catch (IOException | RuntimeException e) {
            x.fail(e);
        }
    }

    private void receivePackets() {
        byte[] buf = new byte[UDP_PACKET_BUF_SIZE];
        DatagramPacket dp = new DatagramPacket(buf, buf.length);
        long backoff = 0;
        while (!closed.get()) {
            dp.setLength(buf.length);
            try {
                udp.receive(dp);
                backoff = 0;
            } catch (IOException e) {
                if (closed.get()) {
                    break;
                }
                counters.packetErrors.incrementAndGet();
                LOG.warn("Error reading UDP packet: {}", e.toString());
                backoff = pause(backoff);
                continue;
            }
            long now = clock.nanoTime();
            counters.packetsReceived.incrementAndGet();
            if (dp.getLength() < 1) {
                counters.packetErrors.incrementAndGet();
                continue;
            }
            byte[] copy = Arrays.copyOfRange(buf, dp.getOffset(), dp.getOffset() + dp.getLength());
            PacketHandler h = packetHandler;
            if (h == null) {
                counters.packetErrors.incrementAndGet();
                continue;
            }
            try {
                h.handle(new Packet(copy, (InetSocketAddress) dp.getSocketAddress(), now));
            } catch (RuntimeException e) {
                counters.packetErrors.incrementAndGet();
                LOG.warn("Packet handler failed", e);
            }
        }
    }

    private void acceptStreams() {
        long backoff = 0;
        while (!closed.get()) {
            Socket s;
            try {
                s = tcp.accept();
                backoff = 0;
            } catch (IOException e) {
                if (closed.get()) {
                    break;
                }
                LOG.warn("Error accepting TCP connection: {}", e.toString());
                backoff = pause(backoff);
                continue;
            }
            counters.streamsAccepted.incrementAndGet();
            try {
                inbound.execute(() -> serveStream(s));
            } catch (RejectedExecutionException e) {
                counters.streamsRejected.incrementAndGet();
                LOG.debug("Too many inbound streams, closing connection from {}", s.getRemoteSocketAddress());
                closeQuietly(s);
            }
        }
    }

    private void serveStream(Socket s) {
        InboundReply reply = new InboundReply();
        openSockets.add(s);
        ScheduledFuture<?> deadline = null;
        InetSocketAddress from = (InetSocketAddress) s.getRemoteSocketAddress();
        try {
            deadline = timer.schedule(() -> {
                reply.expire();
                closeQuietly(s);
            }, config.tcpTimeout().toNanos(), TimeUnit.NANOSECONDS);
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, config.tcpTimeout().toMillis())));
            s.setTcpNoDelay(true);
            FrameReader reader = frameReader;
            StreamHandler handler = streamHandler;
            if (reader == null || handler == null) {
                counters.streamErrors.incrementAndGet();
                LOG.debug("Inbound stream from {} before a handler was installed", from);
                return;
            }
            byte[] request = reader.readFrame(new BufferedInputStream(s.getInputStream()));
            if (request == null) {
                return;
            }
            handler.handle(request, from, reply);
            byte[] answer = reply.await();
            if (answer == InboundReply.EXPIRED) {
                counters.streamErrors.incrementAndGet();
                LOG.debug("Stream handler did not answer {} within {}", from, config.tcpTimeout());
            } else if (answer != InboundReply.NONE) {
                OutputStream out = s.getOutputStream();
                out.write(answer);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed.get()) {
                counters.streamErrors.incrementAndGet();
                LOG.debug("Inbound stream from {} failed: {}", from, e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
            openSockets.remove(s);
            closeQuietly(s);
        }
    }

    /** Counters since the transport was bound; a snapshot, cheap to take. */
    public Stats stats() {
        return counters.snapshot();
    }

    /**
     * Closes both listeners and every open connection, fails pending exchanges and stops all threads. Returns
     * after the receive and accept threads ended (bounded wait).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(udp);
        closeQuietly(tcp);
        inbound.shutdownNow();
        outbound.shutdownNow();
        for (Closeable c : openSockets) {
            closeQuietly(c);
        }
        for (Exchange x : pending) {
            x.fail(new IOException("transport closed"));
        }
        timer.shutdownNow();
        join(udpThread);
        join(acceptThread);
    }

    private static void join(Thread t) {
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long pause(long backoff) {
        long next = backoff == 0 ? 5 : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        try {
            Thread.sleep(next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return next;
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing useful to do on close
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Counters exposed for metrics and tests. */
    public record Stats(long packetsSent, long packetsReceived, long packetErrors, long streamsAccepted,
                        long streamsRejected, long streamErrors, long exchangesCompleted, long exchangesFailed) {
    }

    private static final class Counters {
        final AtomicLong packetsSent = new AtomicLong();
        final AtomicLong packetsReceived = new AtomicLong();
        final AtomicLong packetErrors = new AtomicLong();
        final AtomicLong streamsAccepted = new AtomicLong();
        final AtomicLong streamsRejected = new AtomicLong();
        final AtomicLong streamErrors = new AtomicLong();
        final AtomicLong exchangesCompleted = new AtomicLong();
        final AtomicLong exchangesFailed = new AtomicLong();

        Stats snapshot() {
            return new Stats(packetsSent.get(), packetsReceived.get(), packetErrors.get(), streamsAccepted.get(),
                    streamsRejected.get(), streamErrors.get(), exchangesCompleted.get(), exchangesFailed.get());
        }
    }

    /**
     * The answer slot of one inbound stream: the handler fills it from any thread, the pool thread waits on it.
     * The first of send, close and expiry wins.
     */
    private static final class InboundReply implements StreamReply {
        static final byte[] NONE = new byte[0];
        static final byte[] EXPIRED = new byte[0];

        private final CompletableFuture<byte[]> answer = new CompletableFuture<>();

        @Override
        public void send(byte[] reply) {
            answer.complete(Objects.requireNonNull(reply, "reply"));
        }

        @Override
        public void close() {
            answer.complete(NONE);
        }

        void expire() {
            answer.complete(EXPIRED);
        }

        byte[] await() throws InterruptedException {
            try {
                return answer.get();
            } catch (ExecutionException e) {
                return EXPIRED;
            }
        }
    }

    /** One outbound exchange; finishing it (either way) happens exactly once. */
    private final class Exchange {
        final InetSocketAddress to;
        final ExchangeCallback callback;
        final AtomicBoolean done = new AtomicBoolean();
        volatile ScheduledFuture<?> deadline;
        volatile Socket socket;

        Exchange(InetSocketAddress to, ExchangeCallback callback) {
            this.to = to;
            this.callback = callback;
        }

        /** @return false (and closes {@code s}) if the exchange already ended, e.g. its deadline passed in the queue */
        boolean attach(Socket s) {
            socket = s;
            if (done.get()) {
                closeQuietly(s);
                return false;
            }
            return true;
        }

        void complete(byte[] reply) {
            finish(reply, null);
        }

        void fail(Throwable error) {
            finish(null, error);
        }

        private void finish(byte[] reply, Throwable error) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            pending.remove(this);
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
            closeQuietly(socket);
            if (error == null) {
                counters.exchangesCompleted.incrementAndGet();
            } else {
                counters.exchangesFailed.incrementAndGet();
                LOG.debug("Exchange with {} failed: {}", to, error.toString());
            }
            try {
                callback.done(reply, error);
            } catch (RuntimeException e) {
                LOG.warn("Exchange callback failed", e);
            }
        }
    }
}
