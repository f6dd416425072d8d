/**
 * Cluster membership and failure detection: SWIM with the Lifeguard refinements, wire compatible with
 * HashiCorp memberlist 0.2.x (the library inside serf 0.8/0.9).
 *
 * <h2>Mechanism</h2>
 * <ul>
 *   <li><b>Failure detection</b> ({@link dev.rumor.membership.Prober}): one probe per interval, round-robin
 *       over a shuffled list; direct ping, then {@code indirectChecks} helpers and a TCP ping (SWIM: Das,
 *       Gupta, Motivala, DSN 2002).</li>
 *   <li><b>Suspicion</b> ({@link dev.rumor.membership.MembershipState},
 *       {@link dev.rumor.membership.Suspicion}): a failed probe only suspects; the node has a timeout to
 *       refute with a higher incarnation (SWIM's suspicion mechanism). Lifeguard's local health aware
 *       suspicion (Dadgar, Phillips, Currey 2018, arXiv:1707.00788): the timeout starts at max and shrinks logarithmically with
 *       independent confirmations.</li>
 *   <li><b>Local health</b> ({@link dev.rumor.membership.Awareness}): Lifeguard's local health aware
 *       probe: missed nacks and refutations slow our own probing. Lifeguard's buddy system: probes
 *       of a suspect carry the suspicion so the target learns it at once.</li>
 *   <li><b>Dissemination</b> ({@link dev.rumor.membership.Gossiper},
 *       {@link dev.rumor.membership.TransmitLimitedQueue}): infection-style gossip piggybacked on probes and
 *       sent to random peers, each message retransmitted {@code retransmitMult × ceil(log10(n+1))} times
 *       (SWIM's infection-style dissemination).</li>
 *   <li><b>Anti-entropy and join</b> ({@link dev.rumor.membership.PushPull}): periodic full-state exchange
 *       over a stream, scaled with cluster size; a join is one such exchange.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Everything runs on one injected {@link dev.rumor.time.Scheduler} thread; transports only enqueue. Nothing
 * here reads the system clock or creates threads, so simulations run on virtual time and replay from a
 * seed. {@link dev.rumor.membership.Memberlist} is the thread-safe facade.
 *
 * <h2>Where memberlist (and therefore this package, for compatibility) differs from what SWIM/Lifeguard intend</h2>
 * <ul>
 *   <li><b>LIFO handoff.</b> Queued state messages are applied newest first, so the parts of one compound
 *       are applied in reverse order (see {@link dev.rumor.membership.Receiver}).</li>
 *   <li><b>One queued broadcast per node.</b> The broadcast queue is keyed by node name, so a suspect from a
 *       second accuser replaces the first one's; Lifeguard's independent confirmations therefore spread
 *       mostly through each peer's own failed probes rather than through gossip.</li>
 *   <li><b>n counts the departed.</b> Every formula scales with all known nodes, including dead ones not yet
 *       reaped and left ones (never reaped at this level in 0.2.x), so a cluster with much churn uses longer
 *       suspicion timeouts and more retransmissions than its live size warrants.</li>
 *   <li><b>Deaf nodes flap.</b> A node that can send but not receive is declared dead, forgotten after
 *       GossipToTheDeadTime, and then re-added by its next push/pull as if it had joined; it can never refute.</li>
 *   <li><b>Refutation key.</b> memberlist queues a refutation under our IP address instead of our name, so a
 *       stale suspect about us stays in our own queue; we queue it under our name (peers see no difference
 *       beyond one message fewer).</li>
 * </ul>
 */
package dev.rumor.membership;
