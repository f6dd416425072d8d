package dev.rumor.membership;

/**
 * Canonicalises the immutable values a node stores for every member (its name, address, metadata and
 * version vector, and the {@link Node} made of them), so that equal values decoded by different views
 * share one object.
 *
 * <p>Why: each node keeps every other node, so N views of N members hold N² copies of values that are
 * identical across views. One agent process holds one view and gains nothing; a simulation of
 * thousands of {@link Memberlist}s in one JVM (the benchmark) would spend most of its heap on the copies.
 * {@link #NONE} (the default) stores the decoded values as they are; within one view an unchanged value
 * is kept regardless (see {@link MembershipState}).
 *
 * <p>Contract: return an object equal to the argument (the argument itself or an earlier equal one);
 * never modify either. The arrays are treated as immutable by everything that stores or reads them
 * ({@link Node}'s "do not modify"). Thread contract: called on the protocol thread of every view that
 * shares the interner, so a shared interner must be thread safe, as {@link #shared()} is.
 */
public interface Interner {
    /** Per-view only: stores values as decoded. */
    Interner NONE = new Interner() {
        @Override
        public String name(String s) {
            return s;
        }

        @Override
        public byte[] bytes(byte[] b) {
            return b;
        }
    };

    String name(String s);

    byte[] bytes(byte[] b);

    /**
     * A whole member state; called with nodes whose name and arrays this interner already returned.
     * Views that agree about a member (the steady state: everyone has the same alive) then share one
     * {@code Node}. The default keeps the argument.
     */
    default Node node(Node n) {
        return n;
    }

    /**
     * A thread-safe interner that keeps the first instance of every distinct value it is given, forever;
     * meant to be shared by the views of one simulated cluster, whose set of names, addresses and
     * metadata is bounded. Not for a long-lived agent with churn: it never forgets a value.
     */
    static Interner shared() {
        return new SharedInterner();
    }
}
