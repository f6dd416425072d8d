package dev.rumor.membership;

import dev.rumor.security.Keyring;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the membership layer can be tuned with (memberlist {@code config.go}). Start from a profile
 * ({@link #lan}, {@link #wan}, {@link #local}) and change fields with {@link #toBuilder()}.
 *
 * <p>The LAN values are the ones the real serf agent uses; nodes of a mixed Java/Go cluster must use the
 * same timings or they will suspect each other at different rates. Derived quantities (n = number of
 * nodes this node knows, in any state):
 * <ul>
 *   <li>retransmit limit = {@code retransmitMult × ceil(log10(n + 1))} (LAN: n=2 → 4, n=100 → 12);</li>
 *   <li>suspicion min = {@code suspicionMult × max(1, log10(n)) × probeInterval} (LAN, n ≤ 10: 4 s),
 *       max = {@code suspicionMaxTimeoutMult × min} (24 s); both × {@code (health + 1)};</li>
 *   <li>push/pull period = {@code pushPullInterval × (ceil(log2(n) − 5) + 1)} above 32 nodes;</li>
 *   <li>effective probe interval = {@code probeInterval × (health + 1)}, health ∈ [0, awarenessMaxMultiplier − 1].</li>
 * </ul>
 *
 * @param name                    unique node name in the cluster
 * @param bindAddress             where a real transport listens (the in-memory one ignores it)
 * @param advertiseAddress        what peers should dial; null = ask the transport
 * @param protocolMin             memberlist protocol versions we understand / speak (Vsn bytes 0..2);
 * @param protocolMax             serf 0.9 nodes advertise 1, 5, 2
 * @param protocolCur             see protocolMin
 * @param delegateMin             delegate (serf) protocol versions (Vsn bytes 3..5); serf: 2, 5, 5
 * @param delegateMax             see delegateMin
 * @param delegateCur             see delegateMin
 * @param tcpTimeout              deadline of a whole stream exchange (push/pull, join)
 * @param indirectChecks          helpers asked to probe a node that missed its direct ack
 * @param retransmitMult          gossip retransmissions, scaled by log10 of the cluster size
 * @param suspicionMult           suspicion timeout multiplier (of probeInterval × log10(n))
 * @param suspicionMaxTimeoutMult max suspicion timeout = this × min (Lifeguard)
 * @param pushPullInterval        base period of full-state anti-entropy; zero disables it
 * @param probeInterval           one failure-detection probe per interval; zero disables probing
 * @param probeTimeout            wait for a direct ack before asking helpers; roughly the 99th-percentile RTT
 * @param disableTcpPings         do not use the TCP fallback probe
 * @param awarenessMaxMultiplier  Lifeguard: probe interval stretches up to this factor
 * @param gossipNodes             peers each gossip round sends to
 * @param gossipInterval          period of gossip rounds; zero disables gossip
 * @param gossipToTheDeadTime     keep gossiping to a dead node this long so it can learn it was declared
 *                                dead and refute; dead nodes are forgotten after it
 * @param compression             LZW-compress packets (when smaller) and streams (always)
 * @param keyring                 AES-GCM keys for packets and streams; null = no encryption. Shared and
 *                                mutable (key rotation), so it is held by reference
 * @param handoffQueueDepth       max queued alive/suspect/dead/user messages waiting to be handled
 * @param udpBufferSize           byte budget of one packet including piggybacked gossip
 * @param deadNodeReclaimTime     a dead node's name may be reused by another address after this; zero = never
 * @param randomSeed              seed of the protocol's random choices (probe order, helpers, gossip
 *                                targets, staggers); null = unpredictable
 * @param independentSuspicions   queue suspects of one node from different accusers side by side (up to
 *                                {@code suspicionMult − 1} of them) so Lifeguard's confirmations spread by
 *                                gossip; false = memberlist's one queued broadcast per node. Wire compatible
 *                                either way (see {@link TransmitLimitedQueue}). Default false: it did not
 *                                shorten failure detection and made badly lossy nodes flap cluster-wide
 *                                more often (see the package documentation)
 * @param joinSyncInterval        Rumor, beyond memberlist: after a successful join, push/pull with a random
 *                                alive member every interval for as long as this node keeps learning of new
 *                                members between two rounds (many nodes joining at once); stops at the first
 *                                quiet interval, so a lone joiner of a settled cluster sends nothing extra.
 *                                An ordinary push/pull on the wire; zero disables it
 * @param directFanout            Rumor, beyond memberlist: a message this node originates through
 *                                {@link Memberlist#fanOut} (serf: its own user events, queries and intents),
 *                                and its leave, also goes at once, as one datagram each, to this many random
 *                                alive members, so clusters up to this size get it in one hop; the gossip
 *                                that follows is unchanged. Zero disables it
 * @param failOnRefusedProbe      Rumor, beyond memberlist: when a probe got no ack and the TCP fallback ping
 *                                was refused (the target host's kernel answered that nothing listens on
 *                                the gossip port), declare the node dead at the end of the round instead
 *                                of starting a suspicion. A process that can still refute still holds its
 *                                listening socket, and a slow or overloaded one still completes the TCP
 *                                handshake in its kernel, so the refutation window protects nobody here;
 *                                a crashed agent on a live host is detected in ~one probe round instead
 *                                of the suspicion timeout. Host or network failures (timeouts, no
 *                                refusal) take the normal Lifeguard path. Only where a firewall rejects
 *                                TCP to the gossip port while UDP is lossy could it misjudge a live node,
 *                                and such a node cannot push/pull either
 * @param interner                canonicalises the names and byte arrays stored per member; {@link Interner#NONE}
 *                                (the default; null means it) for an agent, one {@link Interner#shared()} for
 *                                all nodes of an in-JVM simulation so their views share equal values
 * @param lastChancePing          Rumor, beyond memberlist: when a suspicion times out, ping the node once more
 *                                (with the suspicion attached) and declare it dead only if that goes
 *                                unanswered within probeTimeout; a node that answers is suspected again. A
 *                                healthy node whose refutation this view missed is then not failed by it
 */
public record MembershipConfig(
        String name,
        InetSocketAddress bindAddress,
        InetSocketAddress advertiseAddress,
        int protocolMin, int protocolMax, int protocolCur,
        int delegateMin, int delegateMax, int delegateCur,
        Duration tcpTimeout,
        int indirectChecks,
        int retransmitMult,
        int suspicionMult,
        int suspicionMaxTimeoutMult,
        Duration pushPullInterval,
        Duration probeInterval,
        Duration probeTimeout,
        boolean disableTcpPings,
        int awarenessMaxMultiplier,
        int gossipNodes,
        Duration gossipInterval,
        Duration gossipToTheDeadTime,
        boolean compression,
        Keyring keyring,
        int handoffQueueDepth,
        int udpBufferSize,
        Duration deadNodeReclaimTime,
        Long randomSeed,
        boolean independentSuspicions,
        Duration joinSyncInterval,
        int directFanout,
        boolean failOnRefusedProbe,
        Interner interner,
        boolean lastChancePing) {

    /** Default gossip port of serf/memberlist. */
    public static final int DEFAULT_PORT = 7946;

    /** Max bytes of node metadata (memberlist {@code MetaMaxSize}). */
    public static final int META_MAX_SIZE = 512;

    public MembershipConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tcpTimeout, "tcpTimeout");
        Objects.requireNonNull(pushPullInterval, "pushPullInterval");
        Objects.requireNonNull(probeInterval, "probeInterval");
        Objects.requireNonNull(probeTimeout, "probeTimeout");
        Objects.requireNonNull(gossipInterval, "gossipInterval");
        Objects.requireNonNull(gossipToTheDeadTime, "gossipToTheDeadTime");
        Objects.requireNonNull(deadNodeReclaimTime, "deadNodeReclaimTime");
        Objects.requireNonNull(joinSyncInterval, "joinSyncInterval");
        interner = interner == null ? Interner.NONE : interner;
        if (protocolMin < 1 || protocolMin > protocolMax || protocolCur < protocolMin || protocolCur > protocolMax) {
            throw new IllegalArgumentException("bad protocol versions " + protocolMin + "/" + protocolMax + "/" + protocolCur);
        }
        if (directFanout < 0) {
            throw new IllegalArgumentException("directFanout must be >= 0");
        }
        if (awarenessMaxMultiplier < 1) {
            throw new IllegalArgumentException("awarenessMaxMultiplier must be >= 1");
        }
    }

    /**
     * The LAN profile (memberlist {@code DefaultLANConfig}, what serf uses by default): 1 s probes with a
     * 500 ms ack timeout, 3 indirect helpers, gossip to 3 nodes every 200 ms, push/pull every 30 s.
     */
    public static MembershipConfig lan(String name) {
        return new MembershipConfig(name,
                new InetSocketAddress("0.0.0.0", DEFAULT_PORT), null,
                1, 5, 2, 2, 5, 5,
                Duration.ofSeconds(10), 3, 4, 4, 6,
                Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMillis(500),
                false, 8, 3, Duration.ofMillis(200), Duration.ofSeconds(30),
                true, null, 1024, 1400, Duration.ZERO, null, false, Duration.ofSeconds(1), 32, true,
                Interner.NONE, true);
    }

    /**
     * The WAN profile (memberlist {@code DefaultWANConfig}): derived from LAN with slower, more
     * tolerant timings for high-latency links.
     */
    public static MembershipConfig wan(String name) {
        return lan(name).toBuilder()
                .tcpTimeout(Duration.ofSeconds(30))
                .suspicionMult(6)
                .pushPullInterval(Duration.ofSeconds(60))
                .probeTimeout(Duration.ofSeconds(3))
                .probeInterval(Duration.ofSeconds(5))
                .gossipNodes(4)
                .gossipInterval(Duration.ofMillis(500))
                .gossipToTheDeadTime(Duration.ofSeconds(60))
                .joinSyncInterval(Duration.ofSeconds(5))
                .build();
    }

    /**
     * The local (loopback) profile (memberlist {@code DefaultLocalConfig}): derived from LAN with faster
     * timings and fewer helpers.
     */
    public static MembershipConfig local(String name) {
        return lan(name).toBuilder()
                .tcpTimeout(Duration.ofSeconds(1))
                .indirectChecks(1)
                .retransmitMult(2)
                .suspicionMult(3)
                .pushPullInterval(Duration.ofSeconds(15))
                .probeTimeout(Duration.ofMillis(200))
                .probeInterval(Duration.ofSeconds(1))
                .gossipInterval(Duration.ofMillis(100))
                .gossipToTheDeadTime(Duration.ofSeconds(15))
                .build();
    }

    /** The 6-byte version vector sent in alive messages: pmin, pmax, pcur, dmin, dmax, dcur. */
    public byte[] vsn() {
        return new byte[] {(byte) protocolMin, (byte) protocolMax, (byte) protocolCur,
            (byte) delegateMin, (byte) delegateMax, (byte) delegateCur};
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copy-and-change helper; every setter returns the builder. */
    public static final class Builder {
        private String name;
        private InetSocketAddress bindAddress;
        private InetSocketAddress advertiseAddress;
        private int protocolMin;
        private int protocolMax;
        private int protocolCur;
        private int delegateMin;
        private int delegateMax;
        private int delegateCur;
        private Duration tcpTimeout;
        private int indirectChecks;
        private int retransmitMult;
        private int suspicionMult;
        private int suspicionMaxTimeoutMult;
        private Duration pushPullInterval;
        private Duration probeInterval;
        private Duration probeTimeout;
        private boolean disableTcpPings;
        private int awarenessMaxMultiplier;
        private int gossipNodes;
        private Duration gossipInterval;
        private Duration gossipToTheDeadTime;
        private boolean compression;
        private Keyring keyring;
        private int handoffQueueDepth;
        private int udpBufferSize;
        private Duration deadNodeReclaimTime;
        private Long randomSeed;
        private boolean independentSuspicions;
        private Duration joinSyncInterval;
        private int directFanout;
        private boolean failOnRefusedProbe;
        private Interner interner;
        private boolean lastChancePing;

        private Builder(MembershipConfig c) {
            name = c.name;
            bindAddress = c.bindAddress;
            advertiseAddress = c.advertiseAddress;
            protocolMin = c.protocolMin;
            protocolMax = c.protocolMax;
            protocolCur = c.protocolCur;
            delegateMin = c.delegateMin;
            delegateMax = c.delegateMax;
            delegateCur = c.delegateCur;
            tcpTimeout = c.tcpTimeout;
            indirectChecks = c.indirectChecks;
            retransmitMult = c.retransmitMult;
            suspicionMult = c.suspicionMult;
            suspicionMaxTimeoutMult = c.suspicionMaxTimeoutMult;
            pushPullInterval = c.pushPullInterval;
            probeInterval = c.probeInterval;
            probeTimeout = c.probeTimeout;
            disableTcpPings = c.disableTcpPings;
            awarenessMaxMultiplier = c.awarenessMaxMultiplier;
            gossipNodes = c.gossipNodes;
            gossipInterval = c.gossipInterval;
            gossipToTheDeadTime = c.gossipToTheDeadTime;
            compression = c.compression;
            keyring = c.keyring;
            handoffQueueDepth = c.handoffQueueDepth;
            udpBufferSize = c.udpBufferSize;
            deadNodeReclaimTime = c.deadNodeReclaimTime;
            randomSeed = c.randomSeed;
            independentSuspicions = c.independentSuspicions;
            joinSyncInterval = c.joinSyncInterval;
            directFanout = c.directFanout;
            failOnRefusedProbe = c.failOnRefusedProbe;
            interner = c.interner;
            lastChancePing = c.lastChancePing;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder bindAddress(InetSocketAddress v) { bindAddress = v; return this; }
        public Builder advertiseAddress(InetSocketAddress v) { advertiseAddress = v; return this; }
        public Builder protocolVersions(int min, int max, int cur) { protocolMin = min; protocolMax = max; protocolCur = cur; return this; }
        public Builder delegateVersions(int min, int max, int cur) { delegateMin = min; delegateMax = max; delegateCur = cur; return this; }
        public Builder tcpTimeout(Duration v) { tcpTimeout = v; return this; }
        public Builder indirectChecks(int v) { indirectChecks = v; return this; }
        public Builder retransmitMult(int v) { retransmitMult = v; return this; }
        public Builder suspicionMult(int v) { suspicionMult = v; return this; }
        public Builder suspicionMaxTimeoutMult(int v) { suspicionMaxTimeoutMult = v; return this; }
        public Builder pushPullInterval(Duration v) { pushPullInterval = v; return this; }
        public Builder probeInterval(Duration v) { probeInterval = v; return this; }
        public Builder probeTimeout(Duration v) { probeTimeout = v; return this; }
        public Builder disableTcpPings(boolean v) { disableTcpPings = v; return this; }
        public Builder awarenessMaxMultiplier(int v) { awarenessMaxMultiplier = v; return this; }
        public Builder gossipNodes(int v) { gossipNodes = v; return this; }
        public Builder gossipInterval(Duration v) { gossipInterval = v; return this; }
        public Builder gossipToTheDeadTime(Duration v) { gossipToTheDeadTime = v; return this; }
        public Builder compression(boolean v) { compression = v; return this; }
        public Builder keyring(Keyring v) { keyring = v; return this; }
        public Builder handoffQueueDepth(int v) { handoffQueueDepth = v; return this; }
        public Builder udpBufferSize(int v) { udpBufferSize = v; return this; }
        public Builder deadNodeReclaimTime(Duration v) { deadNodeReclaimTime = v; return this; }
        public Builder randomSeed(Long v) { randomSeed = v; return this; }
        public Builder independentSuspicions(boolean v) { independentSuspicions = v; return this; }
        public Builder joinSyncInterval(Duration v) { joinSyncInterval = v; return this; }
        public Builder directFanout(int v) { directFanout = v; return this; }
        public Builder failOnRefusedProbe(boolean v) { failOnRefusedProbe = v; return this; }
        public Builder interner(Interner v) { interner = v; return this; }
        public Builder lastChancePing(boolean v) { lastChancePing = v; return this; }

        public MembershipConfig build() {
            return new MembershipConfig(name, bindAddress, advertiseAddress,
                    protocolMin, protocolMax, protocolCur, delegateMin, delegateMax, delegateCur,
                    tcpTimeout, indirectChecks, retransmitMult, suspicionMult, suspicionMaxTimeoutMult,
                    pushPullInterval, probeInterval, probeTimeout, disableTcpPings, awarenessMaxMultiplier,
                    gossipNodes, gossipInterval, gossipToTheDeadTime, compression, keyring, handoffQueueDepth,
                    udpBufferSize, deadNodeReclaimTime, randomSeed, independentSuspicions, joinSyncInterval,
                    directFanout, failOnRefusedProbe, interner, lastChancePing);
        }
    }
}
