package dev.rumor.rpc;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.msgpack.core.MessageUnpacker;

/**
 * Client of the agent RPC (serf IPC v1), used by the {@code rumor} CLI and usable by any program; it
 * talks to a Rumor agent and to a real serf agent alike. One connection, one reader thread that
 * dispatches responses and stream records by sequence number.
 *
 * <p>Thread contract: request methods may be called from any thread; stream listeners are called on the
 * reader thread and must not block for long.
 */
public final class RpcClient implements AutoCloseable {

    /** Receives the records of a {@code stream}, {@code monitor} or {@code query}. */
    public interface RecordListener {
        void record(Map<String, Object> body);

        /** The connection ended (agent gone, or {@link #close()}). */
        default void closed() {
        }
    }

    private static final class Pending {
        final RpcCommand command;
        final CompletableFuture<Map<String, Object>> response = new CompletableFuture<>();
        final RecordListener listener;
        volatile boolean accepted;

        Pending(RpcCommand command, RecordListener listener) {
            this.command = command;
            this.listener = listener;
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final MessageUnpacker in;
    private final AtomicLong seq = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Thread reader;
    private final Duration timeout;
    private volatile boolean closed;

    private RpcClient(Socket socket, Duration timeout) throws IOException {
        this.socket = socket;
        this.timeout = timeout;
        this.out = new BufferedOutputStream(socket.getOutputStream());
        this.in = IpcCodec.unpacker(new BufferedInputStream(socket.getInputStream()));
        this.reader = new Thread(this::readLoop, "rpc-client-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Connects, performs the handshake and, when {@code authKey} is non-empty, authenticates.
     *
     * @param address "host:port"
     * @throws IOException  when the agent cannot be reached ("dial tcp ...: connection refused" style message)
     * @throws RpcException when the agent refuses the handshake or the token
     */
    public static RpcClient connect(String address, String authKey, Duration timeout) throws IOException, RpcException {
        InetSocketAddress addr = parseAddress(address);
        Socket s = new Socket();
        try {
            s.connect(addr, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        } catch (IOException e) {
            s.close();
            throw new IOException("dial tcp " + address + ": connect: " + describe(e), e);
        }
        s.setTcpNoDelay(true);
        RpcClient c = new RpcClient(s, timeout);
        try {
            c.request(RpcCommand.HANDSHAKE, IpcCodec.struct("Version", RpcCommand.IPC_VERSION));
            if (authKey != null && !authKey.isEmpty()) {
                c.request(RpcCommand.AUTH, IpcCodec.struct("AuthKey", authKey));
            }
        } catch (IOException | RpcException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (m != null && m.toLowerCase(java.util.Locale.ROOT).contains("refused")) {
            return "connection refused";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    static InetSocketAddress parseAddress(String address) throws IOException {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IOException("address " + address + ": missing port in address");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new InetSocketAddress(host.isEmpty() ? "127.0.0.1" : host, Integer.parseInt(address.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IOException("address " + address + ": invalid port", e);
        }
    }

    // ---------------------------------------------------------------- commands

    public List<RpcMember> members() throws IOException, RpcException {
        return toMembers(request(RpcCommand.MEMBERS, null));
    }

    /** Regexps are anchored by the agent; empty strings mean no filter. */
    public List<RpcMember> membersFiltered(Map<String, String> tags, String status, String name)
            throws IOException, RpcException {
        return toMembers(request(RpcCommand.MEMBERS_FILTERED,
                IpcCodec.struct("Name", name, "Status", status, "Tags", new java.util.TreeMap<>(tags))));
    }

    private static List<RpcMember> toMembers(Map<String, Object> body) {
        List<RpcMember> out = new ArrayList<>();
        for (Object o : IpcCodec.list(body, "Members")) {
            if (o instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, Object> mm = (Map<String, Object>) m;
                out.add(RpcMember.fromWire(mm));
            }
        }
        return out;
    }

    /** @return the number of nodes joined; the agent's error (with the count) is thrown as RpcException */
    public int join(List<String> addresses, boolean replay) throws IOException, RpcException {
        return (int) IpcCodec.num(request(RpcCommand.JOIN,
                IpcCodec.struct("Existing", new ArrayList<Object>(addresses), "Replay", replay)), "Num");
    }

    public void leave() throws IOException, RpcException {
        request(RpcCommand.LEAVE, null);
    }

    public void forceLeave(String node, boolean prune) throws IOException, RpcException {
        request(RpcCommand.FORCE_LEAVE, IpcCodec.struct("Node", node, "Prune", prune));
    }

    public void userEvent(String name, byte[] payload, boolean coalesce) throws IOException, RpcException {
        request(RpcCommand.EVENT, IpcCodec.struct("Coalesce", coalesce, "Name", name, "Payload", payload));
    }

    public void updateTags(Map<String, String> set, List<String> delete) throws IOException, RpcException {
        request(RpcCommand.TAGS, IpcCodec.struct("DeleteTags", new ArrayList<Object>(delete),
                "Tags", new java.util.TreeMap<>(set)));
    }

    /** The {@code stats} map: section → key → value. */
    public Map<String, Object> stats() throws IOException, RpcException {
        return request(RpcCommand.STATS, null);
    }

    /** @return the {@code get-coordinate} body: {@code {Coord: {...}, Ok: bool}} */
    public Map<String, Object> getCoordinate(String node) throws IOException, RpcException {
        return request(RpcCommand.GET_COORDINATE, IpcCodec.struct("Node", node));
    }

    /** install-key / use-key / remove-key / list-keys. Returns the body even when the agent reports an error. */
    public KeyResponse keys(RpcCommand command, String key) throws IOException {
        Object body = command == RpcCommand.LIST_KEYS ? null : IpcCodec.struct("Key", key);
        Pending p = send(command, body, null);
        Map<String, Object> resp = await(p);
        return KeyResponse.fromWire(resp, IpcCodec.str(resp, "__error"));
    }

    /** Starts a query; records ({@code ack}, {@code response}, {@code done}) go to the listener. */
    public long query(QueryRequest q, RecordListener listener) throws IOException, RpcException {
        Pending p = send(RpcCommand.QUERY, q.toWire(), listener);
        checkError(await(p));
        return seqOf(p);
    }

    /** Subscribes to events with a serf filter ("*", "member-join,user:deploy"). */
    public long stream(String filter, RecordListener listener) throws IOException, RpcException {
        Pending p = send(RpcCommand.STREAM, IpcCodec.struct("Type", filter), listener);
        checkError(await(p));
        return seqOf(p);
    }

    /** Subscribes to log lines at {@code level} and above; the agent first replays its recent lines. */
    public long monitor(String level, RecordListener listener) throws IOException, RpcException {
        Pending p = send(RpcCommand.MONITOR, IpcCodec.struct("LogLevel", level), listener);
        checkError(await(p));
        return seqOf(p);
    }

    /** Ends a stream or monitor started on this connection. */
    public void stop(long streamSeq) throws IOException, RpcException {
        Pending s = pending.remove(streamSeq);
        request(RpcCommand.STOP, IpcCodec.struct("Stop", streamSeq));
        if (s != null && s.listener != null) {
            s.listener.closed();
        }
    }

    public void respond(long id, byte[] payload) throws IOException, RpcException {
        request(RpcCommand.RESPOND, IpcCodec.struct("ID", id, "Payload", payload));
    }

    // ---------------------------------------------------------------- plumbing

    private long seqOf(Pending p) {
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            if (e.getValue() == p) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** Sends a request and waits for its response body (or an empty map for body-less responses). */
    public Map<String, Object> request(RpcCommand command, Object body) throws IOException, RpcException {
        Pending p = send(command, body, null);
        return checkError(await(p));
    }

    private static Map<String, Object> checkError(Map<String, Object> resp) throws RpcException {
        String err = IpcCodec.str(resp, "__error");
        if (!err.isEmpty()) {
            throw new RpcException(err);
        }
        return resp;
    }

    private Pending send(RpcCommand command, Object body, RecordListener listener) throws IOException {
        if (closed) {
            throw new IOException("connection closed");
        }
        long s = seq.incrementAndGet();
        Pending p = new Pending(command, listener);
        pending.put(s, p);
        byte[] bytes = command.hasRequestBody()
                ? IpcCodec.encode(IpcCodec.struct("Command", command.wireName(), "Seq", s), body)
                : IpcCodec.encode(IpcCodec.struct("Command", command.wireName(), "Seq", s));
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
        return p;
    }

    private Map<String, Object> await(Pending p) throws IOException {
        try {
            return p.response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("timeout waiting for the agent's response to " + p.command.wireName());
        }
    }

    @SuppressWarnings("unchecked")
    private void readLoop() {
        IOException failure = null;
        try {
            while (!closed) {
                Object h = IpcCodec.read(in);
                if (!(h instanceof Map<?, ?> header)) {
                    throw new IOException("malformed response header");
                }
                Map<String, Object> hdr = (Map<String, Object>) header;
                long s = IpcCodec.num(hdr, "Seq");
                String error = IpcCodec.str(hdr, "Error");
                Pending p = pending.get(s);
                if (p == null) {
                    // A record of a stream we already stopped: every record has a body; discard it.
                    IpcCodec.read(in);
                    continue;
                }
                if (!p.accepted) {
                    Map<String, Object> body = new java.util.HashMap<>();
                    if (p.command.hasResponseBody() && !RpcCommand.ERR_AUTH_REQUIRED.equals(error)) {
                        Object b = IpcCodec.read(in);
                        if (b instanceof Map<?, ?> bm) {
                            body.putAll((Map<String, Object>) bm);
                        } else if (b != null) {
                            body.put("__value", b);
                        }
                    }
                    body.put("__error", error);
                    if (p.listener == null || !error.isEmpty()) {
                        pending.remove(s);
                    } else {
                        p.accepted = true;
                    }
                    p.response.complete(body);
                } else {
                    Object b = IpcCodec.read(in);
                    Map<String, Object> body = b instanceof Map<?, ?> bm ? (Map<String, Object>) bm : Map.of();
                    p.listener.record(body);
                    if (p.command == RpcCommand.QUERY && "done".equals(IpcCodec.str(body, "Type"))) {
                        pending.remove(s);
                    }
                }
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            closed = true;
            IOException f = failure != null ? failure : new IOException("connection closed");
            for (Pending p : pending.values()) {
                p.response.completeExceptionally(f);
                if (p.listener != null) {
                    p.listener.closed();
                }
            }
            pending.clear();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
