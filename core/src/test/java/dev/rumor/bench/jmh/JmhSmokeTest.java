package dev.rumor.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Every microbenchmark of {@code bench/jmh.sh} runs once, briefly, in this JVM, with its real setup (the
 * 1,000-node push/pull, the keyring, the deep queue), and produces a score. Benchmarks are only built and run
 * by hand otherwise, so without this a change to the codec or the queue could leave them broken unnoticed.
 * The figures themselves mean nothing here (no fork, no warm-up); they come from {@code bench/jmh.sh}.
 */
class JmhSmokeTest {
    @Test
    void everyBenchmarkRunsAndScores() throws RunnerException {
        Options opts = new OptionsBuilder()
                .include("^" + JmhSmokeTest.class.getPackageName().replace(".", "\\.") + "\\.")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20))
                .timeUnit(TimeUnit.NANOSECONDS)
                .verbosity(VerboseMode.SILENT)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(opts).run();

        Set<String> ran = new TreeSet<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            ran.add(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1));
            double score = r.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), name + " " + r.getParams() + " scored " + score);
        }
        // 16 benchmark methods; the @Param values of two of them make 20 runs.
        assertEquals(Set.of(
                "BroadcastQueueBench.queueAndTake",
                "CipherBench.encrypt", "CipherBench.decrypt", "CipherBench.decryptSecondKey",
                "CodecBench.encodePing", "CodecBench.decodePing", "CodecBench.encodeAck", "CodecBench.decodeAck",
                "CodecBench.encodeAlive", "CodecBench.decodeAlive",
                "CodecBench.encodeGossipCompound", "CodecBench.decodeGossipCompound",
                "CodecBench.encodePushPull1000", "CodecBench.decodePushPull1000",
                "CodecBench.encodePushPull1000Lzw", "CodecBench.decodePushPull1000Lzw"), ran);
        assertEquals(20, results.size());
    }
}
