package dev.rumor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.SerfAgent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code rumor} CLI against real serf agents: every command works, and prints what the {@code serf}
 * CLI prints for the same agent in the same situation (lines compared order-insensitively where serf's
 * own order is Go map order, i.e. unspecified).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliAgainstSerfIT {
    private static final String KEY1 = "ETCsssnlVeU7yB6V3tB3f4OjtaXu/1y2OrkaVf81sps=";
    private static final String KEY2 = "Xx+3W+idzBgIo1VJFfhTpuiYIiNhraPMvwKvmuvpeOo=";

    private SerfAgent alpha;
    private SerfAgent beta;
    private SerfAgent gamma;

    @BeforeAll
    void startCluster(@TempDir Path dir) throws IOException {
        Path handler = dir.resolve("handler.sh");
        Files.writeString(handler, "#!/bin/sh\nif [ \"$SERF_EVENT\" = query ]; then echo \"resp-from-$SERF_SELF_NAME:$SERF_QUERY_NAME\"; fi\n");
        Files.setPosixFilePermissions(handler, PosixFilePermissions.fromString("rwxr-xr-x"));
        alpha = SerfAgent.builder("alpha", dir).encrypt(KEY1).tag("role", "web").logLevel("info").start();
        beta = SerfAgent.builder("beta", dir).encrypt(KEY1).tag("role", "db").logLevel("info")
                .eventHandler("query:ping-me=" + handler).join(alpha.gossipAddress()).start();
        gamma = SerfAgent.builder("gamma", dir).encrypt(KEY1).tag("role", "cache").logLevel("info")
                .join(alpha.gossipAddress()).start();
        Eventually.await(Duration.ofSeconds(20), () -> alpha.members().size() == 3 && beta.members().size() == 3
                && gamma.members().size() == 3, () -> "cluster of 3 did not form: " + alpha.members());
    }

    @AfterAll
    void stopCluster() {
        for (SerfAgent a : new SerfAgent[] {alpha, beta, gamma}) {
            if (a != null) {
                a.close();
            }
        }
    }

    /** Runs {@code rumor ARGS[0] -rpc-addr=AGENT ARGS[1..]} in process. */
    private static CliResult rumor(SerfAgent agent, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(args[0]);
        argv.add("-rpc-addr=" + agent.rpcAddress());
        argv.addAll(Arrays.asList(args).subList(1, args.length));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(argv.toArray(String[]::new));
        return new CliResult(code, out + err.toString());
    }

    /** Lines sorted, and tag lists ("b=2,a=1", in Go map order in serf) sorted within each line. */
    private static List<String> sortedLines(String s) {
        return s.strip().lines().map(CliAgainstSerfIT::sortTagLists).sorted().collect(Collectors.toList());
    }

    private static String sortTagLists(String line) {
        return Arrays.stream(line.split("(?<=\\s)|(?=\\s)"))
                .map(tok -> tok.contains("=") && tok.contains(",")
                        ? Arrays.stream(tok.split(",")).sorted().collect(Collectors.joining(",")) : tok)
                .collect(Collectors.joining());
    }

    private void assertSameOutput(SerfAgent agent, boolean sortLines, String... args) {
        CliResult serf = agent.cli(args);
        CliResult ours = rumor(agent, args);
        assertEquals(serf.exitCode(), ours.exitCode(), "exit code of " + List.of(args) + "\nserf: " + serf.output()
                + "\nrumor: " + ours.output());
        if (sortLines) {
            assertEquals(sortedLines(serf.output()), sortedLines(ours.output()), "output of " + List.of(args));
        } else {
            assertEquals(serf.output().strip(), ours.output().strip(), "output of " + List.of(args));
        }
    }

    @Test
    @Order(1)
    void membersInEveryFormat() {
        assertSameOutput(alpha, true, "members");
        assertSameOutput(alpha, true, "members", "-detailed");
        assertSameOutput(alpha, true, "members", "-status=alive");
        assertSameOutput(alpha, true, "members", "-tag", "role=web|db");
        assertSameOutput(alpha, true, "members", "-name=gam.*");
        assertSameOutput(alpha, false, "members", "-name=nobody");
        assertSameOutput(alpha, false, "members", "-format=xml");
        assertSameOutput(alpha, false, "members", "-tag", "novalue");
        // JSON: serf lists members in map order; compare the parsed documents' member sets.
        CliResult serf = alpha.cli("members", "-format=json");
        CliResult ours = rumor(alpha, "members", "-format=json");
        assertEquals(0, ours.exitCode());
        assertEquals(new java.util.HashSet<>(SerfAgent.parseMembers(serf.output())),
                new java.util.HashSet<>(SerfAgent.parseMembers(ours.output())));
        assertTrue(ours.output().startsWith("{\n  \"members\": [\n    {\n      \"name\": "), ours.output());
    }

    @Test
    @Order(2)
    void infoShowsTheSameStats() {
        CliResult serf = alpha.cli("info");
        CliResult ours = rumor(alpha, "info");
        assertEquals(0, ours.exitCode(), ours.output());
        // goroutines and the Lamport clocks can move between the two calls
        assertEquals(stable(serf.output()), stable(ours.output()));
        assertTrue(rumor(alpha, "info", "-format=json").output().contains("\"serf\": {"));
    }

    private static List<String> stable(String info) {
        return info.lines().filter(l -> !l.contains("goroutines") && !l.contains("_time") && !l.contains("_queue"))
                .collect(Collectors.toList());
    }

    @Test
    @Order(3)
    void eventQueryAndValidation() {
        assertSameOutput(alpha, false, "event", "deploy", "v1");
        assertSameOutput(alpha, false, "event", "-coalesce=false", "deploy", "v2");
        CliResult ev = rumor(alpha, "event");
        assertEquals(1, ev.exitCode());
        assertTrue(ev.output().startsWith("An event name must be specified."), ev.output());
        assertEquals(1, rumor(alpha, "event", "a", "b", "c").exitCode());
        // query: acks from all three, a response from beta (the one with a handler)
        assertSameOutput(alpha, true, "query", "-timeout=2s", "ping-me", "hello");
        assertSameOutput(alpha, true, "query", "-timeout=2s", "-node", "beta", "ping-me");
        assertSameOutput(alpha, true, "query", "-timeout=2s", "-tag", "role=db", "-no-ack", "ping-me");
        CliResult json = rumor(alpha, "query", "-timeout=2s", "-format=json", "-node", "beta", "ping-me");
        assertEquals("{\n  \"Acks\": [\n    \"beta\"\n  ],\n  \"Responses\": {\n    \"beta\": \"resp-from-beta:ping-me\\n\"\n  }\n}",
                json.output().strip());
        assertSameOutput(alpha, false, "query", "-relay-factor=300", "x");
        assertSameOutput(alpha, false, "query", "-format=xml", "x");
    }

    @Test
    @Order(4)
    void reachabilityAndRtt() {
        CliResult ours = rumor(alpha, "reachability");
        assertEquals(0, ours.exitCode(), ours.output());
        assertEquals("Total members: 3, live members: 3\nStarting reachability test...\nSuccessfully contacted all live nodes",
                ours.output().strip());
        Eventually.await(Duration.ofSeconds(15), () -> rumor(alpha, "rtt", "beta").exitCode() == 0,
                () -> "rtt: " + rumor(alpha, "rtt", "beta").output());
        CliResult rtt = rumor(alpha, "rtt", "beta", "gamma");
        assertTrue(rtt.output().matches("Estimated beta <-> gamma rtt: \\d+\\.\\d{3} ms\\s*"), rtt.output());
        assertSameOutput(alpha, false, "rtt", "nosuchnode", "beta");
    }

    @Test
    @Order(6)
    void joinLeaveAndForceLeave(@TempDir Path dir) {
        try (SerfAgent delta = SerfAgent.builder("delta", dir).encrypt(KEY1).logLevel("info").start()) {
            CliResult none = rumor(delta, "join");
            assertEquals(delta.cli("join").exitCode(), none.exitCode());
            assertEquals(delta.cli("join").output().lines().findFirst(), none.output().lines().findFirst());
            CliResult join = rumor(delta, "join", alpha.gossipAddress());
            assertEquals("Successfully joined cluster by contacting 1 nodes.", join.output().strip());
            Eventually.await(Duration.ofSeconds(15), () -> "alive".equals(alpha.statusOf("delta")), () -> "delta not alive");
            CliResult bad = rumor(delta, "join", "127.0.0.1:1");
            assertEquals(1, bad.exitCode());
            assertTrue(bad.output().startsWith("Error joining the cluster: "), bad.output());

            CliResult leave = rumor(delta, "leave");
            assertEquals("Graceful leave complete", leave.output().strip());
            Eventually.await(Duration.ofSeconds(15), () -> "left".equals(alpha.statusOf("delta")),
                    () -> "alpha sees delta as " + alpha.statusOf("delta"));
            assertEquals(1, rumor(alpha, "force-leave").exitCode());
            CliResult prune = rumor(alpha, "force-leave", "-prune", "delta");
            assertEquals(0, prune.exitCode(), prune.output());
            assertEquals("", prune.output().strip());
            Eventually.await(Duration.ofSeconds(15), () -> "absent".equals(alpha.statusOf("delta")),
                    () -> "delta still listed as " + alpha.statusOf("delta"));
        }
    }

    @Test
    @Order(7)
    void tagsKeysAndForceLeave() {
        CliResult set = rumor(gamma, "tags", "-set", "dc=east", "-set", "tier=1");
        assertEquals("Successfully updated agent tags", set.output().strip());
        Eventually.await(Duration.ofSeconds(15), () -> "east".equals(alpha.member("gamma").orElseThrow().tags().get("dc")),
                () -> "tag change not seen by alpha");
        assertEquals(0, rumor(gamma, "tags", "-delete", "tier").exitCode());
        assertEquals(1, rumor(gamma, "tags").exitCode());

        assertSameOutput(alpha, true, "keys", "-list");
        CliResult install = rumor(alpha, "keys", "-install", KEY2);
        assertEquals("==> Installing key on all members...\n==> Successfully installed key!", install.output().strip());
        assertSameOutput(alpha, true, "keys", "-list");
        assertEquals(0, rumor(alpha, "keys", "-use", KEY2).exitCode());
        CliResult removePrimary = rumor(beta, "keys", "-remove", KEY2);
        assertEquals(1, removePrimary.exitCode());
        assertTrue(removePrimary.output().contains("Error removing key: 3/3 nodes reported failure"), removePrimary.output());
        assertTrue(removePrimary.output().contains("Removing the primary key is not allowed"), removePrimary.output());
        assertEquals(0, rumor(alpha, "keys", "-remove", KEY1).exitCode());
        assertSameOutput(alpha, false, "keys", "-list", "-install", KEY1);
        // usage texts differ by design (serf's vs ours); the exit code must not
        assertEquals(alpha.cli("keys").exitCode(), rumor(alpha, "keys").exitCode());
    }

    @Test
    @Order(5)
    void connectionErrorsLikeSerf() {
        StringWriter out = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        CliResult ours = new CliResult(cl.execute("members", "-rpc-addr=127.0.0.1:1"), out.toString());
        assertEquals(1, ours.exitCode());
        assertEquals("Error connecting to Serf agent: dial tcp 127.0.0.1:1: connect: connection refused", ours.output().strip());
    }
}
