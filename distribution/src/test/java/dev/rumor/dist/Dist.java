package dev.rumor.dist;

import dev.rumor.testing.CliResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The unpacked distribution under test ({@code distribution/target/rumor}, passed by failsafe as
 * {@code -Drumor.dist}) and a way to run its {@code bin/rumor} as a separate process.
 *
 * <p>Every run gets {@code JAVA_HOME} set to the JDK running the tests, so the launcher never depends on
 * what happens to be on the machine's PATH, unless the caller overrides it.
 */
final class Dist {
    static final Path HOME = Path.of(System.getProperty("rumor.dist", "target/rumor")).toAbsolutePath();
    static final Path BIN = HOME.resolve("bin/rumor");
    static final String JAVA_HOME = System.getProperty("java.home");
    static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);

    private Dist() {
    }

    /** {@code bin/rumor ARGS} from {@code cwd} with the default environment plus {@code env}. */
    static CliResult rumor(Map<String, String> env, Path cwd, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(BIN.toString());
        cmd.addAll(List.of(args));
        return run(cmd, env, cwd, CLI_TIMEOUT);
    }

    static CliResult rumor(String... args) {
        return rumor(Map.of(), null, args);
    }

    /**
     * Runs a command to completion (bounded); stdout and stderr together. An {@code env} value of null
     * removes that variable.
     */
    static CliResult run(List<String> command, Map<String, String> env, Path cwd, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", JAVA_HOME);
        pb.environment().remove("RUMOR_OPTS");
        pb.environment().remove("RUMOR_CDS");
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        Process p;
        try {
            p = pb.start();
            p.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<output unreadable: " + e + ">";
            }
        });
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                return new CliResult(-1, "timed out after " + timeout + ": " + command);
            }
            return new CliResult(p.exitValue(), out.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new CliResult(-1, "interrupted");
        } catch (Exception e) {
            return new CliResult(p.exitValue(), "<output unreadable: " + e + ">");
        }
    }

    /** Writes an executable {@code /bin/sh} script. */
    static Path script(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
        if (!file.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + file + " executable");
        }
        return file;
    }
}
