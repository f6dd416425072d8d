package dev.rumor.testing;

/**
 * Outcome of one command-line run. The serf CLI prints errors on stdout, so {@code output} holds stdout and
 * stderr together.
 */
public record CliResult(int exitCode, String output) {
    public boolean ok() {
        return exitCode == 0;
    }
}
