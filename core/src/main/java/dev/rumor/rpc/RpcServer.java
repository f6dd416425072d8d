package dev.rumor.rpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's RPC listener (serf IPC protocol v1 on {@code -rpc-addr}). One {@link RpcSession} per
 * connection; a slow or dead client only ever fills its own bounded buffer.
 *
 * <p>Thread contract: {@link #start} and {@link #close} from any thread; the accept loop runs on its own
 * daemon thread.
 */
public final class RpcServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("agent.ipc");
    /** Connections beyond this are closed at once: protects the agent from a connection flood. */
    static final int MAX_CLIENTS = 512;

    private final RpcBackend backend;
    private final String authKey;
    private final Set<RpcSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicLong droppedRecords = new AtomicLong();
    /** One daemon thread for delayed records (a query's "done"). */
    private final java.util.concurrent.ScheduledExecutorService timer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rpc-timer");
                t.setDaemon(true);
                return t;
            });
    private volatile ServerSocket socket;
    private volatile boolean closed;

    public RpcServer(RpcBackend backend, String authKey) {
        this.backend = backend;
        this.authKey = authKey == null ? "" : authKey;
    }

    /** Binds ("host:port"; port 0 = ephemeral) and starts accepting. */
    public InetSocketAddress start(String address) throws IOException {
        InetSocketAddress bind = RpcClient.parseAddress(address);
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(bind, 128);
        socket = s;
        Thread t = new Thread(this::acceptLoop, "rpc-accept");
        t.setDaemon(true);
        t.start();
        return (InetSocketAddress) s.getLocalSocketAddress();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket c;
            try {
                c = socket.accept();
            } catch (SocketException e) {
                if (!closed) {
                    LOG.error("RPC accept failed: {}", e.getMessage());
                }
                return;
            } catch (IOException e) {
                LOG.error("RPC accept failed: {}", e.getMessage());
                continue;
            }
            if (sessions.size() >= MAX_CLIENTS) {
                LOG.warn("Rejecting RPC client {}: too many clients ({})", IpcCodec.hostPort(c.getRemoteSocketAddress()), MAX_CLIENTS);
                closeQuietly(c);
                continue;
            }
            try {
                RpcSession session = new RpcSession(c, backend, authKey, this);
                sessions.add(session);
                session.start();
                LOG.info("Accepted client: {}", IpcCodec.hostPort(c.getRemoteSocketAddress()));
            } catch (IOException e) {
                LOG.warn("RPC client {} failed: {}", IpcCodec.hostPort(c.getRemoteSocketAddress()), e.getMessage());
                closeQuietly(c);
            }
        }
    }

    void sessionClosed(RpcSession s) {
        sessions.remove(s);
    }

    /** Runs {@code task} after {@code delay} on the RPC timer thread (dropped once the server is closed). */
    void later(java.time.Duration delay, Runnable task) {
        try {
            timer.schedule(task, delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    void recordDropped() {
        droppedRecords.incrementAndGet();
    }

    /** Stream/monitor records dropped because a client did not read fast enough. */
    public long droppedRecords() {
        return droppedRecords.get();
    }

    public int clients() {
        return sessions.size();
    }

    private static void closeQuietly(Socket c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        ServerSocket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        for (RpcSession session : sessions) {
            session.close();
        }
    }
}
