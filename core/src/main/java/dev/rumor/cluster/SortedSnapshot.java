package dev.rumor.cluster;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable name-ordered map that is updated by copying only the path to the changed entry (a persistent
 * AVL tree): {@link #with} and {@link #without} cost O(log n) time and garbage and leave the receiver
 * unchanged. The member table republishes its view on every member event; copying every member each time made
 * a bootstrap of n members O(n²) per agent.
 *
 * <p>Iteration is in {@link String#compareTo} order of the names, as the {@code TreeMap} copy it replaces.
 * Mutators of the {@link Map} interface throw {@link UnsupportedOperationException}.
 *
 * <p>Thread contract: immutable (all fields final), so any thread may read an instance it obtained through a
 * safe publication, such as a volatile field.
 */
final class SortedSnapshot<V> extends AbstractMap<String, V> {
    private static final SortedSnapshot<?> EMPTY = new SortedSnapshot<>(null);

    private final Entry<V> root;

    private SortedSnapshot(Entry<V> root) {
        this.root = root;
    }

    @SuppressWarnings("unchecked")
    static <V> SortedSnapshot<V> empty() {
        return (SortedSnapshot<V>) EMPTY;
    }

    /** This map with {@code key} mapped to {@code value} (added or replaced). */
    SortedSnapshot<V> with(String key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Entry<V> r = put(root, key, value);
        return r == root ? this : new SortedSnapshot<>(r);
    }

    /** This map without {@code key} (itself when absent). */
    SortedSnapshot<V> without(String key) {
        Entry<V> r = remove(root, key);
        return r == root ? this : new SortedSnapshot<>(r);
    }

    @Override
    public V get(Object key) {
        Entry<V> e = find(key);
        return e == null ? null : e.value;
    }

    @Override
    public boolean containsKey(Object key) {
        return find(key) != null;
    }

    @Override
    public int size() {
        return root == null ? 0 : root.size;
    }

    @Override
    public Set<Map.Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, V>> iterator() {
                return new InOrder<>(root);
            }

            @Override
            public int size() {
                return SortedSnapshot.this.size();
            }
        };
    }

    /** Tree height (tests check the balance). */
    int height() {
        return height(root);
    }

    private Entry<V> find(Object key) {
        if (!(key instanceof String k)) {
            return null;
        }
        Entry<V> e = root;
        while (e != null) {
            int c = k.compareTo(e.key);
            if (c == 0) {
                return e;
            }
            e = c < 0 ? e.left : e.right;
        }
        return null;
    }

    // ------------------------------------------------------------------ AVL, path copying

    private static <V> Entry<V> put(Entry<V> e, String key, V value) {
        if (e == null) {
            return new Entry<>(key, value, null, null);
        }
        int c = key.compareTo(e.key);
        if (c == 0) {
            return e.value == value ? e : new Entry<>(key, value, e.left, e.right);
        }
        if (c < 0) {
            Entry<V> l = put(e.left, key, value);
            return l == e.left ? e : balance(e.key, e.value, l, e.right);
        }
        Entry<V> r = put(e.right, key, value);
        return r == e.right ? e : balance(e.key, e.value, e.left, r);
    }

    private static <V> Entry<V> remove(Entry<V> e, String key) {
        if (e == null) {
            return null;
        }
        int c = key.compareTo(e.key);
        if (c < 0) {
            Entry<V> l = remove(e.left, key);
            return l == e.left ? e : balance(e.key, e.value, l, e.right);
        }
        if (c > 0) {
            Entry<V> r = remove(e.right, key);
            return r == e.right ? e : balance(e.key, e.value, e.left, r);
        }
        if (e.left == null) {
            return e.right;
        }
        if (e.right == null) {
            return e.left;
        }
        Entry<V> min = e.right;
        while (min.left != null) {
            min = min.left;
        }
        return balance(min.key, min.value, e.left, removeMin(e.right));
    }

    private static <V> Entry<V> removeMin(Entry<V> e) {
        if (e.left == null) {
            return e.right;
        }
        return balance(e.key, e.value, removeMin(e.left), e.right);
    }

    private static int height(Entry<?> e) {
        return e == null ? 0 : e.height;
    }

    /** A node for (key, value) over subtrees whose heights differ by at most 2, rebalanced. */
    private static <V> Entry<V> balance(String key, V value, Entry<V> l, Entry<V> r) {
        int hl = height(l);
        int hr = height(r);
        if (hl > hr + 1) {
            if (height(l.left) >= height(l.right)) {
                return new Entry<>(l.key, l.value, l.left, new Entry<>(key, value, l.right, r));
            }
            Entry<V> lr = l.right;
            return new Entry<>(lr.key, lr.value, new Entry<>(l.key, l.value, l.left, lr.left),
                    new Entry<>(key, value, lr.right, r));
        }
        if (hr > hl + 1) {
            if (height(r.right) >= height(r.left)) {
                return new Entry<>(r.key, r.value, new Entry<>(key, value, l, r.left), r.right);
            }
            Entry<V> rl = r.left;
            return new Entry<>(rl.key, rl.value, new Entry<>(key, value, l, rl.left),
                    new Entry<>(r.key, r.value, rl.right, r.right));
        }
        return new Entry<>(key, value, l, r);
    }

    /** An immutable tree node, also the map entry handed out by iteration. */
    private static final class Entry<V> implements Map.Entry<String, V> {
        final String key;
        final V value;
        final Entry<V> left;
        final Entry<V> right;
        final int height;
        final int size;

        Entry(String key, V value, Entry<V> left, Entry<V> right) {
            this.key = key;
            this.value = value;
            this.left = left;
            this.right = right;
            this.height = Math.max(SortedSnapshot.height(left), SortedSnapshot.height(right)) + 1;
            this.size = (left == null ? 0 : left.size) + (right == null ? 0 : right.size) + 1;
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        public V getValue() {
            return value;
        }

        @Override
        public V setValue(V v) {
            throw new UnsupportedOperationException("immutable snapshot");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey()) && Objects.equals(value, e.getValue());
        }

        @Override
        public int hashCode() {
            return key.hashCode() ^ Objects.hashCode(value);
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    /** In-order traversal with an explicit stack of at most the tree's height. */
    private static final class InOrder<V> implements Iterator<Map.Entry<String, V>> {
        private final ArrayDeque<Entry<V>> stack = new ArrayDeque<>();

        InOrder(Entry<V> root) {
            pushLeft(root);
        }

        private void pushLeft(Entry<V> e) {
            for (; e != null; e = e.left) {
                stack.push(e);
            }
        }

        @Override
        public boolean hasNext() {
            return !stack.isEmpty();
        }

        @Override
        public Map.Entry<String, V> next() {
            Entry<V> e = stack.poll();
            if (e == null) {
                throw new NoSuchElementException();
            }
            pushLeft(e.right);
            return e;
        }
    }
}
