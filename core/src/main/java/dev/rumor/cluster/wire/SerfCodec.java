package dev.rumor.cluster.wire;

import dev.rumor.cluster.wire.SerfMessage.ConflictResponse;
import dev.rumor.cluster.wire.SerfMessage.EventEntry;
import dev.rumor.cluster.wire.SerfMessage.EventSlot;
import dev.rumor.cluster.wire.SerfMessage.Join;
import dev.rumor.cluster.wire.SerfMessage.KeyRequest;
import dev.rumor.cluster.wire.SerfMessage.KeyResponse;
import dev.rumor.cluster.wire.SerfMessage.Leave;
import dev.rumor.cluster.wire.SerfMessage.MemberInfo;
import dev.rumor.cluster.wire.SerfMessage.PushPull;
import dev.rumor.cluster.wire.SerfMessage.Query;
import dev.rumor.cluster.wire.SerfMessage.QueryResponse;
import dev.rumor.cluster.wire.SerfMessage.Relay;
import dev.rumor.cluster.wire.SerfMessage.UserEvent;
import dev.rumor.msgpack.MsgpackException;
import dev.rumor.msgpack.MsgpackReader;
import dev.rumor.msgpack.MsgpackWriter;
import dev.rumor.msgpack.StructWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes and decodes {@link SerfMessage}s byte-identically to serf's {@code encodeMessage} /
 * {@code decodeMessage}: one type byte, then the Go struct as a msgpack map in the gossip dialect
 * (old-spec raw strings and byte arrays, keys sorted). Go maps (tags, status times) have random key order
 * in Go; we sort them so our output is deterministic.
 *
 * <p>Decoding is as lenient as go-msgpack (any key order, unknown keys skipped, missing keys zero) and
 * never throws anything but {@link MsgpackException} on malformed input.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class SerfCodec {
    private SerfCodec() {
    }

    public static byte[] encode(SerfMessage m) {
        MsgpackWriter w = MsgpackWriter.gossip();
        w.rawByte(m.type().code());
        if (m instanceof Join j) {
            StructWriter s = w.struct();
            s.field("LTime").uint(j.ltime());
            s.field("Node").string(j.node());
            s.end();
        } else if (m instanceof Leave l) {
            StructWriter s = w.struct();
            s.field("LTime").uint(l.ltime());
            s.field("Node").string(l.node());
            s.field("Prune").bool(l.prune());
            s.end();
        } else if (m instanceof UserEvent e) {
            StructWriter s = w.struct();
            s.field("CC").bool(e.coalesce());
            s.field("LTime").uint(e.ltime());
            s.field("Name").string(e.name());
            s.field("Payload").bytes(e.payload());
            s.end();
        } else if (m instanceof Query q) {
            writeQuery(w, q);
        } else if (m instanceof QueryResponse r) {
            writeQueryResponse(w, r);
        } else if (m instanceof PushPull p) {
            writePushPull(w, p);
        } else if (m instanceof Relay r) {
            StructWriter s = w.struct();
            StructWriter addr = s.field("DestAddr").struct();
            addr.field("IP").bytes(r.destAddr());
            addr.field("Port").integer(r.destPort());
            addr.field("Zone").string(r.destZone() == null ? "" : r.destZone());
            addr.end();
            s.field("DestName").string(r.destName());
            s.end();
            w.raw(r.message());
        } else if (m instanceof KeyRequest k) {
            StructWriter s = w.struct();
            s.field("Key").bytes(k.key());
            s.end();
        } else if (m instanceof KeyResponse k) {
            StructWriter s = w.struct();
            MsgpackWriter keys = s.field("Keys");
            if (k.keys() == null) {
                keys.nil();
            } else {
                keys.arrayHeader(k.keys().size());
                for (String key : k.keys()) {
                    keys.string(key);
                }
            }
            s.field("Message").string(k.message() == null ? "" : k.message());
            s.field("PrimaryKey").string(k.primaryKey() == null ? "" : k.primaryKey());
            s.field("Result").bool(k.result());
            s.end();
        } else if (m instanceof ConflictResponse c) {
            if (c.member() == null) {
                w.nil();
            } else {
                writeMember(w, c.member());
            }
        }
        return w.toByteArray();
    }

    private static void writeQuery(MsgpackWriter w, Query q) {
        StructWriter s = w.struct();
        s.field("Addr").bytes(q.addr());
        MsgpackWriter f = s.field("Filters");
        if (q.filters() == null) {
            f.nil();
        } else {
            f.arrayHeader(q.filters().size());
            for (byte[] b : q.filters()) {
                f.bytes(b);
            }
        }
        s.field("Flags").uint(q.flags() & 0xffffffffL);
        s.field("ID").uint(q.id());
        s.field("LTime").uint(q.ltime());
        s.field("Name").string(q.name());
        s.field("Payload").bytes(q.payload());
        s.field("Port").uint(q.port());
        s.field("RelayFactor").uint(q.relayFactor());
        s.field("SourceNode").string(q.sourceNode());
        s.field("Timeout").integer(q.timeout().toNanos());
        s.end();
    }

    private static void writeQueryResponse(MsgpackWriter w, QueryResponse r) {
        StructWriter s = w.struct();
        s.field("Flags").uint(r.flags() & 0xffffffffL);
        s.field("From").string(r.from());
        s.field("ID").uint(r.id());
        s.field("LTime").uint(r.ltime());
        s.field("Payload").bytes(r.payload());
        s.end();
    }

    private static void writePushPull(MsgpackWriter w, PushPull p) {
        StructWriter s = w.struct();
        s.field("EventLTime").uint(p.eventLTime());
        MsgpackWriter ev = s.field("Events");
        ev.arrayHeader(p.events().size());
        for (EventSlot slot : p.events()) {
            if (slot == null) {
                ev.nil();
                continue;
            }
            StructWriter ss = ev.struct();
            MsgpackWriter list = ss.field("Events");
            list.arrayHeader(slot.events().size());
            for (EventEntry e : slot.events()) {
                StructWriter es = list.struct();
                es.field("Name").string(e.name());
                es.field("Payload").bytes(e.payload());
                es.end();
            }
            ss.field("LTime").uint(slot.ltime());
            ss.end();
        }
        s.field("LTime").uint(p.ltime());
        MsgpackWriter left = s.field("LeftMembers");
        left.arrayHeader(p.leftMembers().size());
        for (String name : p.leftMembers()) {
            left.string(name);
        }
        s.field("QueryLTime").uint(p.queryLTime());
        MsgpackWriter st = s.field("StatusLTimes");
        Map<String, Long> sorted = new TreeMap<>(p.statusLTimes());
        st.mapHeader(sorted.size());
        sorted.forEach((k, v) -> {
            st.string(k);
            st.uint(v);
        });
        s.end();
    }

    private static void writeMember(MsgpackWriter w, MemberInfo m) {
        StructWriter s = w.struct();
        s.field("Addr").bytes(m.addr());
        s.field("DelegateCur").uint(m.delegateCur());
        s.field("DelegateMax").uint(m.delegateMax());
        s.field("DelegateMin").uint(m.delegateMin());
        s.field("Name").string(m.name());
        s.field("Port").uint(m.port());
        s.field("ProtocolCur").uint(m.protocolCur());
        s.field("ProtocolMax").uint(m.protocolMax());
        s.field("ProtocolMin").uint(m.protocolMin());
        s.field("Status").integer(m.status());
        writeStringMap(s.field("Tags"), m.tags());
        s.end();
    }

    /** A Go {@code map[string]string} with keys sorted (Go's order is random); null is nil. */
    public static void writeStringMap(MsgpackWriter w, Map<String, String> map) {
        if (map == null) {
            w.nil();
            return;
        }
        Map<String, String> sorted = new TreeMap<>(map);
        w.mapHeader(sorted.size());
        sorted.forEach((k, v) -> {
            w.string(k);
            w.string(v);
        });
    }

    /** Reads a Go {@code map[string]string}; nil reads as an empty map. */
    public static Map<String, String> readStringMap(MsgpackReader r) throws MsgpackException {
        int n = r.readMapHeaderOrNil();
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String k = r.readString();
            out.put(k, r.readString());
        }
        return out;
    }

    /**
     * @return the message, or null if the type byte is unknown (serf logs and ignores those)
     * @throws MsgpackException if the buffer is empty or the body is malformed
     */
    public static SerfMessage decode(byte[] buf) throws MsgpackException {
        if (buf.length == 0) {
            throw new MsgpackException("empty serf message");
        }
        SerfMessageType t = SerfMessageType.of(buf[0] & 0xff);
        if (t == null) {
            return null;
        }
        MsgpackReader r = new MsgpackReader(buf, 1, buf.length - 1);
        return switch (t) {
            case JOIN -> readJoin(r);
            case LEAVE -> readLeave(r);
            case USER_EVENT -> readUserEvent(r);
            case QUERY -> readQuery(r);
            case QUERY_RESPONSE -> readQueryResponse(r);
            case PUSH_PULL -> readPushPull(r);
            case RELAY -> readRelay(r);
            case KEY_REQUEST -> readKeyRequest(r);
            case KEY_RESPONSE -> readKeyResponse(r);
            case CONFLICT_RESPONSE -> new ConflictResponse(r.tryReadNil() ? null : readMember(r));
        };
    }

    private static Join readJoin(MsgpackReader r) throws MsgpackException {
        long[] ltime = {0};
        String[] node = {""};
        r.readStruct((k, v) -> switch (k) {
            case "LTime" -> {
                ltime[0] = v.readUint64();
                yield true;
            }
            case "Node" -> {
                node[0] = v.readString();
                yield true;
            }
            default -> false;
        });
        return new Join(ltime[0], node[0]);
    }

    private static Leave readLeave(MsgpackReader r) throws MsgpackException {
        long[] ltime = {0};
        String[] node = {""};
        boolean[] prune = {false};
        r.readStruct((k, v) -> switch (k) {
            case "LTime" -> {
                ltime[0] = v.readUint64();
                yield true;
            }
            case "Node" -> {
                node[0] = v.readString();
                yield true;
            }
            case "Prune" -> {
                prune[0] = v.readBool();
                yield true;
            }
            default -> false;
        });
        return new Leave(ltime[0], node[0], prune[0]);
    }

    private static UserEvent readUserEvent(MsgpackReader r) throws MsgpackException {
        long[] ltime = {0};
        String[] name = {""};
        byte[][] payload = {null};
        boolean[] cc = {false};
        r.readStruct((k, v) -> switch (k) {
            case "LTime" -> {
                ltime[0] = v.readUint64();
                yield true;
            }
            case "Name" -> {
                name[0] = v.readString();
                yield true;
            }
            case "Payload" -> {
                payload[0] = v.readBytes();
                yield true;
            }
            case "CC" -> {
                cc[0] = v.readBool();
                yield true;
            }
            default -> false;
        });
        return new UserEvent(ltime[0], name[0], payload[0], cc[0]);
    }

    private static Query readQuery(MsgpackReader r) throws MsgpackException {
        var q = new Object() {
            long ltime;
            long id;
            byte[] addr;
            int port;
            String sourceNode = "";
            List<byte[]> filters;
            int flags;
            int relayFactor;
            long timeout;
            String name = "";
            byte[] payload;
        };
        r.readStruct((k, v) -> {
            switch (k) {
                case "LTime" -> q.ltime = v.readUint64();
                case "ID" -> q.id = v.readUint32();
                case "Addr" -> q.addr = v.readBytes();
                case "Port" -> q.port = v.readUint16();
                case "SourceNode" -> q.sourceNode = v.readString();
                case "Filters" -> {
                    int n = v.readArrayHeaderOrNil();
                    if (n >= 0) {
                        q.filters = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) {
                            byte[] f = v.readBytes();
                            q.filters.add(f == null ? new byte[0] : f);
                        }
                    }
                }
                case "Flags" -> q.flags = (int) v.readUint32();
                case "RelayFactor" -> q.relayFactor = v.readUint8();
                case "Timeout" -> q.timeout = v.readLong();
                case "Name" -> q.name = v.readString();
                case "Payload" -> q.payload = v.readBytes();
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new Query(q.ltime, q.id, q.addr, q.port, q.sourceNode,
                q.filters == null ? null : Collections.unmodifiableList(q.filters), q.flags, q.relayFactor,
                Duration.ofNanos(q.timeout), q.name, q.payload);
    }

    private static QueryResponse readQueryResponse(MsgpackReader r) throws MsgpackException {
        var q = new Object() {
            long ltime;
            long id;
            String from = "";
            int flags;
            byte[] payload;
        };
        r.readStruct((k, v) -> {
            switch (k) {
                case "LTime" -> q.ltime = v.readUint64();
                case "ID" -> q.id = v.readUint32();
                case "From" -> q.from = v.readString();
                case "Flags" -> q.flags = (int) v.readUint32();
                case "Payload" -> q.payload = v.readBytes();
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new QueryResponse(q.ltime, q.id, q.from, q.flags, q.payload);
    }

    private static PushPull readPushPull(MsgpackReader r) throws MsgpackException {
        var p = new Object() {
            long ltime;
            Map<String, Long> status = new LinkedHashMap<>();
            List<String> left = new ArrayList<>();
            long eventLTime;
            List<EventSlot> events = new ArrayList<>();
            long queryLTime;
        };
        r.readStruct((k, v) -> {
            switch (k) {
                case "LTime" -> p.ltime = v.readUint64();
                case "EventLTime" -> p.eventLTime = v.readUint64();
                case "QueryLTime" -> p.queryLTime = v.readUint64();
                case "StatusLTimes" -> {
                    int n = v.readMapHeaderOrNil();
                    for (int i = 0; i < n; i++) {
                        String name = v.readString();
                        p.status.put(name, v.readUint64());
                    }
                }
                case "LeftMembers" -> {
                    int n = v.readArrayHeaderOrNil();
                    for (int i = 0; i < n; i++) {
                        p.left.add(v.readString());
                    }
                }
                case "Events" -> {
                    int n = v.readArrayHeaderOrNil();
                    for (int i = 0; i < n; i++) {
                        p.events.add(v.tryReadNil() ? null : readEventSlot(v));
                    }
                }
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new PushPull(p.ltime, Collections.unmodifiableMap(p.status), List.copyOf(p.left), p.eventLTime,
                Collections.unmodifiableList(p.events), p.queryLTime);
    }

    private static EventSlot readEventSlot(MsgpackReader r) throws MsgpackException {
        long[] ltime = {0};
        List<EventEntry> entries = new ArrayList<>();
        r.readStruct((k, v) -> {
            switch (k) {
                case "LTime" -> ltime[0] = v.readUint64();
                case "Events" -> {
                    int n = v.readArrayHeaderOrNil();
                    for (int i = 0; i < n; i++) {
                        String[] name = {""};
                        byte[][] payload = {null};
                        v.readStruct((k2, v2) -> switch (k2) {
                            case "Name" -> {
                                name[0] = v2.readString();
                                yield true;
                            }
                            case "Payload" -> {
                                payload[0] = v2.readBytes();
                                yield true;
                            }
                            default -> false;
                        });
                        entries.add(new EventEntry(name[0], payload[0]));
                    }
                }
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new EventSlot(ltime[0], List.copyOf(entries));
    }

    private static Relay readRelay(MsgpackReader r) throws MsgpackException {
        var h = new Object() {
            byte[] ip;
            int port;
            String zone = "";
            String name = "";
        };
        r.readStruct((k, v) -> {
            switch (k) {
                case "DestAddr" -> v.readStruct((k2, v2) -> {
                    switch (k2) {
                        case "IP" -> h.ip = v2.readBytes();
                        case "Port" -> h.port = (int) v2.readLong(0, 65535, "DestAddr.Port");
                        case "Zone" -> h.zone = v2.readString();
                        default -> {
                            return false;
                        }
                    }
                    return true;
                });
                case "DestName" -> h.name = v.readString();
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new Relay(h.ip, h.port, h.zone, h.name, r.readRemaining());
    }

    private static KeyRequest readKeyRequest(MsgpackReader r) throws MsgpackException {
        byte[][] key = {null};
        r.readStruct((k, v) -> {
            if (k.equals("Key")) {
                key[0] = v.readBytes();
                return true;
            }
            return false;
        });
        return new KeyRequest(key[0]);
    }

    private static KeyResponse readKeyResponse(MsgpackReader r) throws MsgpackException {
        var kr = new Object() {
            boolean result;
            String message = "";
            List<String> keys;
            String primary = "";
        };
        r.readStruct((k, v) -> {
            switch (k) {
                case "Result" -> kr.result = v.readBool();
                case "Message" -> kr.message = v.readString();
                case "PrimaryKey" -> kr.primary = v.readString();
                case "Keys" -> {
                    int n = v.readArrayHeaderOrNil();
                    if (n >= 0) {
                        kr.keys = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) {
                            kr.keys.add(v.readString());
                        }
                    }
                }
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new KeyResponse(kr.result, kr.message, kr.keys == null ? null : List.copyOf(kr.keys), kr.primary);
    }

    private static MemberInfo readMember(MsgpackReader r) throws MsgpackException {
        var m = new Object() {
            String name = "";
            byte[] addr;
            int port;
            Map<String, String> tags = Map.of();
            int status;
            int pmin;
            int pmax;
            int pcur;
            int dmin;
            int dmax;
            int dcur;
        };
        r.readStruct((k, v) -> {
            switch (k) {
                case "Name" -> m.name = v.readString();
                case "Addr" -> m.addr = v.readBytes();
                case "Port" -> m.port = v.readUint16();
                case "Tags" -> m.tags = readStringMap(v);
                case "Status" -> m.status = (int) v.readLong(Integer.MIN_VALUE, Integer.MAX_VALUE, "Status");
                case "ProtocolMin" -> m.pmin = v.readUint8();
                case "ProtocolMax" -> m.pmax = v.readUint8();
                case "ProtocolCur" -> m.pcur = v.readUint8();
                case "DelegateMin" -> m.dmin = v.readUint8();
                case "DelegateMax" -> m.dmax = v.readUint8();
                case "DelegateCur" -> m.dcur = v.readUint8();
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new MemberInfo(m.name, m.addr, m.port, m.tags, m.status, m.pmin, m.pmax, m.pcur, m.dmin, m.dmax,
                m.dcur);
    }
}
