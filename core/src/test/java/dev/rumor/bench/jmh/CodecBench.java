package dev.rumor.bench.jmh;

import dev.rumor.membership.wire.Codec;
import dev.rumor.membership.wire.CodecException;
import dev.rumor.membership.wire.Message;
import dev.rumor.membership.wire.PacketCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode/decode cost of the memberlist messages a node handles most: ping and ack (every probe), alive
 * (every join and refutation, and the bulk of gossip), a full gossip datagram (ping + as many alive
 * broadcasts as fit in 1,400 bytes, as a compound with CRC, as the Gossiper and Prober build it), and a
 * push/pull of 1,000 nodes (anti-entropy and join), with serf's default compression on the stream.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CodecBench {
    static final byte[] ADDR = {127, 0, 0, 1};
    static final byte[] VSN = {1, 5, 2, 2, 5, 4};
    /** serf's tag encoding of {role=web, dc=eu-west-1}, a typical small meta. */
    static final byte[] META = new byte[40];

    Message.Ping ping;
    Message.Ack ack;
    Message.Alive alive;
    byte[] pingBytes;
    byte[] ackBytes;
    byte[] aliveBytes;
    List<byte[]> gossipParts;
    byte[] gossipPacket;
    Message.PushPull pushPull;
    byte[] pushPullPlain;
    byte[] pushPullCompressed;
    final PacketCodec plain = new PacketCodec(null, false);
    final PacketCodec compressed = new PacketCodec(null, true);

    @Setup
    public void setup() {
        ping = new Message.Ping(123456, "node-0042.example", ADDR, 7946, "node-0007.example");
        // serf puts a Vivaldi coordinate (about 80 bytes of msgpack) in every ack
        ack = new Message.Ack(123456, new byte[86]);
        alive = new Message.Alive(17, "node-0042.example", ADDR, 7946, META, VSN);
        pingBytes = Codec.encode(ping);
        ackBytes = Codec.encode(ack);
        aliveBytes = Codec.encode(alive);
        gossipParts = new ArrayList<>();
        gossipParts.add(pingBytes);
        int used = pingBytes.length + 2;
        for (int i = 0; used + aliveBytes.length + 2 < 1398 - 2; i++) {
            byte[] a = Codec.encode(new Message.Alive(i, "node-" + (1000 + i) + ".example", ADDR, 7946, META, VSN));
            gossipParts.add(a);
            used += a.length + 2;
        }
        gossipPacket = plain.encodePacket(gossipParts, true);
        List<Message.PushNodeState> nodes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            nodes.add(new Message.PushNodeState("node-" + (1000 + i) + ".example",
                    new byte[] {10, 0, (byte) (i >> 8), (byte) i}, 7946, META, 1 + i % 5, 0, VSN));
        }
        pushPull = new Message.PushPull(false, nodes, new byte[2048]);
        pushPullPlain = plain.encodeStream(pushPull);
        pushPullCompressed = compressed.encodeStream(pushPull);
    }

    @Benchmark
    public byte[] encodePing() {
        return Codec.encode(ping);
    }

    @Benchmark
    public Message decodePing() throws CodecException {
        return Codec.decode(pingBytes);
    }

    @Benchmark
    public byte[] encodeAck() {
        return Codec.encode(ack);
    }

    @Benchmark
    public Message decodeAck() throws CodecException {
        return Codec.decode(ackBytes);
    }

    @Benchmark
    public byte[] encodeAlive() {
        return Codec.encode(alive);
    }

    @Benchmark
    public Message decodeAlive() throws CodecException {
        return Codec.decode(aliveBytes);
    }

    /** Framing only: the parts are already encoded (they sit encoded in the broadcast queue). */
    @Benchmark
    public byte[] encodeGossipCompound() {
        return plain.encodePacket(gossipParts, true);
    }

    @Benchmark
    public List<Message> decodeGossipCompound() throws CodecException {
        return plain.decodePacket(gossipPacket, e -> { });
    }

    @Benchmark
    public byte[] encodePushPull1000() {
        return plain.encodeStream(pushPull);
    }

    @Benchmark
    public Message decodePushPull1000() throws CodecException {
        return plain.decodeStream(pushPullPlain);
    }

    @Benchmark
    public byte[] encodePushPull1000Lzw() {
        return compressed.encodeStream(pushPull);
    }

    @Benchmark
    public Message decodePushPull1000Lzw() throws CodecException {
        return compressed.decodeStream(pushPullCompressed);
    }
}
