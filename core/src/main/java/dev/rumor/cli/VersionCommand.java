package dev.rumor.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "version", description = "Prints the Rumor version and the serf protocol it speaks.")
final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static String version() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().println("Rumor v" + version());
        spec.commandLine().getOut().println("Agent Protocol: 5 (Understands back to: 2)");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
