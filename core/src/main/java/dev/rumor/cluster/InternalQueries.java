package dev.rumor.cluster;

import dev.rumor.cluster.wire.SerfCodec;
import dev.rumor.cluster.wire.SerfMessage;
import dev.rumor.cluster.wire.SerfMessage.KeyResponse;
import dev.rumor.msgpack.MsgpackException;
import dev.rumor.security.Keyring;
import dev.rumor.security.KeyringException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event stage that answers serf's own {@code _serf_}-prefixed queries (serf {@code internal_query.go},
 * wire-protocol §7.8) and passes every other event on. Internal queries never reach handlers or RPC streams.
 *
 * <ul>
 *   <li>{@code _serf_ping}: nothing (the automatic ack is the answer)</li>
 *   <li>{@code _serf_conflict}: what we know about the named node ({@code 06} + member, or {@code 06 c0})</li>
 *   <li>{@code _serf_install-key} / {@code use-key} / {@code remove-key} / {@code list-keys}: act on the
 *       keyring and answer {@code 08} + key response</li>
 * </ul>
 *
 * <p>Thread contract: called on the protocol thread like any event sink; does not block except for
 * rewriting the keyring file after a key change.
 */
final class InternalQueries implements Consumer<ClusterEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(InternalQueries.class);

    static final String PREFIX = "_serf_";
    static final String PING = PREFIX + "ping";
    static final String CONFLICT = PREFIX + "conflict";
    static final String INSTALL_KEY = PREFIX + "install-key";
    static final String USE_KEY = PREFIX + "use-key";
    static final String REMOVE_KEY = PREFIX + "remove-key";
    static final String LIST_KEYS = PREFIX + "list-keys";
    /** Shortest base64 key plus msgpack overhead (serf's {@code minEncodedKeyLength}). */
    static final int MIN_ENCODED_KEY_LENGTH = 25;

    private final String self;
    private final Function<String, Member> members;
    private final Keyring keyring;
    private final Path keyringFile;
    private final int responseSizeLimit;
    private final Consumer<ClusterEvent> next;

    InternalQueries(String self, Function<String, Member> members, Keyring keyring, Path keyringFile,
                    int responseSizeLimit, Consumer<ClusterEvent> next) {
        this.self = self;
        this.members = members;
        this.keyring = keyring;
        this.keyringFile = keyringFile;
        this.responseSizeLimit = responseSizeLimit;
        this.next = next;
    }

    @Override
    public void accept(ClusterEvent e) {
        if (e instanceof ClusterEvent.QueryEvent q && q.query().name().startsWith(PREFIX)) {
            try {
                handle(q.query());
            } catch (RuntimeException ex) {
                LOG.error("Failed to respond to internal query {}: {}", q.query().name(), ex.getMessage());
            }
            return;
        }
        if (next != null) {
            next.accept(e);
        }
    }

    private void handle(IncomingQuery q) {
        switch (q.name()) {
            case PING -> {
            }
            case CONFLICT -> conflict(q);
            case INSTALL_KEY, USE_KEY, REMOVE_KEY -> modifyKey(q);
            case LIST_KEYS -> listKeys(q);
            default -> LOG.warn("Unhandled internal query '{}'", q.name().substring(PREFIX.length()));
        }
    }

    private void conflict(IncomingQuery q) {
        String node = q.payload() == null ? "" : new String(q.payload(), java.nio.charset.StandardCharsets.UTF_8);
        if (node.equals(self)) {
            return;
        }
        LOG.debug("Got conflict resolution query for '{}'", node);
        Member m = members.apply(node);
        SerfMessage.MemberInfo info = m == null ? null : info(m);
        q.respond(SerfCodec.encode(new SerfMessage.ConflictResponse(info)));
    }

    static SerfMessage.MemberInfo info(Member m) {
        return new SerfMessage.MemberInfo(m.name(), m.addr(), m.port(), m.tags(), m.status().wireValue(),
                m.protocolMin(), m.protocolMax(), m.protocolCur(), m.delegateMin(), m.delegateMax(), m.delegateCur());
    }

    private void modifyKey(IncomingQuery q) {
        String message = "";
        boolean result = false;
        byte[] key = decodeKey(q);
        if (key == null) {
            message = "";
        } else if (keyring == null) {
            message = "No keyring to modify (encryption not enabled)";
            LOG.error(message);
        } else {
            try {
                switch (q.name()) {
                    case INSTALL_KEY -> keyring.addKey(key);
                    case USE_KEY -> keyring.useKey(key);
                    default -> keyring.removeKey(key);
                }
                LOG.info("Received {} query", q.name().substring(PREFIX.length()));
                if (keyringFile != null) {
                    keyring.writeFile(keyringFile);
                }
                result = true;
            } catch (KeyringException | IOException e) {
                message = e.getMessage();
                LOG.error("Failed to {}: {}", q.name().substring(PREFIX.length()), message);
            }
        }
        q.respond(SerfCodec.encode(new KeyResponse(result, message, null, "")));
    }

    private static byte[] decodeKey(IncomingQuery q) {
        byte[] p = q.payload();
        try {
            if (p == null || p.length == 0) {
                throw new MsgpackException("empty key request");
            }
            SerfMessage m = SerfCodec.decode(p);
            if (m instanceof SerfMessage.KeyRequest k) {
                return k.key() == null ? new byte[0] : k.key();
            }
            throw new MsgpackException("not a key request");
        } catch (MsgpackException e) {
            LOG.error("Failed to decode key request: {}", e.getMessage());
            return null;
        }
    }

    private void listKeys(IncomingQuery q) {
        if (keyring == null) {
            LOG.error("Keyring is empty (encryption not enabled)");
            q.respond(SerfCodec.encode(new KeyResponse(false, "Keyring is empty (encryption not enabled)", null, "")));
            return;
        }
        LOG.info("Received list-keys query");
        List<String> keys = new ArrayList<>();
        for (byte[] k : keyring.keys()) {
            keys.add(Keyring.encodeKey(k));
        }
        String primary = Keyring.encodeKey(keyring.primaryKey());
        q.respond(fitKeyList(keys, primary, responseSizeLimit, q.ltime(), q.id(), self));
    }

    /**
     * The list-keys answer, truncated until the whole query response fits the size limit, with serf's
     * "truncated key list response, showing first N of M keys" message.
     */
    static byte[] fitKeyList(List<String> keys, String primary, int limit, long ltime, long id, String from) {
        int actual = keys.size();
        List<String> shown = keys;
        String message = "";
        for (int i = Math.min(limit / MIN_ENCODED_KEY_LENGTH, actual); i >= 0; i--) {
            byte[] payload = SerfCodec.encode(new KeyResponse(true, message, shown.isEmpty() ? null : shown, primary));
            byte[] raw = SerfCodec.encode(new SerfMessage.QueryResponse(ltime, id, from, 0, payload));
            if (raw.length <= limit) {
                if (actual > shown.size()) {
                    LOG.warn(message);
                }
                return payload;
            }
            shown = keys.subList(0, i);
            message = "truncated key list response, showing first " + i + " of " + actual + " keys";
        }
        throw new IllegalStateException("Failed to truncate response so that it fits into message");
    }
}
