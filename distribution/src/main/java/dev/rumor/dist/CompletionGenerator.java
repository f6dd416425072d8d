package dev.rumor.dist;

import dev.rumor.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;

/**
 * Writes the bash completion script for {@code rumor} at build time, from the same command tree the CLI
 * runs ({@link Main#commandLine()}), so the script can never list a flag the CLI does not have.
 * Run by the distribution's build; the output lands in {@code completion/rumor.bash}.
 */
public final class CompletionGenerator {

    private CompletionGenerator() {
    }

    /** @param args the file to write */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CompletionGenerator <output file>");
        }
        Path out = Path.of(args[0]);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        String script = AutoComplete.bash("rumor", Main.commandLine());
        Files.writeString(out, script, StandardCharsets.UTF_8);
    }
}
