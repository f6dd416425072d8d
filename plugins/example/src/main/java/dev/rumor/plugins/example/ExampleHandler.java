package dev.rumor.plugins.example;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.HandlerContext;
import dev.rumor.plugin.Member;
import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.MemberEvent;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import java.nio.charset.StandardCharsets;

/**
 * Logs each event through the instance's logger ({@code rumor.handler.<instance>}).
 *
 * <p>The host calls {@link #handle} on this instance's own worker thread, one event at a time and in order,
 * so no locking is needed. Blocking is allowed (the host interrupts a call that exceeds the instance
 * timeout); throwing is allowed too (the host logs and counts it, and the next event still arrives).
 */
final class ExampleHandler implements EventHandler {

    private final HandlerContext context;
    private final String prefix;

    ExampleHandler(HandlerContext context, String prefix) {
        this.context = context;
        this.prefix = prefix;
    }

    @Override
    public void handle(Event event) {
        // Event is sealed: member changes, user events and queries are the only kinds.
        if (event instanceof MemberEvent e) {
            for (Member m : e.members()) {
                context.logger().info("{}: {} {} {}:{} {}", prefix, e.type().wireName(), m.name(), m.address(),
                        m.port(), m.tags());
            }
        } else if (event instanceof UserEvent e) {
            context.logger().info("{}: user event '{}' ltime={} payload={}", prefix, e.name(), e.ltime(),
                    new String(e.payload(), StandardCharsets.UTF_8));
        } else if (event instanceof QueryEvent e) {
            context.logger().info("{}: query '{}' ltime={} payload={}", prefix, e.name(), e.ltime(),
                    new String(e.payload(), StandardCharsets.UTF_8));
            // A handler that wants to answer calls context.respond(e, bytes) before e.deadline().
        }
    }

    /** Called when the instance is removed (reload, shutdown): release threads, sockets, files here. */
    @Override
    public void close() {
        context.logger().debug("{}: closed", prefix);
    }
}
