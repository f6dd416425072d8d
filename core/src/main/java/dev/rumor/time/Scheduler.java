package dev.rumor.time;

import java.time.Duration;

/**
 * The single protocol thread: every task submitted here runs one at a time, in submission order for
 * tasks due at the same instant. Protocol classes take a {@code Scheduler} instead of creating
 * executors, so production runs them on one real thread ({@link ExecutorScheduler}) and tests on
 * virtual time ({@link VirtualScheduler}).
 *
 * <p>Thread contract: {@link #execute} and {@link #schedule} may be called from any thread
 * (I/O threads use {@code execute} to hand packets in); the tasks themselves run on the protocol thread.
 */
public interface Scheduler {
    /** The clock this scheduler's delays are measured on. */
    Clock clock();

    /** Runs {@code task} on the protocol thread as soon as possible. */
    void execute(Runnable task);

    /** Runs {@code task} on the protocol thread after {@code delay}. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that can be cancelled; cancelling a task that already ran does nothing. */
    interface Cancellable {
        void cancel();
    }
}
