package dev.rumor.cli;

import picocli.CommandLine.Option;

/** {@code -h}, {@code -help} (serf's spelling) and {@code --help} on every command. */
public final class HelpOption {
    @Option(names = {"-h", "-help", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
