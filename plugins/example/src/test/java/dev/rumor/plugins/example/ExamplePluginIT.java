package dev.rumor.plugins.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rumor.agent.plugin.EventFilter;
import dev.rumor.agent.plugin.HandlerSpec;
import dev.rumor.agent.plugin.InstanceStats;
import dev.rumor.agent.plugin.PluginHost;
import dev.rumor.agent.plugin.PluginInfo;
import dev.rumor.plugin.Member;
import dev.rumor.plugin.MemberStatus;
import dev.rumor.plugin.event.UserEvent;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.FixedClusterView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged example jar is a valid plugin: PF4J finds its factory through the manifest and the index. */
class ExamplePluginIT {

    @TempDir
    Path tmp;

    @Test
    void packagedJarLoadsAndHandlesEvents() throws Exception {
        Path jar;
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            jar = s.filter(p -> p.getFileName().toString().matches("rumor-plugin-example-.*\\.jar"))
                    .findFirst().orElseThrow();
        }
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        Member self = new Member("n1", "127.0.0.1", 7946, Map.of(), MemberStatus.ALIVE);
        try (PluginHost host = PluginHost.builder(plugins, tmp.resolve("data"), new FixedClusterView(self)).build()) {
            host.reload(List.of(HandlerSpec.of("audit", "example", EventFilter.all(), Map.of("prefix", "seen"))));
            PluginInfo info = host.stats().plugins().get(0);
            assertEquals("example", info.id());
            assertEquals(List.of("example"), info.types());
            host.dispatcher().dispatch(new UserEvent(1, "deploy", new byte[0], false));
            Eventually.await(Duration.ofSeconds(10), () -> host.stats().instances().get(0).runs() == 1,
                    () -> host.stats().toString());
            InstanceStats st = host.stats().instances().get(0);
            assertEquals(0, st.failures());
            assertEquals("example", st.pluginId());
        }
    }
}
