package dev.rumor.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rumor.agent.config.AgentConfig;
import dev.rumor.agent.config.ConfigException;
import dev.rumor.agent.config.ConfigLoader;
import dev.rumor.agent.config.ConfigMerge;
import dev.rumor.cli.Main;
import dev.rumor.rpc.IpcCodec;
import dev.rumor.rpc.RpcClient;
import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.PluginJarBuilder;
import dev.rumor.testing.PluginSink;
import dev.rumor.testing.RumorAgent;
import dev.rumor.testing.SerfAgent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config files (issue 4, "what must be shown" 4): a JSON file written for serf is accepted unchanged and
 * means the same as it does to serf; the same config in YAML gives the same result; bad files are refused
 * with file, line, column and key before anything starts; a reload with an edited file changes the tags (a
 * serf peer sees member-update) and the handlers; a reload with a broken file keeps the running config.
 *
 * <p>serf's {@code event_handlers} map to the shell-exec plugin, which is built only in the package phase;
 * here a stub plugin of the same handler type records what it receives (channel = the script text).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentConfigIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path shared;
    private Path plugins;
    private SerfAgent seed;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final String deployChannel = "deploy-" + UUID.randomUUID();
    private final String memberChannel = "members-" + UUID.randomUUID();

    @BeforeAll
    void setUp(@TempDir Path tmp) throws Exception {
        shared = tmp;
        plugins = Files.createDirectories(tmp.resolve("plugins"));
        stubShellExec(tmp, plugins);
        seed = SerfAgent.builder("seed", tmp).tag("role", "seed").logLevel("info").start();
    }

    @AfterEach
    void closeAgents() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }

    @AfterAll
    void tearDown() {
        if (seed != null) {
            seed.close();
        }
        PluginSink.clear(deployChannel);
        PluginSink.clear(memberChannel);
    }

    /** A plugin of handler type "shell-exec" that records events on the channel named after '#' in its script. */
    private static void stubShellExec(Path work, Path pluginsDir) {
        String factory = """
                package stub;
                import dev.rumor.plugin.*;
                import java.util.Map;
                public class StubShellFactory implements EventHandlerFactory {
                    public String type() { return "shell-exec"; }
                    public EventHandler create(HandlerContext ctx, Map<String, Object> cfg) {
                        return new StubShellHandler(String.valueOf(cfg.get("script")));
                    }
                }
                """;
        String handler = """
                package stub;
                import dev.rumor.plugin.*;
                import dev.rumor.plugin.event.*;
                import dev.rumor.testing.PluginSink;
                final class StubShellHandler implements EventHandler {
                    private final String channel;
                    StubShellHandler(String script) { this.channel = script.substring(script.indexOf('#') + 1); }
                    public void handle(Event e) {
                        PluginSink.record(channel, e instanceof UserEvent u ? "user:" + u.name() : e.type().wireName());
                    }
                    public void close() { }
                }
                """;
        new PluginJarBuilder("stub-shell-exec").source("stub.StubShellFactory", factory)
                .source("stub.StubShellHandler", handler).extension("stub.StubShellFactory")
                .build(work, pluginsDir.resolve("stub-shell-exec.jar"));
    }

    // ------------------------------------------------------------------ helpers

    /** The JSON a serf user would write (only serf's keys). */
    private String serfJson() {
        return """
                {
                  "role": "web",
                  "tags": {"dc": "east", "rack": "r1"},
                  "event_handlers": ["user:deploy=%s", "member-join,member-leave=%s"],
                  "start_join": ["%s"],
                  "replay_on_join": false,
                  "rpc_auth": "s3cret",
                  "log_level": "info",
                  "profile": "lan",
                  "protocol": 5,
                  "reconnect_interval": "10s",
                  "reconnect_timeout": "1h",
                  "tombstone_timeout": "2h",
                  "broadcast_timeout": "7s",
                  "leave_on_terminate": true,
                  "skip_leave_on_interrupt": false,
                  "disable_name_resolution": false,
                  "query_response_size_limit": 2048,
                  "query_size_limit": 2048,
                  "user_event_size_limit": 1024,
                  "retry_interval": "5s",
                  "retry_max_attempts": 2,
                  "disable_coordinates": false
                }
                """.formatted("true #" + deployChannel, "true #" + memberChannel, seed.gossipAddress());
    }

    private String serfYaml() {
        return """
                # the same settings as serfJson(), in YAML
                role: web
                tags:
                  dc: east
                  rack: r1
                event_handlers:
                  - "user:deploy=true #%s"
                  - "member-join,member-leave=true #%s"
                start_join: ["%s"]
                replay_on_join: false
                rpc_auth: s3cret
                log_level: info
                profile: lan
                protocol: 5
                reconnect_interval: 10s
                reconnect_timeout: 1h
                tombstone_timeout: 2h
                broadcast_timeout: 7s
                leave_on_terminate: true
                skip_leave_on_interrupt: false
                disable_name_resolution: false
                query_response_size_limit: 2048
                query_size_limit: 2048
                user_event_size_limit: 1024
                retry_interval: 5s
                retry_max_attempts: 2
                disable_coordinates: false
                """.formatted(deployChannel, memberChannel, seed.gossipAddress());
    }

    /** What the test must set on top of the user's file: name, loopback on port 0, and where plugins are. */
    private AgentConfig local(String name) {
        return JSON.convertValue(Map.of("node_name", name, "bind", "127.0.0.1:0", "rpc_addr", "127.0.0.1:0",
                "plugins_dir", plugins.toString(), "data_dir", shared.resolve(name + "-data").toString()), AgentConfig.class);
    }

    /** As AgentCommand reads it: defaults &lt; files &lt; flags. */
    private AgentConfig readConfig(String name, Path... files) throws ConfigException {
        return ConfigMerge.mergeAll(List.of(AgentConfig.defaults(), ConfigMerge.mergeAll(ConfigLoader.load(List.of(files))),
                local(name)));
    }

    private Agent start(AgentConfig cfg) throws Exception {
        Agent a = Agent.start(AgentSettings.from(cfg, shared.resolve(cfg.nodeName() + "-home")));
        open.add(a);
        if (cfg.startJoin() != null && !cfg.startJoin().isEmpty()) {
            a.join(cfg.startJoin(), Boolean.TRUE.equals(cfg.replayOnJoin()));
        }
        return a;
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(shared.resolve(name), content);
    }

    private static CliResult serfCli(String command, String rpcAddr, String... args) {
        List<String> cmd = new ArrayList<>(List.of(SerfAgent.SERF, command, "-rpc-addr=" + rpcAddr));
        cmd.addAll(List.of(args));
        return SerfAgent.run(cmd, SerfAgent.CLI_TIMEOUT);
    }

    private static JsonNode info(String rpcAddr) throws Exception {
        CliResult r = serfCli("info", rpcAddr, "-rpc-auth=s3cret", "-format=json");
        assertEquals(0, r.exitCode(), r.output());
        return JSON.readTree(r.output());
    }

    private static String hostPort(java.net.InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void serfJsonIsAcceptedUnchangedAndMeansWhatItMeansToSerf() throws Exception {
        Path file = write("serf.json", serfJson());
        // serf itself accepts this very file (flags only pin names and ports)...
        try (SerfAgent real = SerfAgent.builder("realcfg", shared).logLevel("info").rpcAuth("s3cret")
                .arg("-config-file=" + file).start()) {
            // ...and so does Rumor, joining through the file's start_join
            Agent ours = start(readConfig("rumorcfg", file));
            Eventually.await(WAIT, () -> "alive".equals(seed.statusOf("rumorcfg")) && "alive".equals(seed.statusOf("realcfg")),
                    () -> "seed sees " + seed.members());
            // the agents describe themselves the same way: tags (role merged in) and the handler table
            JsonNode theirs = info(real.rpcAddress());
            JsonNode mine = info(hostPort(ours.rpcAddress()));
            assertEquals(theirs.path("tags"), mine.path("tags"));
            assertEquals(JSON.readTree("{\"dc\":\"east\",\"rack\":\"r1\",\"role\":\"web\"}"), mine.path("tags"));
            assertEquals(theirs.path("event_handlers"), mine.path("event_handlers"));
            assertEquals(seed.member("realcfg").orElseThrow().tags(), seed.member("rumorcfg").orElseThrow().tags());
            // rpc_auth: the same answers to no token, a wrong token and the right one
            for (String[] args : new String[][] {{}, {"-rpc-auth=wrong"}}) {
                CliResult a = serfCli("members", real.rpcAddress(), args);
                CliResult b = serfCli("members", hostPort(ours.rpcAddress()), args);
                assertEquals(a.exitCode(), b.exitCode(), a.output() + "\n" + b.output());
                assertEquals(a.output().replace(real.rpcAddress(), "ADDR"),
                        b.output().replace(hostPort(ours.rpcAddress()), "ADDR"));
            }
            assertEquals(0, serfCli("members", hostPort(ours.rpcAddress()), "-rpc-auth=s3cret").exitCode());
            // the settings took effect
            AgentSettings s = ours.settings();
            assertEquals(Duration.ofSeconds(7), s.config().broadcastTimeout().value());
            assertEquals(Duration.ofHours(1), s.config().reconnectTimeout().value());
            assertEquals(1024, s.config().userEventSizeLimit());
            assertTrue(s.config().leaveOnTerminate());
            // and the serf event handlers run: a user event from the seed reaches the user:deploy handler only
            assertTrue(seed.cli("event", "-coalesce=false", "deploy", "v1").ok());
            Eventually.await(WAIT, () -> PluginSink.lines(deployChannel).contains("user:deploy"),
                    () -> "deploy handler saw " + PluginSink.lines(deployChannel) + "; plugins: " + ours.stats().get("plugins"));
            // member events are coalesced (serf's 3 s / 1 s quiet), so they may come after the user event
            Eventually.await(WAIT, () -> PluginSink.lines(memberChannel).contains("member-join"), () -> "member handler saw "
                    + PluginSink.lines(memberChannel));
            assertFalse(PluginSink.lines(memberChannel).contains("user:deploy"));
        }
    }

    @Test
    void theSameConfigInYamlGivesTheSameResult() throws Exception {
        Path json = write("same.json", serfJson());
        Path yaml = write("same.yaml", serfYaml());
        AgentConfig fromJson = readConfig("samename", json);
        AgentConfig fromYaml = readConfig("samename", yaml);
        assertEquals(fromJson, fromYaml);
        AgentSettings a = AgentSettings.from(fromJson, shared);
        AgentSettings b = AgentSettings.from(fromYaml, shared);
        assertEquals(a.tags(), b.tags());
        assertEquals(Map.of("role", "web", "dc", "east", "rack", "r1"), b.tags());
        // a running agent from the YAML file looks exactly like one from the JSON file
        Agent fromJsonAgent = start(readConfig("jsonagent", json));
        Agent fromYamlAgent = start(readConfig("yamlagent", yaml));
        assertEquals(fromJsonAgent.stats().get("tags"), fromYamlAgent.stats().get("tags"));
        assertEquals(fromJsonAgent.stats().get("event_handlers"), fromYamlAgent.stats().get("event_handlers"));
        Eventually.await(WAIT, () -> "alive".equals(seed.statusOf("yamlagent")), () -> "seed sees " + seed.members());
        assertEquals(seed.member("jsonagent").orElseThrow().tags(), seed.member("yamlagent").orElseThrow().tags());
    }

    /** {@code rumor agent -config-file BAD}: the error on stdout, exit 1, nothing started. */
    private CliResult agentCommand(Path file) throws Exception {
        StringWriter out = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        // loopback port 0 in case a bug let the agent start: it must never take serf's fixed default ports
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> cl.execute("agent", "-config-file",
                file.toString(), "-bind=127.0.0.1:0", "-rpc-addr=127.0.0.1:0", "-plugins-dir=" + plugins));
        return new CliResult(code.get(15, TimeUnit.SECONDS), out.toString());
    }

    private void assertRefused(String fileName, String content, String expectedError) throws Exception {
        Path f = write(fileName, content);
        CliResult r = agentCommand(f);
        assertEquals(1, r.exitCode(), r.output());
        assertEquals("==> " + expectedError.replace("FILE", f.toString()), r.output().strip());
    }

    @Test
    void badFilesAreRefusedWithFileLineColumnAndKey() throws Exception {
        assertRefused("unknown.json", "{\n  \"node_name\": \"x\",\n  \"colour\": \"red\"\n}\n",
                "Error loading config: FILE:3:3: unknown key 'colour' (at colour)");
        assertRefused("type.json", "{\n  \"tags\": \"web\"\n}\n",
                "Error loading config: FILE:2:11: wrong type, expected an object of keys (at tags)");
        assertRefused("dup.json", "{\n  \"role\": \"a\",\n  \"role\": \"b\"\n}\n",
                "Error loading config: FILE:3:9: duplicate key 'role'");
        assertRefused("nested.json", "{\n  \"tags\": {\"a\": \"b\"},\n  \"retry_max_attempts\": \"three\"\n}\n",
                "Error loading config: FILE:3:25: invalid value 'three', expected an integer (at retry_max_attempts)");
        assertRefused("duration.json", "{\n  \"reconnect_timeout\": \"soon\"\n}\n",
                "Error loading config: FILE:2:24: invalid duration 'soon' (use e.g. 500ms, 30s, 5m, 1h30m) (at reconnect_timeout)");
        assertRefused("syntax.json", "{\n  \"role\": \"a\"\n  \"tags\": {}\n}\n",
                "Error loading config: FILE:3:3: Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries");
        assertRefused("unknown.yaml", "role: web\ncolour: red\n", "Error loading config: FILE:2:1: unknown key 'colour' (at colour)");
        assertRefused("type.yaml", "role: web\nstart_join: 127.0.0.1\n",
                "Error loading config: FILE:2:13: wrong type, expected a list (at start_join)");
        assertRefused("dup.yaml", "role: a\nrole: b\n", "Error loading config: FILE:2:5: duplicate key 'role'");
        assertRefused("handlers.json", "{\n  \"event_handlers\": [\"bogus-event=/bin/true\"]\n}\n",
                "event_handlers[0]: Invalid event script: 'bogus-event=/bin/true': invalid event filter 'bogus-event' (expected "
                        + "member-join, member-leave, member-failed, member-update, member-reap, user, user:NAME, query, "
                        + "query:NAME or *)");
        assertRefused("level.json", "{\"log_level\": \"loud\"}",
                "Invalid log level: loud. Valid log levels are: [TRACE DEBUG INFO WARN ERR]");
    }

    /**
     * A serf agent of its own for a test that watches gossip: agents closed by earlier tests stay gossip
     * targets for 30 s after their death (memberlist's GossipToTheDeadTime), which can starve a seed they share.
     */
    private SerfAgent ownSeed(String name) {
        SerfAgent s = SerfAgent.builder(name, shared).logLevel("info").start();
        open.add(s);
        return s;
    }

    @Test
    void reloadChangesTagsAndHandlersAndABrokenFileChangesNothing() throws Exception {
        SerfAgent seed = ownSeed("seedrl");
        Path file = write("reload.json", "{\"tags\": {\"role\": \"web\"}, \"start_join\": [\"" + seed.gossipAddress() + "\"]}");
        Agent agent = start(readConfig("rumorrl", file));
        Eventually.await(WAIT, () -> "alive".equals(seed.statusOf("rumorrl")), () -> "seed sees " + seed.members());
        List<Map<String, Object>> updates = new CopyOnWriteArrayList<>();
        RpcClient stream = RpcClient.connect(seed.rpcAddress(), "", Duration.ofSeconds(10));
        open.add(stream);
        stream.stream("member-update", updates::add);

        // edited file: new tags and a new handler
        String channel = "reload-" + UUID.randomUUID();
        write("reload.json", "{\"tags\": {\"role\": \"db\", \"zone\": \"z1\"}, \"start_join\": [\"" + seed.gossipAddress()
                + "\"], \"event_handlers\": [\"user:reloaded=true #" + channel + "\"]}");
        List<String> lines = agent.reload(readConfig("rumorrl", file), shared);
        assertTrue(lines.contains("tags: {role=db, zone=z1}"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("handlers: ")), lines.toString());
        Eventually.await(WAIT, () -> Map.of("role", "db", "zone", "z1").equals(seed.member("rumorrl").orElseThrow().tags()),
                () -> "seed sees " + seed.members());
        Eventually.await(WAIT, () -> updates.stream().anyMatch(u -> IpcCodec.list(u, "Members").stream()
                .anyMatch(m -> "rumorrl".equals(IpcCodec.str(asMap(m), "Name"))
                        && "db".equals(IpcCodec.strMap(asMap(m), "Tags").get("role")))),
                () -> "member-update records: " + updates);
        assertTrue(seed.cli("event", "-coalesce=false", "reloaded").ok());
        Eventually.await(WAIT, () -> PluginSink.lines(channel).contains("user:reloaded"),
                () -> "new handler saw " + PluginSink.lines(channel));

        // a file that does not parse: the reload never reaches the agent, and says exactly where
        write("reload.json", "{\"tags\": {\"role\": \"broken\"},\n  \"start_join\": [}");
        ConfigException bad = assertThrows(ConfigException.class, () -> readConfig("rumorrl", file));
        assertTrue(bad.getMessage().startsWith(file + ":2:"), bad.getMessage());
        // a file that parses but is invalid: Agent.reload reports it and keeps everything
        write("reload.json", "{\"tags\": {\"role\": \"broken\"}, \"log_level\": \"loud\"}");
        List<String> refused = agent.reload(readConfig("rumorrl", file), shared);
        assertEquals(List.of("Failed to reload configs: Invalid log level: loud. Valid log levels are: "
                + "[TRACE DEBUG INFO WARN ERR]; keeping the running configuration"), refused);
        write("reload.json", "{\"tags\": {\"role\": \"broken\"}, \"event_handlers\": [\"nope=/bin/true\"]}");
        refused = agent.reload(readConfig("rumorrl", file), shared);
        assertEquals(1, refused.size(), refused.toString());
        assertTrue(refused.get(0).startsWith("Failed to reload configs: event_handlers[0]: Invalid event script: 'nope=/bin/true'"),
                refused.toString());
        assertEquals(Map.of("role", "db", "zone", "z1"), agent.cluster().tags());
        assertEquals(Map.of("role", "db", "zone", "z1"), agent.stats().get("tags"));
        assertEquals(Map.of("user:reloaded", "true #" + channel), agent.stats().get("event_handlers"));
        assertEquals(Map.of("role", "db", "zone", "z1"), seed.member("rumorrl").orElseThrow().tags());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void sighupReloadsTheRunningProcess() throws Exception {
        SerfAgent seed = ownSeed("seedhup");
        Path file = write("hup.json", "{\"tags\": {\"role\": \"web\"}}");
        try (RumorAgent agent = RumorAgent.builder("rumorhup", shared).logLevel("info").arg("-config-file=" + file)
                .join(seed.gossipAddress()).start()) {
            Eventually.await(WAIT, () -> Map.of("role", "web").equals(seed.member("rumorhup").map(m -> m.tags()).orElse(null)),
                    () -> "seed sees " + seed.members());
            write("hup.json", "{\"tags\": {\"role\": \"db\"}}");
            agent.signal("HUP");
            Eventually.await(WAIT, () -> Map.of("role", "db").equals(seed.member("rumorhup").orElseThrow().tags()),
                    () -> "seed sees " + seed.members() + "\n" + agent.log());
            assertTrue(seed.log().contains("EventMemberUpdate: rumorhup"), seed.log());
            write("hup.json", "{\"tags\": {\"role\": \"cache\"},\n \"colour\": 1}");
            agent.signal("HUP");
            Eventually.await(WAIT, () -> agent.log().contains("Failed to reload configs: " + file + ":2:2: unknown key 'colour' (at colour)"),
                    agent::log);
            assertTrue(agent.isRunning());
            assertTrue(agent.cli("info").output().contains("\trole = db\n"), agent.cli("info").output());
            assertEquals(Map.of("role", "db"), seed.member("rumorhup").orElseThrow().tags());
        }
    }
}
