package dev.rumor.membership;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Interner#shared()}: concurrent maps from a value to its first instance. */
final class SharedInterner implements Interner {
    private final ConcurrentHashMap<String, String> names = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Bytes, byte[]> arrays = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Node, Node> nodes = new ConcurrentHashMap<>();

    @Override
    public String name(String s) {
        String prev = names.putIfAbsent(s, s);
        return prev == null ? s : prev;
    }

    @Override
    public byte[] bytes(byte[] b) {
        byte[] prev = arrays.putIfAbsent(new Bytes(b), b);
        return prev == null ? b : prev;
    }

    @Override
    public Node node(Node n) {
        Node prev = nodes.putIfAbsent(n, n);
        return prev == null ? n : prev;
    }

    /** Value equality for a byte array used as a map key. */
    private record Bytes(byte[] b) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes x && Arrays.equals(b, x.b);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(b);
        }
    }
}
