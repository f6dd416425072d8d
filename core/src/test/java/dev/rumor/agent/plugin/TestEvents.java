package dev.rumor.agent.plugin;

import dev.rumor.plugin.Member;
import dev.rumor.plugin.MemberStatus;
import dev.rumor.plugin.event.EventType;
import dev.rumor.plugin.event.MemberEvent;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Event builders and bounded polling for the plugin host tests. */
final class TestEvents {

    private TestEvents() {
    }

    static Member member(String name, Map<String, String> tags) {
        return new Member(name, "127.0.0.1", 7946, tags, MemberStatus.ALIVE);
    }

    static UserEvent user(String name) {
        return new UserEvent(1, name, name.getBytes(StandardCharsets.UTF_8), false);
    }

    static QueryEvent query(String name) {
        return new QueryEvent(1, 1, name, new byte[0], Instant.now().plusSeconds(10));
    }

    static MemberEvent join(Member... members) {
        return new MemberEvent(EventType.MEMBER_JOIN, List.of(members));
    }

    /** Polls until {@code condition} holds (bounded; fails with {@code describe}). */
    static void await(Duration timeout, BooleanSupplier condition, Supplier<String> describe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not met within " + timeout + ": " + describe.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
