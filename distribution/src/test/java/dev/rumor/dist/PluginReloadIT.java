package dev.rumor.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dropping a plugin jar into the plugins directory of a running agent and sending SIGHUP loads it, and
 * {@code rumor info} lists it; the agent keeps running throughout.
 */
class PluginReloadIT {
    @TempDir
    Path tmp;

    @Test
    void jarCopiedIntoPluginsDirIsLoadedOnHangup() throws IOException {
        // A plugins directory of its own, so the shared target/rumor/plugins is never modified.
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Files.copy(Dist.HOME.resolve("plugins/rumor-plugin-shell-exec-" + version() + ".jar"),
                plugins.resolve("rumor-plugin-shell-exec.jar"));
        try (RumorAgent agent = RumorAgent.builder("reloader", tmp).arg("-plugins-dir=" + plugins).start()) {
            CliResult before = agent.cli("info");
            assertEquals(0, before.exitCode(), before.output());
            assertTrue(before.output().contains("plugin.shell-exec = "), before.output());
            assertFalse(before.output().contains("plugin.example"), before.output());

            // copied under a temporary name and renamed, as an operator's install step should
            Path partial = plugins.resolve("example.jar.part");
            Files.copy(Dist.HOME.resolve("plugins/rumor-plugin-example-" + version() + ".jar"), partial);
            Files.move(partial, plugins.resolve("rumor-plugin-example.jar"), StandardCopyOption.ATOMIC_MOVE);
            agent.signal("HUP");

            Eventually.await(Duration.ofSeconds(30), () -> agent.cli("info").output().contains("plugin.example = "),
                    () -> agent.cli("info").output() + "\nagent log:\n" + agent.log());
            CliResult after = agent.cli("info");
            assertTrue(after.output().contains("plugin.shell-exec = "), after.output());
            assertTrue(after.output().contains("plugins = 2"), after.output());
            assertTrue(agent.isRunning(), agent.log());
        }
    }

    private static String version() throws IOException {
        try (var files = Files.list(Dist.HOME.resolve("lib"))) {
            String core = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("rumor-core-"))
                    .findFirst().orElseThrow(() -> new IOException("no rumor-core jar in " + Dist.HOME.resolve("lib")));
            return core.substring("rumor-core-".length(), core.length() - ".jar".length());
        }
    }
}
