package dev.rumor.plugins.chef;

/**
 * An accepted user event waiting for, or served by, a chef run.
 *
 * @param event   user event name
 * @param ltime   its Lamport time (reported, so an operator can tell which deploy a result belongs to)
 * @param runList validated run-list override, or null
 */
record Trigger(String event, long ltime, String runList) {
}
