package dev.rumor.rpc;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A member as the RPC {@code members} commands carry it (serf agent/ipc.go {@code Member}).
 * Protocol* are memberlist's versions, Delegate* serf's.
 */
public record RpcMember(String name, byte[] addr, int port, Map<String, String> tags, String status,
                        int protocolMin, int protocolMax, int protocolCur,
                        int delegateMin, int delegateMax, int delegateCur) {

    public static RpcMember fromWire(Map<String, Object> m) {
        return new RpcMember(IpcCodec.str(m, "Name"), IpcCodec.bytes(m, "Addr"), (int) IpcCodec.num(m, "Port"),
                IpcCodec.strMap(m, "Tags"), IpcCodec.str(m, "Status"),
                (int) IpcCodec.num(m, "ProtocolMin"), (int) IpcCodec.num(m, "ProtocolMax"),
                (int) IpcCodec.num(m, "ProtocolCur"), (int) IpcCodec.num(m, "DelegateMin"),
                (int) IpcCodec.num(m, "DelegateMax"), (int) IpcCodec.num(m, "DelegateCur"));
    }

    /** The wire map, keys sorted as Go writes them. */
    public Map<String, Object> toWire() {
        Map<String, Object> m = new TreeMap<>();
        m.put("Addr", addr);
        m.put("DelegateCur", delegateCur);
        m.put("DelegateMax", delegateMax);
        m.put("DelegateMin", delegateMin);
        m.put("Name", name);
        m.put("Port", port);
        m.put("ProtocolCur", protocolCur);
        m.put("ProtocolMax", protocolMax);
        m.put("ProtocolMin", protocolMin);
        m.put("Status", status);
        m.put("Tags", new LinkedHashMap<>(tags));
        return m;
    }

    /** The address as Go's net.IP.String() prints it. */
    public String addrString() {
        if (addr == null || (addr.length != 4 && addr.length != 16)) {
            return "<nil>";
        }
        try {
            return InetAddress.getByAddress(addr).getHostAddress();
        } catch (UnknownHostException e) {
            return "<nil>";
        }
    }
}
