package dev.rumor.membership;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The membership layer knows nothing of the layers built on it (style.md dependency rules). */
class DependencyRuleTest {
    @Test
    void membershipImportsOnlyTransportSecurityTimeAndItsWire() throws IOException {
        Path dir = Path.of("src/main/java/dev/rumor/membership");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("import dev.rumor.") && !line.matches(
                            "import (static )?dev\\.rumor\\.(membership|transport|security|time|msgpack)\\..*")) {
                        offenders.add(f.getFileName() + ": " + line);
                    }
                }
            }
        }
        assertTrue(offenders.isEmpty(), offenders.toString());
    }
}
