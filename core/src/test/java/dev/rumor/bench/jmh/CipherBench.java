package dev.rumor.bench.jmh;

import dev.rumor.security.PacketCipher;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Random;
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
 * AES-GCM packet encryption as every encrypted datagram pays it (the current version, 1: no padding),
 * for a probe-sized and a full gossip-sized packet, with a 32-byte key. Decryption tries the
 * keys in keyring order, so the two-key case measures a packet sealed with the second (rotated-out) key.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CipherBench {
    @Param({"64", "1400"})
    int size;

    byte[] key;
    byte[] other;
    byte[] plain;
    byte[] sealed;
    byte[] sealedWithSecond;

    @Setup
    public void setup() {
        Random r = new Random(1);
        key = new byte[32];
        other = new byte[32];
        r.nextBytes(key);
        r.nextBytes(other);
        plain = new byte[size];
        r.nextBytes(plain);
        sealed = PacketCipher.encrypt(PacketCipher.CURRENT_VERSION, key, plain, null);
        sealedWithSecond = PacketCipher.encrypt(PacketCipher.CURRENT_VERSION, other, plain, null);
    }

    @Benchmark
    public byte[] encrypt() {
        return PacketCipher.encrypt(PacketCipher.CURRENT_VERSION, key, plain, null);
    }

    @Benchmark
    public byte[] decrypt() throws GeneralSecurityException {
        return PacketCipher.decrypt(List.of(key), sealed, null);
    }

    @Benchmark
    public byte[] decryptSecondKey() throws GeneralSecurityException {
        return PacketCipher.decrypt(List.of(key, other), sealedWithSecond, null);
    }
}
