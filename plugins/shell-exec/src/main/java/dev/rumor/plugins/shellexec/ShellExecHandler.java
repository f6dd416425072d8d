package dev.rumor.plugins.shellexec;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.HandlerContext;
import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.QueryEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one script per event with serf's contract ({@code /bin/sh -c SCRIPT}, environment from
 * {@link ScriptEnvironment}, stdin from {@link ScriptInput}, stdout+stderr kept in an 8 KiB ring, a query
 * answered with the output of a successful run).
 *
 * <p>Thread contract: stateless between calls, so the host may call {@link #handle} from several worker
 * threads at once (instance concurrency &gt; 1). An interrupt (the host's instance timeout) or the
 * {@code timeout} setting kills the whole process tree.
 */
final class ShellExecHandler implements EventHandler {

    private final HandlerContext context;
    private final ShellExecSettings settings;

    ShellExecHandler(HandlerContext context, ShellExecSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    @Override
    public void handle(Event event) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", settings.script());
        Map<String, String> env = pb.environment(); // the agent's own environment, as serf passes os.Environ()
        env.putAll(settings.env());
        env.putAll(ScriptEnvironment.of(event, context.self()));
        if (settings.cwd() != null) {
            pb.directory(settings.cwd().toFile());
        }
        pb.redirectErrorStream(true);
        OutputRing output = new OutputRing(OutputRing.SERF_CAPACITY);
        long started = System.nanoTime();
        Process process = pb.start();
        Thread writer = daemon("stdin", () -> writeStdin(process.getOutputStream(), ScriptInput.of(event)));
        Thread reader = daemon("output", () -> readOutput(process.getInputStream(), output));
        try {
            boolean exited;
            if (settings.timeout() == null) {
                process.waitFor();
                exited = true;
            } else {
                exited = process.waitFor(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
            }
            if (!exited) {
                ProcessTree.kill(process);
                reader.join(1000);
                throw new TimeoutException("script '" + settings.script() + "' timed out after " + settings.timeout()
                        + " and was killed; output: " + tail(output));
            }
            // serf waits for the output copy too; a background child holding stdout is bounded by the timeout.
            if (settings.timeout() == null) {
                reader.join();
            } else {
                long left = settings.timeout().toNanos() - (System.nanoTime() - started);
                reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        } catch (InterruptedException e) {
            ProcessTree.kill(process);
            throw e;
        } finally {
            writer.interrupt();
        }

        if (output.truncated()) {
            context.logger().warn("Script '{}' generated {} bytes of output, truncated to {}", settings.script(),
                    output.totalWritten(), OutputRing.SERF_CAPACITY);
        }
        context.logger().debug("Event '{}' script output: {}", event.type().wireName(), text(output));
        int exit = process.exitValue();
        if (exit != 0) {
            throw new IOException("script '" + settings.script() + "' exited with status " + exit + "; output: "
                    + tail(output));
        }
        if (event instanceof QueryEvent query && output.totalWritten() > 0) {
            if (!context.respond(query, output.bytes())) {
                context.logger().warn("Failed to respond to query '{}': deadline passed, already answered or "
                        + "response too large", query.name());
            }
        }
    }

    private void writeStdin(OutputStream in, byte[] data) {
        try (in) {
            in.write(data);
        } catch (IOException e) {
            // The script exited or closed stdin without reading it all; serf logs and carries on too.
            context.logger().debug("Error writing payload: {}", e.toString());
        }
    }

    private static void readOutput(InputStream out, OutputRing ring) {
        byte[] buf = new byte[8192];
        try (out) {
            int n;
            while ((n = out.read(buf)) > 0) {
                ring.write(buf, 0, n);
            }
        } catch (IOException e) {
            // Process killed: the pipe closes under us.
        }
    }

    private Thread daemon(String what, Runnable r) {
        Thread t = new Thread(r, "shell-exec-" + context.instanceName() + "-" + what);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String text(OutputRing output) {
        return new String(output.bytes(), StandardCharsets.UTF_8);
    }

    private static String tail(OutputRing output) {
        String s = text(output).strip();
        return s.length() <= 512 ? '"' + s + '"' : "\"..." + s.substring(s.length() - 512) + '"';
    }
}
