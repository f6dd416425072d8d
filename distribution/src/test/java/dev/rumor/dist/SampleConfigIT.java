package dev.rumor.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code conf/} runs as it is: {@code bin/rumor agent -config-dir=conf} (the README's first
 * command) starts with the sample's handlers, and a {@code deploy} event runs the sample's deploy handler.
 * The fixture's {@code -bind}/{@code -rpc-addr}/{@code -node} flags override the sample's values, as flags do.
 */
class SampleConfigIT {
    @TempDir
    Path tmp;

    @Test
    void agentStartsFromTheShippedConfigDirAndRunsItsHandlers() {
        try (RumorAgent agent = RumorAgent.builder("sample", tmp)
                .arg("-config-dir=" + Dist.HOME.resolve("conf"), "-data-dir=" + tmp.resolve("data")).start()) {
            CliResult info = agent.cli("info");
            assertEquals(0, info.exitCode(), info.output());
            for (String handler : new String[] {"handler.audit = type=example", "handler.deploy = type=shell-exec",
                    "handler.event_handlers[0] = type=shell-exec", "handlers = 3"}) {
                assertTrue(info.output().contains(handler), handler + " missing:\n" + info.output());
            }
            assertEquals(Map.of("role", "web", "dc", "east"), agent.members().get(0).tags());

            CliResult sent = agent.cli("event", "deploy", "v1");
            assertEquals(0, sent.exitCode(), sent.output());
            Eventually.await(Duration.ofSeconds(30), () -> agent.cli("info").output()
                            .matches("(?s).*handler\\.deploy = [^\\n]* runs=1 failures=0 .*"),
                    () -> agent.cli("info").output() + "\nagent log:\n" + agent.log());
        }
    }
}
