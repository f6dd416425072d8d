package dev.rumor.plugins.haproxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short external command (haproxy -c, kill, a reload command) with a deadline. */
final class ProcessRunner {
    private ProcessRunner() {
    }

    /**
     * @param exitCode the process exit code
     * @param output   stdout and stderr interleaved, as the process wrote them
     */
    record Result(int exitCode, String output) {
    }

    static Result run(List<String> command, Duration timeout) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        // HAProxy's -c output is small; read on a helper thread so a chatty command can't block on a full pipe.
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] all = in.readNBytes(1 << 20);
                synchronized (out) {
                    out.append(new String(all, StandardCharsets.UTF_8));
                }
            } catch (IOException ignored) {
                // the process died; whatever was read is kept
            }
        }, "rumor-haproxy-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": did not finish within " + timeout.toSeconds()
                        + "s");
            }
            reader.join(1000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        synchronized (out) {
            return new Result(p.exitValue(), out.toString().strip());
        }
    }
}
