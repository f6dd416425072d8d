package dev.rumor.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.rumor.agent.config.AgentConfig;
import dev.rumor.agent.config.ConfigLoader;
import dev.rumor.agent.config.HandlerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped sample configs ({@code conf/rumor.yaml} and {@code conf/examples/rumor.json}) are valid for
 * the agent's own loader and say the same thing, so an operator can start from either.
 */
class SampleConfigTest {
    private static final Path CONF = Path.of("src/main/dist/conf");

    @Test
    void yamlAndJsonSamplesLoadToTheSameConfig() throws Exception {
        AgentConfig yaml = ConfigLoader.loadFile(CONF.resolve("rumor.yaml"));
        AgentConfig json = ConfigLoader.loadFile(CONF.resolve("examples/rumor.json"));
        assertEquals(yaml, json);
    }

    @Test
    void sampleSetsSerfKeysAndRumorHandlers() throws Exception {
        AgentConfig c = ConfigLoader.loadFile(CONF.resolve("rumor.yaml"));
        assertEquals("web-1", c.nodeName());
        assertEquals("0.0.0.0:7946", c.bind());
        assertEquals("127.0.0.1:7373", c.rpcAddr());
        assertEquals(Map.of("role", "web", "dc", "east"), c.tags());
        assertEquals(1, c.eventHandlers().size());
        assertEquals(Duration.ofHours(24), c.reconnectTimeout().value());
        assertEquals(Duration.ofSeconds(60), c.handlerTimeout().value());

        List<HandlerConfig> handlers = c.handlers();
        assertEquals(List.of("audit", "deploy"), handlers.stream().map(HandlerConfig::name).toList());
        HandlerConfig deploy = handlers.get(1);
        assertEquals("shell-exec", deploy.plugin());
        assertEquals("user:deploy", deploy.events());
        assertEquals(Map.of("role", "web"), deploy.selfTags());
        assertEquals(Duration.ofMinutes(5), deploy.timeout().value());
        assertEquals(16, deploy.queueSize());
        assertNotNull(deploy.config().get("script"));
    }

    @Test
    void configDirReadsTheYamlOnlyOnce() throws Exception {
        // examples/ is a subdirectory, so `agent -config-dir=conf` does not load the JSON twin as well
        // (which would double every list: event_handlers, handlers).
        assertEquals(List.of(CONF.resolve("rumor.yaml")), ConfigLoader.configFilesIn(CONF));
        assertEquals(1, ConfigLoader.load(List.of(CONF)).size());
    }
}
