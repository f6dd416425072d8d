package dev.rumor.plugins.chef;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one chef-client process: argv only (never a shell), extra environment, stdin closed, stdout and
 * stderr together into a log file in the data directory. Output goes to a file rather than a pipe so that a
 * chatty or orphaned child can never block on a full pipe or hold a reader thread open, and the full log of
 * the last run stays on disk for the operator; the result keeps only its tail.
 *
 * <p>A run still going at its timeout is killed with its whole process tree: the descendants are listed
 * first (once the parent dies they are re-parented and can no longer be found), each gets SIGTERM
 * ({@link ProcessHandle#destroy}), then the process itself; whatever is alive after {@code killGrace} gets
 * SIGKILL.
 *
 * <p>Thread contract: {@link #run} blocks the calling thread (the handler's own run thread) for the length
 * of the run.
 */
final class ChefProcess {
    private static final int TAIL_BYTES = 64 * 1024;
    private static final int MAX_LINE = 400;

    /**
     * @param exitCode   null when the process did not start or was killed at its timeout
     * @param timedOut   killed at its timeout
     * @param startError why the process could not start, or null
     * @param tail       last lines of output
     */
    record Outcome(Integer exitCode, boolean timedOut, String startError, List<String> tail) {
    }

    private ChefProcess() {
    }

    /**
     * @param killOnInterrupt when the calling thread is interrupted (handler closed): kill the tree, or leave
     *                        chef to finish on its own
     * @throws InterruptedException when the calling thread was interrupted while waiting
     */
    static Outcome run(List<String> argv, Map<String, String> env, Path log, Duration timeout,
                       Duration killGrace, int tailLines, boolean killOnInterrupt) throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException | RuntimeException e) {
            return new Outcome(null, false, "could not start " + argv.get(0) + ": " + e.getMessage(), List.of());
        }
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // stdin is best effort: chef-client never reads it
        }
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            if (killOnInterrupt) {
                destroyTree(p.toHandle(), killGrace);
            }
            throw e;
        }
        if (!finished) {
            destroyTree(p.toHandle(), killGrace);
            return new Outcome(null, true, null, tail(log, tailLines));
        }
        return new Outcome(p.exitValue(), false, null, tail(log, tailLines));
    }

    /** SIGTERM to the descendants then the process; SIGKILL to whatever is left after {@code grace}. */
    static void destroyTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.forEach(ProcessHandle::destroy);
        root.destroy();
        all.add(root);
        if (!awaitExit(all, grace)) {
            // Children started after the snapshot are still reachable while root lives.
            root.descendants().forEach(all::add);
            all.forEach(ProcessHandle::destroyForcibly);
            awaitExit(all, Duration.ofSeconds(5));
        }
    }

    private static boolean awaitExit(List<ProcessHandle> handles, Duration limit) {
        CompletableFuture<?>[] exits = handles.stream().map(ProcessHandle::onExit)
                .toArray(CompletableFuture<?>[]::new);
        try {
            CompletableFuture.allOf(exits).get(Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last {@code lines} lines of the log (reads at most its last 64 KiB; long lines are cut). */
    static List<String> tail(Path log, int lines) {
        if (lines == 0) {
            return List.of();
        }
        byte[] buf;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - TAIL_BYTES);
            buf = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(buf);
        } catch (IOException e) {
            return List.of();
        }
        String[] all = new String(buf, StandardCharsets.UTF_8).split("\r?\n");
        List<String> out = new ArrayList<>();
        for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
            String l = all[i];
            out.add(l.length() <= MAX_LINE ? l : l.substring(0, MAX_LINE) + "...");
        }
        if (out.size() == 1 && out.get(0).isEmpty()) {
            return List.of();
        }
        return List.copyOf(out);
    }
}
