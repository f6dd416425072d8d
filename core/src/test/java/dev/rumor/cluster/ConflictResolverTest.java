package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.cluster.wire.SerfCodec;
import dev.rumor.cluster.wire.SerfMessage;
import dev.rumor.membership.Node;
import dev.rumor.membership.NodeStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConflictResolverTest {
    private static final byte[] MINE = {10, 0, 0, 1};
    private static final byte[] THEIRS = {10, 0, 0, 2};
    private final Node me = new Node("x", MINE, 7946, new byte[0], NodeStatus.ALIVE, 1, new byte[6]);
    private final AtomicInteger quits = new AtomicInteger();
    private final ConflictResolver resolver = new ConflictResolver("x", true, () -> me, p -> null,
            quits::incrementAndGet);

    private static NodeResponse answer(String from, byte[] addr) {
        SerfMessage.MemberInfo info = addr == null ? null
                : new SerfMessage.MemberInfo("x", addr, 7946, Map.of(), 1, 1, 5, 2, 2, 5, 5);
        return new NodeResponse(from, SerfCodec.encode(new SerfMessage.ConflictResponse(info)));
    }

    @Test
    void majorityKeepsTheName() {
        assertTrue(resolver.decide(List.of(answer("a", MINE), answer("b", MINE), answer("c", THEIRS)), me));
        assertTrue(quits.get() == 0);
    }

    @Test
    void minorityQuits() {
        assertFalse(resolver.decide(List.of(answer("a", MINE), answer("b", THEIRS), answer("c", THEIRS)), me));
        assertTrue(quits.get() == 1);
    }

    @Test
    void noAnswersAtAllIsAMinorityLikeSerf() {
        // serf: "[0 / 0]" and both same-named nodes quit
        assertFalse(resolver.decide(List.of(), me));
    }

    @Test
    void undecodableAnswersAreNotCounted() {
        List<NodeResponse> junk = List.of(new NodeResponse("b", new byte[] {6, (byte) 0xc1}),
                new NodeResponse("c", null), new NodeResponse("d", new byte[] {8, (byte) 0x80}));
        // "unknown" (06 c0) counts as an answer that does not name us: 1 of 2 is not a majority
        List<NodeResponse> oneOfTwo = new java.util.ArrayList<>(junk);
        oneOfTwo.add(answer("a", MINE));
        oneOfTwo.add(answer("e", null));
        assertFalse(resolver.decide(oneOfTwo, me));
        // 2 of 3 counted answers is, whatever the junk
        List<NodeResponse> twoOfThree = new java.util.ArrayList<>(oneOfTwo);
        twoOfThree.add(answer("f", MINE));
        assertTrue(resolver.decide(twoOfThree, me));
    }
}
