package dev.rumor.plugins.shellexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.agent.plugin.HandlerSpec;
import dev.rumor.agent.plugin.PluginHost;
import dev.rumor.agent.plugin.ReloadResult;
import dev.rumor.plugin.Member;
import dev.rumor.plugin.MemberStatus;
import dev.rumor.plugin.event.EventType;
import dev.rumor.plugin.event.MemberEvent;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.FixedClusterView;
import dev.rumor.testing.SerfAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged shell-exec jar, loaded by the real plugin host from a serf {@code -event-handler} string,
 * sees the same environment and stdin as the same script run by a real {@code serf agent}.
 */
class ShellExecSerfIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    /** The research recipe's handler.sh, appending to {@code dump}. Contains '=' so it needs a filter. */
    private static String script(Path dump) {
        return "{ echo ----; env | grep '^SERF_' | LC_ALL=C sort; echo STDIN-BEGIN; cat; echo STDIN-END; } >> '"
                + dump + "'; if [ \"$SERF_EVENT\" = query ]; then echo \"resp-from-gamma:$SERF_QUERY_NAME\"; fi";
    }

    @Test
    void sameEnvironmentAndStdinAsSerf() throws Exception {
        Path serfDump = tmp.resolve("serf.txt");
        Path ourDump = tmp.resolve("rumor.txt");
        List<String> serfRecords;
        String queryOutput;
        try (SerfAgent serf = SerfAgent.builder("gamma", tmp).tag("role", "cache").tag("weird.key-x", "v 1")
                .eventHandler("*=" + script(serfDump)).start()) {
            Eventually.await(WAIT, () -> records(serfDump).size() >= 1, () -> "serf handler never ran: " + serf.log());
            CliResult ev = serf.cli("event", "-coalesce=false", "deploy", "v1.2");
            assertTrue(ev.ok(), ev.output());
            Eventually.await(WAIT, () -> records(serfDump).size() >= 2, serf::log);
            CliResult q = serf.cli("query", "-timeout=3s", "ping-me", "hello");
            assertTrue(q.ok(), q.output());
            queryOutput = q.output();
            Eventually.await(WAIT, () -> records(serfDump).size() >= 3, serf::log);
            serfRecords = records(serfDump);
        }
        assertTrue(queryOutput.contains("Response from 'gamma': resp-from-gamma:ping-me"), queryOutput);
        assertTrue(serfRecords.get(0).contains("SERF_EVENT=member-join\n"), serfRecords.get(0));
        assertTrue(serfRecords.get(1).contains("SERF_EVENT=user\n"), serfRecords.get(1));
        assertTrue(serfRecords.get(2).contains("SERF_EVENT=query\n"), serfRecords.get(2));

        Member gamma = new Member("gamma", "127.0.0.1", 7946, Map.of("role", "cache", "weird.key-x", "v 1"),
                MemberStatus.ALIVE);
        FixedClusterView view = new FixedClusterView(gamma);
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Path jar = packagedJar();
        Files.copy(jar, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        try (PluginHost host = PluginHost.builder(plugins, tmp.resolve("data"), view).build()) {
            ReloadResult r = host.reload(HandlerSpec.fromSerfEventHandlers(List.of("*=" + script(ourDump))));
            assertEquals(List.of("shell-exec"), r.loadedPlugins());
            host.dispatcher().dispatch(new MemberEvent(EventType.MEMBER_JOIN, List.of(gamma)));
            host.dispatcher().dispatch(new UserEvent(ltime(serfRecords.get(1), "SERF_USER_LTIME"), "deploy",
                    "v1.2".getBytes(StandardCharsets.UTF_8), false));
            host.dispatcher().dispatch(new QueryEvent(ltime(serfRecords.get(2), "SERF_QUERY_LTIME"), 1, "ping-me",
                    "hello".getBytes(StandardCharsets.UTF_8), Instant.now().plusSeconds(10)));
            Eventually.await(WAIT, () -> records(ourDump).size() == 3 && view.responses().size() == 1,
                    () -> records(ourDump) + " " + host.stats());
            List<String> ours = records(ourDump);
            for (int i = 0; i < 3; i++) {
                assertEquals(normalizeTagOrder(serfRecords.get(i)), normalizeTagOrder(ours.get(i)), "record " + i);
            }
            assertEquals("resp-from-gamma:ping-me\n",
                    new String(view.responses().get(0).payload(), StandardCharsets.UTF_8));
            assertEquals(0, host.stats().instances().get(0).failures());
        }
    }

    private static Path packagedJar() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            return s.filter(p -> p.getFileName().toString().matches("rumor-plugin-shell-exec-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-tests.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("run after package: no jar in target/"));
        }
    }

    private static List<String> records(Path dump) {
        try {
            if (!Files.exists(dump)) {
                return List.of();
            }
            String all = Files.readString(dump);
            List<String> out = new ArrayList<>();
            for (String r : all.split("----\n", -1)) {
                if (r.endsWith("STDIN-END\n")) {
                    out.add(r);
                }
            }
            return out;
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static long ltime(String record, String var) {
        for (String line : record.split("\n")) {
            if (line.startsWith(var + "=")) {
                return Long.parseLong(line.substring(var.length() + 1));
            }
        }
        throw new AssertionError(var + " missing in " + record);
    }

    /** serf writes a member's tags in Go's random map order; we sort them. Compare sorted. */
    private static String normalizeTagOrder(String record) {
        StringBuilder sb = new StringBuilder();
        for (String line : record.split("\n", -1)) {
            String[] cols = line.split("\t", -1);
            if (cols.length == 4) {
                String[] tags = cols[3].split(",");
                Arrays.sort(tags);
                cols[3] = String.join(",", tags);
                line = String.join("\t", cols);
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
