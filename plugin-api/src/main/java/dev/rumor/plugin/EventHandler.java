package dev.rumor.plugin;

import dev.rumor.plugin.event.Event;

/**
 * One configured handler instance. The host calls {@link #handle} on the instance's own worker thread,
 * one event at a time, in the order the events happened; a call may block (run a process, make an
 * HTTP request) but is interrupted when it exceeds the instance's timeout. The host applies the
 * instance's event filter before calling, so a handler only sees events it was configured for.
 */
public interface EventHandler extends AutoCloseable {

    /**
     * Handles one event. An exception is logged and counted by the host; it does not stop the handler
     * from receiving the next event.
     */
    void handle(Event event) throws Exception;

    /** Releases resources; called once when the instance is removed (reload, shutdown). Must not block long. */
    @Override
    default void close() {
    }
}
