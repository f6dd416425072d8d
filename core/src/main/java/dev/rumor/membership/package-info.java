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
 *   <li><b>One queued broadcast per node</b> (an option here, off by default). memberlist keys its broadcast
 *       queue by node name, so a suspect from a second accuser replaces the first one's in every queue it
 *       reaches, including the first accuser's own; Lifeguard's timeout shrinks only with <em>distinct</em>
 *       accusers, so each replacement discards a confirmation others may not have heard yet. We key a
 *       suspect by node and accuser (at most {@code suspicionMult − 1} per node: the accusation that starts
 *       a timer plus the k = suspicionMult − 2 confirmations that can shorten it); an alive or dead about
 *       the node still invalidates all of them, and a newer suspect from the same accuser replaces its own
 *       ({@link dev.rumor.membership.TransmitLimitedQueue},
 *       {@link dev.rumor.membership.MembershipConfig#independentSuspicions()}). Go peers simply
 *       receive more suspect messages, which their suspicion logic counts the same way. Measured on the
 *       LAN profile (virtual time; 20, 50 and 100 nodes without and with 10&nbsp;% loss, 50 nodes with 30&nbsp;%): every survivor counts k confirmations,
 *       on average ~25&nbsp;% sooner (e.g. 0.74 s instead of 0.99 s after the first suspicion at 100
 *       nodes), but the time to declare a crashed node dead does not change, because with either queue the
 *       timers reach k about a second into the suspicion, long before the min timeout runs out — the
 *       cluster probes any given node about once per second and each failed probe is itself a confirmation.
 *       The detection time is first suspicion + min timeout + dissemination in both cases (1,000 nodes,
 *       3 seeds: identical to the millisecond). What does change: in the benchmark's stress case (10 of
 *       1,000 nodes lose 80&nbsp;% of packets and stream connections to them) faster confirmations leave
 *       such a node less time to refute, and in 2 of 3 seeds one of them was declared failed by the whole
 *       cluster and rejoined (~1,000 member-failed and member-join events) where memberlist's queue
 *       produced 14–22 scattered ones. No healthy node was affected differently. Hence off by default:
 *       serf's behaviour, with the option for clusters that prefer evicting degraded nodes sooner.</li>
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
