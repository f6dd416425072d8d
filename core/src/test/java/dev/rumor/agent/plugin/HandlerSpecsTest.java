package dev.rumor.agent.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.agent.config.AgentConfig;
import dev.rumor.agent.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandlerSpecsTest {

    @TempDir
    Path tmp;

    /** Loads a JSON agent config through the real loader, so this test follows AgentConfig's shape. */
    private AgentConfig load(String json) throws Exception {
        Path f = tmp.resolve("agent-" + System.nanoTime() + ".json");
        Files.writeString(f, json);
        return ConfigLoader.loadFile(f);
    }

    @Test
    void serfScriptsThenHandlersWithDefaults() throws Exception {
        List<HandlerSpec> specs = HandlerSpecs.fromConfig(load("""
                {"event_handlers": ["user:deploy=d.sh"], "handler_timeout": "30s", "handler_queue_size": 100,
                 "handlers": [
                   {"name": "lb", "plugin": "haproxy", "events": "member-join,member-leave",
                    "member_tags": {"role": "web"}, "self_tags": {"role": "lb"}, "timeout": "5s", "queue_size": 16,
                    "config": {"socket": "/run/h.sock"}},
                   {"plugin": "example"},
                   {"name": "par", "plugin": "shell-exec", "concurrency": 4, "config": {"script": "x"}}]}
                """));
        assertEquals(4, specs.size());
        assertEquals(4, specs.get(3).concurrency(), "the concurrency key reaches the spec");
        HandlerSpec s0 = specs.get(0);
        assertEquals("event_handlers[0]", s0.name());
        assertEquals("shell-exec", s0.type());
        assertEquals(Duration.ofSeconds(30), s0.timeout());
        assertEquals(100, s0.queueSize());
        HandlerSpec s1 = specs.get(1);
        assertEquals(new HandlerSpec("lb", "haproxy", EventFilter.parse("member-join,member-leave")
                .withMemberTags(Map.of("role", "web")).withLocalTags(Map.of("role", "lb")),
                Map.of("socket", "/run/h.sock"), Duration.ofSeconds(5), 16, 1), s1);
        HandlerSpec s2 = specs.get(2);
        assertEquals("example-1", s2.name());
        assertEquals("*", s2.filter().events());
        assertEquals(Map.of(), s2.settings());
        assertEquals(Duration.ofSeconds(30), s2.timeout());
        assertEquals(1, s2.concurrency(), "serial by default");
    }

    @Test
    void errorsNameTheEntry() throws Exception {
        AgentConfig bad = load("{\"handlers\": [{\"name\": \"x\", \"plugin\": \"example\", \"events\": \"member-joined\"}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HandlerSpecs.fromConfig(bad));
        assertTrue(e.getMessage().startsWith("handlers[0] (x): events: invalid event filter 'member-joined'"),
                e.getMessage());
        AgentConfig noPlugin = load("{\"handlers\": [{\"name\": \"x\"}]}");
        assertEquals("handlers[0]: plugin is required", assertThrows(IllegalArgumentException.class,
                () -> HandlerSpecs.fromConfig(noPlugin)).getMessage());
        AgentConfig zeroQueue = load("{\"handlers\": [{\"name\": \"x\", \"plugin\": \"example\", \"queue_size\": 0}]}");
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> HandlerSpecs.fromConfig(zeroQueue)).getMessage()
                .startsWith("handlers[0] (x): handler 'x': queue_size must be positive"));
        AgentConfig zeroWorkers = load("{\"handlers\": [{\"name\": \"x\", \"plugin\": \"example\", \"concurrency\": 0}]}");
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> HandlerSpecs.fromConfig(zeroWorkers)).getMessage()
                .startsWith("handlers[0] (x): handler 'x': concurrency must be positive"));
    }
}
