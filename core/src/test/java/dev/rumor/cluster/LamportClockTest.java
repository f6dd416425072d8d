package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LamportClockTest {

    @Test
    void followsSerfRules() {
        LamportClock l = new LamportClock();
        assertEquals(0, l.time());
        assertEquals(1, l.increment());
        assertEquals(1, l.time());
        l.witness(41);
        assertEquals(42, l.time());
        l.witness(41);
        assertEquals(42, l.time(), "older value changes nothing");
        l.witness(30);
        assertEquals(42, l.time());
        l.witness(42);
        assertEquals(43, l.time(), "equal value moves past it");
    }

    @Test
    void concurrentUpdatesAreNeverLost() throws InterruptedException {
        LamportClock l = new LamportClock();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    l.increment();
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(40_000, l.time());

        LamportClock w = new LamportClock();
        threads.clear();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    w.witness(i);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(10_000, w.time(), "concurrent witnesses end one past the largest value");
    }
}
