package dev.rumor.cluster;

import dev.rumor.cluster.wire.SerfCodec;
import dev.rumor.cluster.wire.SerfMessage;
import dev.rumor.cluster.wire.SerfMessageType;
import dev.rumor.msgpack.MsgpackException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serf's half of memberlist's push/pull (serf {@code delegate.go} {@code LocalState} /
 * {@code MergeRemoteState}, wire-protocol §7.10): what we send is our three clocks, every member's
 * status time, the left members and the whole user-event ring; what we merge is turned into intents and
 * replayed events.
 *
 * <p>Merge rules: witness each remote clock minus one; each left member becomes a leave intent at its
 * status time + 1, every other entry a join intent at its status time; on a join that must not replay
 * history, raise the event minimum time to the remote event clock; then replay every remote event through
 * the normal path with "can coalesce" off.
 *
 * <p>Thread contract: not thread-safe; protocol thread.
 */
final class StateExchange {
    private static final Logger LOG = LoggerFactory.getLogger(StateExchange.class);

    private final LamportClock memberClock;
    private final MemberTable table;
    private final UserEvents userEvents;
    private final LamportClock queryClock;
    private final BooleanSupplier selfAlive;
    private final Consumer<String> leftElsewhere;
    private final Runnable refute;

    /**
     * @param leftElsewhere told each member the remote lists as left, after its leave intent was applied
     * @param refute        broadcasts a fresh join intent for us (while {@code selfAlive})
     */
    StateExchange(LamportClock memberClock, MemberTable table, UserEvents userEvents, LamportClock queryClock,
                  BooleanSupplier selfAlive, Consumer<String> leftElsewhere, Runnable refute) {
        this.memberClock = memberClock;
        this.table = table;
        this.userEvents = userEvents;
        this.queryClock = queryClock;
        this.selfAlive = selfAlive;
        this.leftElsewhere = leftElsewhere;
        this.refute = refute;
    }

    byte[] localState() {
        return SerfCodec.encode(new SerfMessage.PushPull(memberClock.time(), table.statusLTimes(),
                table.leftMemberNames(), userEvents.clock().time(), userEvents.slots(), queryClock.time()));
    }

    /**
     * @param ignoreOldEvents this is our own join, done without replay
     */
    void merge(byte[] buf, boolean join, boolean ignoreOldEvents) {
        if (buf == null || buf.length == 0) {
            LOG.error("Remote state is zero bytes");
            return;
        }
        if (buf[0] != SerfMessageType.PUSH_PULL.code()) {
            LOG.error("Remote state has bad type prefix: {}", buf[0] & 0xff);
            return;
        }
        SerfMessage.PushPull pp;
        try {
            pp = (SerfMessage.PushPull) SerfCodec.decode(buf);
        } catch (MsgpackException e) {
            LOG.error("Failed to decode remote state: {}", e.getMessage());
            return;
        }
        if (pp.ltime() != 0) {
            memberClock.witness(pp.ltime() - 1);
        }
        if (pp.eventLTime() != 0) {
            userEvents.clock().witness(pp.eventLTime() - 1);
        }
        if (pp.queryLTime() != 0) {
            queryClock.witness(pp.queryLTime() - 1);
        }
        // Rumor, beyond serf: a peer that holds a newer status time for us than we do has applied an intent
        // about us that never reached us, a leave (serf's force-leave of a live node) that we would have
        // refuted. serf refutes only the intent itself, so everyone else keeps a node the intent missed as
        // leaving; we refute on the first push/pull that shows it.
        String self = table.self();
        Long theirs = pp.statusLTimes().get(self);
        MemberTable.State ours = table.state(self);
        boolean missedIntent = theirs != null && (ours == null || Long.compareUnsigned(theirs, ours.statusLTime) > 0)
                || pp.leftMembers().contains(self);
        Set<String> left = new HashSet<>(pp.leftMembers());
        for (String name : pp.leftMembers()) {
            long lt = pp.statusLTimes().getOrDefault(name, 0L) + 1;
            table.leaveIntent(new SerfMessage.Leave(lt, name, false), selfAlive.getAsBoolean());
            leftElsewhere.accept(name);
        }
        pp.statusLTimes().forEach((name, lt) -> {
            if (!left.contains(name)) {
                table.joinIntent(new SerfMessage.Join(lt, name));
            }
        });
        if (missedIntent && selfAlive.getAsBoolean()) {
            LOG.debug("Refuting a newer status time for us from a push/pull");
            refute.run();
        }
        if (join && ignoreOldEvents) {
            userEvents.buffer().raiseMinTime(pp.eventLTime());
        }
        for (SerfMessage.EventSlot slot : pp.events()) {
            if (slot == null) {
                continue;
            }
            for (SerfMessage.EventEntry e : slot.events()) {
                userEvents.receive(new SerfMessage.UserEvent(slot.ltime(), e.name(), e.payload(), false));
            }
        }
    }
}
