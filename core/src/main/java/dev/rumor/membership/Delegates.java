package dev.rumor.membership;

/**
 * The set of callbacks a {@link Memberlist} calls. Any may be null (= not used). All are called on the
 * protocol thread; see each interface for its contract.
 */
public record Delegates(MetaDelegate meta, MessageDelegate messages, StateDelegate state,
                        EventDelegate events, MergeDelegate merge, ConflictDelegate conflict,
                        AliveDelegate alive, PingDelegate ping) {

    public static Delegates none() {
        return new Delegates(null, null, null, null, null, null, null, null);
    }

    public Delegates withMeta(MetaDelegate d) {
        return new Delegates(d, messages, state, events, merge, conflict, alive, ping);
    }

    public Delegates withMessages(MessageDelegate d) {
        return new Delegates(meta, d, state, events, merge, conflict, alive, ping);
    }

    public Delegates withState(StateDelegate d) {
        return new Delegates(meta, messages, d, events, merge, conflict, alive, ping);
    }

    public Delegates withEvents(EventDelegate d) {
        return new Delegates(meta, messages, state, d, merge, conflict, alive, ping);
    }

    public Delegates withMerge(MergeDelegate d) {
        return new Delegates(meta, messages, state, events, d, conflict, alive, ping);
    }

    public Delegates withConflict(ConflictDelegate d) {
        return new Delegates(meta, messages, state, events, merge, d, alive, ping);
    }

    public Delegates withAlive(AliveDelegate d) {
        return new Delegates(meta, messages, state, events, merge, conflict, d, ping);
    }

    public Delegates withPing(PingDelegate d) {
        return new Delegates(meta, messages, state, events, merge, conflict, alive, d);
    }
}
