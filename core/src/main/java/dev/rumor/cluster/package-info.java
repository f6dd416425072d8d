/**
 * The serf layer: application-level cluster semantics on top of {@link dev.rumor.membership} (SWIM +
 * Lifeguard), wire compatible with HashiCorp serf 0.9 (wire-protocol.md §7).
 *
 * <p>Memberlist only knows alive, suspect, dead and left. Serf adds Lamport-clocked <em>intents</em> so a
 * graceful leave is told apart from a crash ({@link dev.rumor.cluster.MemberTable}: alive, leaving, left,
 * failed), reliable-enough <em>user events</em> delivered once per node ({@link dev.rumor.cluster.UserEvents},
 * {@link dev.rumor.cluster.UserEventBuffer}), request/response <em>queries</em> with filters, acks and relays
 * ({@link dev.rumor.cluster.Queries}, {@link dev.rumor.cluster.QueryResponses}), tags carried as node
 * metadata ({@link dev.rumor.cluster.Tags}), anti-entropy of all that in memberlist's push/pull
 * ({@link dev.rumor.cluster.StateExchange}), internal {@code _serf_} queries for key rotation and name
 * conflicts, and a snapshot file for restarts.
 *
 * <p>Everything rides on memberlist through its delegate interfaces only
 * ({@link dev.rumor.cluster.ClusterDelegate}); {@code membership} never imports this package. All state is
 * owned by the single protocol thread of the shared {@link dev.rumor.time.Scheduler}; the
 * {@link dev.rumor.cluster.Cluster} facade hops onto it and publishes immutable snapshots for readers.
 * Time comes from the scheduler's clock, so the whole layer runs in virtual time in simulations.
 */
package dev.rumor.cluster;
