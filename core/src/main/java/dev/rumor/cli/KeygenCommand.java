package dev.rumor.cli;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "keygen", description = "Generates a new encryption key (32 random bytes, base64).")
final class KeygenCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        spec.commandLine().getOut().println(Base64.getEncoder().encodeToString(key));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
