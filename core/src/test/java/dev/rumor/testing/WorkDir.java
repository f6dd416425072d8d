package dev.rumor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A scratch directory under the module's {@code target/} for tests that keep agents (their logs, handler
 * scripts and handler output) running across a whole class. Unlike a {@code @TempDir} in the shared
 * {@code /tmp}, nothing outside the build touches it while the class runs.
 */
public final class WorkDir {
    private WorkDir() {
    }

    public static Path create(String prefix) {
        try {
            Path base = Path.of("target", "it-work");
            Files.createDirectories(base);
            return Files.createTempDirectory(base, prefix).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the directory and everything in it; best effort. */
    public static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leftovers stay in target/, which the next clean removes
        }
    }
}
