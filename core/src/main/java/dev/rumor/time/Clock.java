package dev.rumor.time;

/**
 * Time as the protocol sees it. Protocol code never calls {@link System#nanoTime()} or
 * {@link System#currentTimeMillis()} directly, so a simulation can run on virtual time.
 *
 * <p>Thread contract: implementations are safe to call from any thread.
 */
public interface Clock {
    /** Monotonic nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch (for logs, snapshots and query deadlines shown to users). */
    long currentTimeMillis();

    /** The JVM's own clocks. */
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }
    };
}
