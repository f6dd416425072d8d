package dev.rumor.plugins.chef;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition with a bounded deadline instead of sleeping a fixed time. */
final class Eventually {
    private Eventually() {
    }

    static void await(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    static void await(String what, Duration limit, BooleanSupplier condition, Supplier<String> detail) {
        try {
            await(what, limit, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + detail.get(), e);
        }
    }
}
