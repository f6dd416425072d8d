/**
 * The plugin host: loads event-handler plugins (PF4J jars) and runs configured handler instances.
 *
 * <ul>
 *   <li>{@link dev.rumor.agent.plugin.PluginHost} loads jars from the plugins directory, one
 *       {@code JarPluginManager} per jar, and turns {@link dev.rumor.agent.plugin.HandlerSpec}s into live
 *       instances; {@code reload} is a validated generation swap (SIGHUP), keeping unchanged instances.</li>
 *   <li>{@link dev.rumor.agent.plugin.EventDispatcher} is the last stage of the event pipeline: it filters
 *       ({@link dev.rumor.agent.plugin.EventFilter}, serf's syntax plus tag selection) and enqueues; it never
 *       blocks the caller.</li>
 *   <li>Each instance has its own bounded queue and worker thread(s), a timeout that interrupts a hung call,
 *       serf's 1 s slow warning, and counters ({@link dev.rumor.agent.plugin.InstanceStats}). Failures of one
 *       instance never reach another one or the caller.</li>
 *   <li>Serf's {@code event_handlers} strings become instances of the {@code shell-exec} plugin
 *       ({@link dev.rumor.agent.plugin.HandlerSpec#fromSerfEventHandlers}), so a serf config works unchanged.</li>
 * </ul>
 *
 * <p>Differences from serf, on purpose: serf runs all scripts one after another on its event loop, so one
 * slow script delays every other; here each instance runs independently (events stay ordered per instance),
 * and a call that exceeds its timeout (default 60 s) is interrupted.
 */
package dev.rumor.agent.plugin;
