package dev.rumor.bench.jmh;

import dev.rumor.membership.Broadcast;
import dev.rumor.membership.TransmitLimitedQueue;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The broadcast queue on the gossip path, in a 1,000-node cluster (retransmit limit 16): one gossip tick
 * takes what fits in a 1,400-byte packet from a queue of {@code depth} ~60-byte alive broadcasts while new
 * ones keep arriving (one queued per take, each replacing the broadcast about the same node), so the queue
 * stays at its depth.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class BroadcastQueueBench {
    @Param({"10", "1000"})
    int depth;

    TransmitLimitedQueue queue;
    String[] names;
    byte[] msg = new byte[60];
    int next;

    @Setup
    public void setup() {
        queue = new TransmitLimitedQueue(() -> 1000, 4);
        names = new String[depth * 4];
        for (int i = 0; i < names.length; i++) {
            names[i] = "node-" + i;
        }
        for (int i = 0; i < depth; i++) {
            queue.queue(new Broadcast(names[i], msg, null));
        }
    }

    @Benchmark
    public List<byte[]> queueAndTake() {
        // Keep the depth: refill what finished its retransmits.
        while (queue.size() < depth) {
            queue.queue(new Broadcast(names[next++ % names.length], msg, null));
        }
        queue.queue(new Broadcast(names[next++ % names.length], msg, null));
        return queue.getBroadcasts(2, 1398);
    }
}
