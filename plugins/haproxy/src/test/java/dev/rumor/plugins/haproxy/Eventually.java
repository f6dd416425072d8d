package dev.rumor.plugins.haproxy;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or a bounded deadline passes (no fixed sleeps in tests). */
final class Eventually {
    private Eventually() {
    }

    static void await(Duration limit, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        Throwable last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
                last = null;
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError err = new AssertionError("timed out after " + limit.toSeconds() + "s waiting for: "
                        + what);
                if (last != null) {
                    err.initCause(last);
                }
                throw err;
            }
            Thread.sleep(50);
        }
    }
}
