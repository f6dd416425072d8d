package dev.rumor.rpc;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.msgpack.core.MessageUnpacker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RPC client connection: serf's connection rules (handshake first, then auth when configured,
 * unsupported command closes), request dispatch, and streams/monitors/queries sending records.
 *
 * <p>Threads: a reader thread decodes requests and calls the backend (blocking calls only block this
 * client); a writer thread drains a bounded queue. Stream records that do not fit are dropped and
 * counted ("Dropping event", as serf), so a client that stops reading never blocks the agent; a
 * direct response that does not fit closes the connection.
 */
final class RpcSession {
    private static final Logger LOG = LoggerFactory.getLogger("agent.ipc");
    static final int QUEUE = 512;
    /** Delay of a query's "done" record after it finished; see the query listener. */
    static final java.time.Duration DONE_GRACE = java.time.Duration.ofMillis(250);
    private static final byte[] CLOSE = new byte[0];
    private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERR");

    private final Socket socket;
    private final RpcBackend backend;
    private final String authKey;
    private final RpcServer server;
    private final MessageUnpacker in;
    private final OutputStream out;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Map<Long, RpcBackend.Subscription> streams = new ConcurrentHashMap<>();
    private final Map<Long, PendingQuery> queries = new ConcurrentHashMap<>();
    private final AtomicLong queryIds = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean dropping = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;
    private boolean handshake;
    private boolean authenticated;
    private Long monitorSeq;

    private record PendingQuery(RpcBackend.Responder responder, long deadlineMillis) {
    }

    RpcSession(Socket socket, RpcBackend backend, String authKey, RpcServer server) throws IOException {
        this.socket = socket;
        this.backend = backend;
        this.authKey = authKey;
        this.server = server;
        this.in = IpcCodec.unpacker(new BufferedInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
        this.authenticated = authKey.isEmpty();
    }

    void start() {
        Thread r = new Thread(this::readLoop, "rpc-client-" + socket.getPort());
        r.setDaemon(true);
        Thread w = new Thread(this::writeLoop, "rpc-writer-" + socket.getPort());
        w.setDaemon(true);
        w.start();
        r.start();
    }

    // ------------------------------------------------------------------ reading and dispatch

    @SuppressWarnings("unchecked")
    private void readLoop() {
        try {
            while (!closed) {
                Object h = IpcCodec.read(in);
                if (!(h instanceof Map<?, ?> hm)) {
                    LOG.warn("RPC client {} sent a malformed header; closing", IpcCodec.hostPort(socket.getRemoteSocketAddress()));
                    break;
                }
                Map<String, Object> header = (Map<String, Object>) hm;
                String name = IpcCodec.str(header, "Command");
                long seq = IpcCodec.num(header, "Seq");
                if (!handle(name, seq)) {
                    break;
                }
            }
        } catch (java.io.EOFException e) {
            // the client hung up: normal, and silent as in serf
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("RPC client {} closed: {}", IpcCodec.hostPort(socket.getRemoteSocketAddress()), e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("RPC client {} failed", IpcCodec.hostPort(socket.getRemoteSocketAddress()), e);
        } finally {
            closeAfterFlush();
        }
    }

    /** @return false to close the connection */
    private boolean handle(String name, long seq) throws IOException {
        RpcCommand cmd = RpcCommand.of(name);
        if (cmd == null) {
            respond(seq, RpcCommand.ERR_UNSUPPORTED_COMMAND);
            return false;
        }
        if (!handshake && cmd != RpcCommand.HANDSHAKE) {
            respond(seq, RpcCommand.ERR_HANDSHAKE_REQUIRED);
            return false;
        }
        if (!authenticated && cmd != RpcCommand.HANDSHAKE && cmd != RpcCommand.AUTH) {
            // serf answers without reading the body; the connection stays open.
            respond(seq, RpcCommand.ERR_AUTH_REQUIRED);
            return true;
        }
        Map<String, Object> body = Map.of();
        if (cmd.hasRequestBody()) {
            Object b = IpcCodec.read(in);
            if (!(b instanceof Map<?, ?>)) {
                LOG.warn("RPC client {} sent a malformed {} body; closing", IpcCodec.hostPort(socket.getRemoteSocketAddress()), name);
                return false;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> bm = (Map<String, Object>) b;
            body = bm;
        }
        try {
            return dispatch(cmd, seq, body);
        } catch (RpcException e) {
            respond(seq, e.getMessage(), cmd.hasResponseBody() ? emptyBody(cmd, e) : null);
            return true;
        }
    }

    private static Object emptyBody(RpcCommand cmd, RpcException e) {
        return switch (cmd) {
            case JOIN -> IpcCodec.struct("Num", e instanceof RpcBackend.JoinException j ? j.joined() : 0);
            case MEMBERS, MEMBERS_FILTERED -> IpcCodec.struct("Members", List.of());
            case GET_COORDINATE -> IpcCodec.struct("Coord", zeroCoordinate(), "Ok", false);
            default -> new TreeMap<String, Object>();
        };
    }

    private boolean dispatch(RpcCommand cmd, long seq, Map<String, Object> body) throws RpcException, IOException {
        switch (cmd) {
            case HANDSHAKE -> {
                if (handshake) {
                    respond(seq, RpcCommand.ERR_DUPLICATE_HANDSHAKE);
                } else if (IpcCodec.num(body, "Version") != RpcCommand.IPC_VERSION) {
                    respond(seq, RpcCommand.ERR_UNSUPPORTED_VERSION);
                } else {
                    handshake = true;
                    respond(seq, "");
                }
            }
            case AUTH -> {
                if (!authKey.isEmpty() && authKey.equals(IpcCodec.str(body, "AuthKey"))) {
                    authenticated = true;
                    respond(seq, "");
                } else {
                    respond(seq, RpcCommand.ERR_INVALID_AUTH);
                }
            }
            case EVENT -> {
                backend.userEvent(IpcCodec.str(body, "Name"), IpcCodec.bytes(body, "Payload"), IpcCodec.bool(body, "Coalesce"));
                respond(seq, "");
            }
            case FORCE_LEAVE -> {
                backend.forceLeave(IpcCodec.str(body, "Node"), IpcCodec.bool(body, "Prune"));
                respond(seq, "");
            }
            case JOIN -> {
                List<String> addrs = new ArrayList<>();
                for (Object o : IpcCodec.list(body, "Existing")) {
                    addrs.add(o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(o));
                }
                int n = backend.join(addrs, IpcCodec.bool(body, "Replay"));
                respond(seq, "", IpcCodec.struct("Num", n));
            }
            case MEMBERS -> respond(seq, "", membersBody(backend.members()));
            case MEMBERS_FILTERED -> {
                List<RpcMember> filtered;
                try {
                    filtered = filter(backend.members(), IpcCodec.strMap(body, "Tags"), IpcCodec.str(body, "Status"),
                            IpcCodec.str(body, "Name"));
                } catch (PatternSyntaxException e) {
                    // serf closes the connection on a bad regexp, without a response
                    LOG.warn("RPC members-filtered: invalid regexp: {}", e.getMessage());
                    return false;
                }
                respond(seq, "", membersBody(filtered));
            }
            case TAGS -> {
                List<String> delete = new ArrayList<>();
                for (Object o : IpcCodec.list(body, "DeleteTags")) {
                    delete.add(o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(o));
                }
                backend.updateTags(IpcCodec.strMap(body, "Tags"), delete);
                respond(seq, "");
            }
            case STREAM -> startStream(seq, IpcCodec.str(body, "Type"));
            case MONITOR -> startMonitor(seq, IpcCodec.str(body, "LogLevel"));
            case STOP -> {
                long target = IpcCodec.num(body, "Stop");
                RpcBackend.Subscription s = streams.remove(target);
                if (s != null) {
                    s.close();
                }
                if (monitorSeq != null && monitorSeq == target) {
                    monitorSeq = null;
                }
                respond(seq, "");
            }
            case LEAVE -> {
                backend.leave();
                respond(seq, "");
                flushThen(backend::shutdownAfterLeave);
            }
            case QUERY -> startQuery(seq, QueryRequest.fromWire(body));
            case RESPOND -> {
                long id = IpcCodec.num(body, "ID");
                PendingQuery q = queries.get(id);
                if (q == null || q.deadlineMillis < System.currentTimeMillis()) {
                    queries.remove(id);
                    throw new RpcException(RpcCommand.ERR_INVALID_QUERY_ID);
                }
                q.responder.respond(IpcCodec.bytes(body, "Payload"));
                respond(seq, "");
            }
            case INSTALL_KEY, USE_KEY, REMOVE_KEY, LIST_KEYS -> {
                KeyResponse r = backend.keys(cmd, IpcCodec.str(body, "Key"));
                respond(seq, r.error(), r.toWire(cmd == RpcCommand.LIST_KEYS));
            }
            case STATS -> {
                Map<String, Object> stats = new TreeMap<>();
                backend.stats().forEach((k, v) -> stats.put(k, new TreeMap<String, Object>(v)));
                respond(seq, "", stats);
            }
            case GET_COORDINATE -> {
                Map<String, Object> c = backend.coordinate(IpcCodec.str(body, "Node"));
                respond(seq, "", IpcCodec.struct("Coord", c == null ? zeroCoordinate() : c, "Ok", c != null));
            }
            default -> {
                respond(seq, RpcCommand.ERR_UNSUPPORTED_COMMAND);
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> zeroCoordinate() {
        return IpcCodec.struct("Adjustment", 0.0, "Error", 0.0, "Height", 0.0, "Vec", null);
    }

    private static Map<String, Object> membersBody(List<RpcMember> members) {
        List<Object> list = new ArrayList<>();
        for (RpcMember m : members) {
            list.add(m.toWire());
        }
        return IpcCodec.struct("Members", list);
    }

    /** serf's members-filtered: anchored regexps on tags, status and name; empty = no filter. */
    static List<RpcMember> filter(List<RpcMember> members, Map<String, String> tags, String status, String name) {
        Map<String, Pattern> tagRes = new TreeMap<>();
        tags.forEach((k, v) -> tagRes.put(k, Pattern.compile("^" + v + "$")));
        Pattern statusRe = status.isEmpty() ? null : Pattern.compile("^" + status + "$");
        Pattern nameRe = name.isEmpty() ? null : Pattern.compile("^" + name + "$");
        List<RpcMember> out = new ArrayList<>();
        outer:
        for (RpcMember m : members) {
            for (Map.Entry<String, Pattern> e : tagRes.entrySet()) {
                String v = m.tags().get(e.getKey());
                if (v == null || !e.getValue().matcher(v).matches()) {
                    continue outer;
                }
            }
            if (statusRe != null && !statusRe.matcher(m.status()).matches()) {
                continue;
            }
            if (nameRe != null && !nameRe.matcher(m.name()).matches()) {
                continue;
            }
            out.add(m);
        }
        return out;
    }

    private void startStream(long seq, String filter) throws RpcException, IOException {
        if (streams.containsKey(seq)) {
            throw new RpcException(RpcCommand.ERR_STREAM_EXISTS);
        }
        RpcBackend.Subscription sub = backend.subscribe(filter, new RpcBackend.EventSink() {
            @Override
            public void event(Map<String, Object> record) {
                record(seq, record);
            }

            @Override
            public void query(long ltime, String name, byte[] payload, long deadlineMillis, RpcBackend.Responder responder) {
                long id = queryIds.incrementAndGet();
                queries.put(id, new PendingQuery(responder, deadlineMillis));
                queries.values().removeIf(q -> q.deadlineMillis < System.currentTimeMillis());
                record(seq, IpcCodec.struct("Event", "query", "ID", id, "LTime", ltime, "Name", name, "Payload", payload));
            }
        });
        streams.put(seq, sub);
        respond(seq, "");
    }

    private void startMonitor(long seq, String level) throws RpcException, IOException {
        String upper = level.toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(upper)) {
            throw new RpcException("Unknown log level: " + upper);
        }
        if (monitorSeq != null) {
            throw new RpcException(RpcCommand.ERR_MONITOR_EXISTS);
        }
        monitorSeq = seq;
        // The header must precede the replayed history: respond first, then subscribe.
        respond(seq, "");
        RpcBackend.Subscription sub = backend.subscribeLogs(upper, line -> record(seq, IpcCodec.struct("Log", line)));
        streams.put(seq, sub);
    }

    private void startQuery(long seq, QueryRequest q) throws RpcException, IOException {
        Object lock = new Object();
        boolean[] accepted = {false};
        java.util.List<Map<String, Object>> early = new ArrayList<>();
        RpcBackend.QueryListener listener = new RpcBackend.QueryListener() {
            private void emit(Map<String, Object> r) {
                synchronized (lock) {
                    if (!accepted[0]) {
                        early.add(r);
                        return;
                    }
                }
                record(seq, r);
            }

            @Override
            public void ack(String from) {
                emit(IpcCodec.struct("From", from, "Payload", null, "Type", "ack"));
            }

            @Override
            public void response(String from, byte[] payload) {
                emit(IpcCodec.struct("From", from, "Payload", payload, "Type", "response"));
            }

            @Override
            public void done() {
                // A Rumor query may finish early, right after its last response. serf's Go client closes its
                // ack and response channels on "done", and the serf CLI's select loop can then take the closed
                // ack channel before draining a buffered response, dropping it. serf's own agent only sends
                // "done" at the deadline, seconds later; a short grace period gives Go clients the same room.
                server.later(DONE_GRACE, () -> emit(IpcCodec.struct("From", "", "Payload", null, "Type", "done")));
            }
        };
        backend.query(q, listener);
        respond(seq, "");
        List<Map<String, Object>> pending;
        synchronized (lock) {
            accepted[0] = true;
            pending = new ArrayList<>(early);
        }
        for (Map<String, Object> r : pending) {
            record(seq, r);
        }
    }

    // ------------------------------------------------------------------ writing

    private void respond(long seq, String error) throws IOException {
        respond(seq, error, null);
    }

    private void respond(long seq, String error, Object body) throws IOException {
        byte[] bytes = body == null ? IpcCodec.encode(header(seq, error)) : IpcCodec.encode(header(seq, error), body);
        if (!queue.offer(bytes)) {
            LOG.warn("RPC client {} is not reading its responses; closing", IpcCodec.hostPort(socket.getRemoteSocketAddress()));
            close();
            throw new IOException("client not reading");
        }
    }

    /** A stream/monitor/query record: dropped (and counted) if the client is too slow. */
    private void record(long seq, Map<String, Object> body) {
        if (closed) {
            return;
        }
        byte[] bytes;
        try {
            bytes = IpcCodec.encode(header(seq, ""), body);
        } catch (IOException e) {
            return;
        }
        if (queue.offer(bytes)) {
            dropping.set(false);
        } else {
            server.recordDropped();
            // once per overflow, not once per record: a stuck client must not flood the log
            if (dropping.compareAndSet(false, true)) {
                LOG.warn("Dropping events for RPC client {}: its buffer is full",
                        IpcCodec.hostPort(socket.getRemoteSocketAddress()));
            }
        }
    }

    private static Map<String, Object> header(long seq, String error) {
        return IpcCodec.struct("Error", error, "Seq", seq);
    }

    private void flushThen(Runnable action) {
        Thread t = new Thread(() -> {
            long until = System.currentTimeMillis() + 2000;
            while (!queue.isEmpty() && System.currentTimeMillis() < until) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            action.run();
        }, "rpc-after-leave");
        t.setDaemon(true);
        t.start();
    }

    private void writeLoop() {
        try {
            while (true) {
                // Blocks without a timeout (no periodic wake-up per client): close() and closeAfterFlush()
                // queue CLOSE, and a writer stuck in write() fails when close() closes the socket.
                byte[] b = queue.take();
                if (b == CLOSE) {
                    break;
                }
                out.write(b);
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (IOException e) {
            LOG.debug("RPC client {} write failed: {}", IpcCodec.hostPort(socket.getRemoteSocketAddress()), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    /** Lets the writer send what is queued (e.g. the final error), then closes. */
    private void closeAfterFlush() {
        closed = true;
        if (!queue.offer(CLOSE)) {
            close();
        }
    }

    void close() {
        closed = true;
        // wakes the writer if it waits for work; when the queue is full it is not waiting, and the socket
        // closed below makes its next write fail
        queue.offer(CLOSE);
        for (RpcBackend.Subscription s : streams.values()) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        streams.clear();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        server.sessionClosed(this);
    }
}
