package dev.rumor.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    /** The config from wire-protocol.md §10.1, as written for the real serf. */
    private static final String SERF_JSON = """
            {"node_name":"epsilon","bind":"127.0.0.1:17951","rpc_addr":"127.0.0.1:17381","rpc_auth":"s3cret",
             "keyring_file":"/etc/serf/eps-keyring.json","tags":{"role":"lb"},
             "event_handlers":["query:q1=/etc/serf/handler.sh","user:deploy,member-join=/etc/serf/handler.sh"],
             "snapshot_path":"/etc/serf/eps.snap", "start_join":["127.0.0.1:7946"], "role":"lb",
             "reconnect_interval":"45s", "tombstone_timeout":"1h30m", "leave_on_terminate": true}
            """;

    private static final String SAME_AS_YAML = """
            # the same settings as SERF_JSON, in YAML
            node_name: epsilon
            bind: 127.0.0.1:17951
            rpc_addr: 127.0.0.1:17381
            rpc_auth: s3cret
            keyring_file: /etc/serf/eps-keyring.json
            tags:
              role: lb
            event_handlers:
              - query:q1=/etc/serf/handler.sh
              - user:deploy,member-join=/etc/serf/handler.sh
            snapshot_path: /etc/serf/eps.snap
            start_join: ["127.0.0.1:7946"]
            role: lb
            reconnect_interval: 45s
            tombstone_timeout: 1h30m
            leave_on_terminate: true
            """;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void serfJsonIsAcceptedUnchanged() throws Exception {
        AgentConfig c = ConfigLoader.loadFile(write("serf.json", SERF_JSON));
        assertEquals("epsilon", c.nodeName());
        assertEquals("127.0.0.1:17951", c.bind());
        assertEquals("s3cret", c.rpcAuth());
        assertEquals(Map.of("role", "lb"), c.tags());
        assertEquals(List.of("query:q1=/etc/serf/handler.sh", "user:deploy,member-join=/etc/serf/handler.sh"),
                c.eventHandlers());
        assertEquals(Duration.ofSeconds(45), c.reconnectInterval().value());
        assertEquals(Duration.ofMinutes(90), c.tombstoneTimeout().value());
        assertEquals(Boolean.TRUE, c.leaveOnTerminate());
        assertNull(c.profile(), "keys not in the file stay unset so layering works");
    }

    @Test
    void failOnRefusedProbeReachesTheMembershipConfig() throws Exception {
        java.nio.file.Path home = write("home-marker", "").getParent();
        AgentConfig defaults = ConfigMerge.mergeAll(List.of(AgentConfig.defaults()));
        assertTrue(dev.rumor.agent.AgentSettings.from(defaults, home).membershipConfig(true).failOnRefusedProbe());
        AgentConfig off = ConfigMerge.mergeAll(List.of(AgentConfig.defaults(),
                ConfigLoader.loadFile(write("refused.yaml", "fail_on_refused_probe: false\n"))));
        assertEquals(Boolean.FALSE, off.failOnRefusedProbe());
        assertTrue(!dev.rumor.agent.AgentSettings.from(off, home).membershipConfig(true).failOnRefusedProbe());
    }

    @Test
    void yamlGivesTheSameResultAsJson() throws Exception {
        AgentConfig json = ConfigLoader.loadFile(write("a.json", SERF_JSON));
        AgentConfig yaml = ConfigLoader.loadFile(write("a.yaml", SAME_AS_YAML));
        assertEquals(json, yaml);
    }

    @Test
    void unknownKeyNamesFileLineColumnAndKey() throws Exception {
        Path f = write("bad.yaml", "node_name: a\nrpc_adr: 127.0.0.1:7373\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadFile(f));
        assertEquals(2, e.line());
        assertEquals(1, e.column());
        assertEquals("rpc_adr", e.key());
        assertEquals(f + ":2:1: unknown key 'rpc_adr' (at rpc_adr)", e.getMessage());
    }

    @Test
    void unknownKeyInsideHandlerIsLocated() throws Exception {
        Path f = write("h.json", "{\n  \"handlers\": [\n    {\"plugin\": \"webhook\", \"evnts\": \"*\"}\n  ]\n}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadFile(f));
        assertEquals(3, e.line());
        assertEquals("handlers[0].evnts", e.key());
        assertTrue(e.getMessage().contains("unknown key 'evnts'"), e.getMessage());
    }

    @Test
    void duplicateKeyIsAnError() throws Exception {
        Path f = write("dup.json", "{\"node_name\": \"a\",\n \"node_name\": \"b\"}");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadFile(f));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("duplicate key 'node_name'"), e.getMessage());
    }

    @Test
    void duplicateKeyInYamlIsAnError() throws Exception {
        Path f = write("dup.yml", "node_name: a\ntags:\n  role: web\n  role: db\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadFile(f));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("duplicate key 'role'"), e.getMessage());
    }

    @Test
    void wrongTypeIsLocated() throws Exception {
        Path f = write("t.json", "{\"start_join\": \"127.0.0.1\"}");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadFile(f));
        assertEquals("start_join", e.key());
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("expected a list"), e.getMessage());

        Path g = write("t.yaml", "node_name: a\nretry_max_attempts: ten\n");
        ConfigException e2 = assertThrows(ConfigException.class, () -> ConfigLoader.loadFile(g));
        assertEquals(2, e2.line());
        assertEquals("retry_max_attempts", e2.key());
        assertTrue(e2.getMessage().contains("invalid value 'ten', expected an integer"), e2.getMessage());
    }

    @Test
    void badDurationIsLocated() throws Exception {
        Path f = write("d.yaml", "node_name: a\n\nreconnect_interval: soon\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadFile(f));
        assertEquals(3, e.line());
        assertEquals("reconnect_interval", e.key());
        assertTrue(e.getMessage().contains("invalid duration 'soon'"), e.getMessage());
    }

    @Test
    void syntaxErrorIsLocated() throws Exception {
        Path f = write("s.json", "{\"node_name\": \"a\",\n \"bind\" \"x\"}");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadFile(f));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().startsWith(f + ":2:"), e.getMessage());
    }

    @Test
    void topLevelMustBeAnObject() throws Exception {
        Path f = write("l.yaml", "- a\n- b\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadFile(f));
        assertTrue(e.getMessage().contains("must be an object"), e.getMessage());
    }

    @Test
    void emptyAndCommentOnlyFilesAreEmptyConfigs() throws Exception {
        assertEquals(AgentConfig.empty(), ConfigLoader.loadFile(write("e.yaml", "")));
        assertEquals(AgentConfig.empty(), ConfigLoader.loadFile(write("c.yaml", "# nothing\n")));
        assertEquals(AgentConfig.empty(), ConfigLoader.loadFile(write("e.json", "  \n")));
    }

    @Test
    void directoryIsReadInLexicalOrderAndOtherFilesIgnored() throws Exception {
        Path d = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(d.resolve("20-over.json"), "{\"rpc_addr\": \"127.0.0.1:9999\", \"tags\": {\"dc\": \"east\"},"
                + " \"event_handlers\": [\"b.sh\"]}");
        Files.writeString(d.resolve("10-base.yaml"), "rpc_addr: 127.0.0.1:1111\ntags: {role: web}\nevent_handlers: [a.sh]\n");
        Files.writeString(d.resolve("README.txt"), "not config");
        Files.writeString(d.resolve("30-last.yml"), "node_name: n3\n");
        List<AgentConfig> layers = ConfigLoader.load(List.of(d));
        assertEquals(3, layers.size());
        AgentConfig merged = ConfigMerge.mergeAll(List.of(AgentConfig.defaults(), ConfigMerge.mergeAll(layers)));
        assertEquals("127.0.0.1:9999", merged.rpcAddr());
        assertEquals(Map.of("role", "web", "dc", "east"), merged.tags());
        assertEquals(List.of("a.sh", "b.sh"), merged.eventHandlers());
        assertEquals("n3", merged.nodeName());
        assertEquals("lan", merged.profile());
    }

    @Test
    void handlersCarryPluginSettingsOpaquely() throws Exception {
        Path f = write("h.yaml", """
                handlers:
                  - name: hooks
                    plugin: webhook
                    events: member-join,user:deploy
                    member_tags: {role: web}
                    timeout: 10s
                    config:
                      endpoints:
                        - url: http://127.0.0.1:8080/hook
                      secret: s
                """);
        AgentConfig c = ConfigLoader.loadFile(f);
        HandlerConfig h = c.handlers().get(0);
        assertEquals("webhook", h.plugin());
        assertEquals(Map.of("role", "web"), h.memberTags());
        assertEquals(Duration.ofSeconds(10), h.timeout().value());
        assertEquals("s", h.config().get("secret"));
        assertTrue(h.config().get("endpoints") instanceof List<?>);
    }
}
