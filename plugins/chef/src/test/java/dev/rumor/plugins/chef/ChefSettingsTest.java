package dev.rumor.plugins.chef;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.plugin.EventHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChefSettingsTest {

    @Test
    void defaults() {
        ChefSettings s = ChefSettings.parse(Map.of());
        assertEquals(List.of("chef-client", "--once", "--no-fork"), s.command());
        assertTrue(s.events().matches("deploy"));
        assertFalse(s.events().matches("restart"));
        assertTrue(s.selfTags().isEmpty());
        assertEquals(Duration.ofSeconds(30), s.splay());
        assertEquals(Duration.ofMinutes(30), s.timeout());
        assertEquals(Set.of(0, 35, 37), s.successExitCodes());
        assertEquals(Set.of(35, 37), s.rebootExitCodes());
        assertEquals(Path.of("/var/chef/cache/chef-client-running.pid"), s.lockFile());
        assertEquals("chef-status", s.statusQuery());
        assertEquals(20, s.outputLines());
        assertEquals(Map.of(), s.jsonAttributes());
        assertFalse(s.killOnClose());
    }

    @Test
    void readsEverySetting() {
        ChefSettings s = ChefSettings.parse(Map.ofEntries(
                Map.entry("events", "user:deploy, user:release"),
                Map.entry("self_tags", Map.of("role", "web|api")),
                Map.entry("command", List.of("/opt/chef/bin/chef-client", "--once")),
                Map.entry("splay", "1m30s"),
                Map.entry("timeout", 90),
                Map.entry("success_exit_codes", List.of(0, 213)),
                Map.entry("lock_file", ""),
                Map.entry("env", Map.of("HTTPS_PROXY", "http://proxy:3128", "N", 1)),
                Map.entry("status_query", "chef"),
                Map.entry("output_lines", 5)));
        assertTrue(s.events().matches("release"));
        assertTrue(s.selfTags().matches(Map.of("role", "api")));
        assertFalse(s.selfTags().matches(Map.of("role", "webhook")), "anchored: web|api is not a prefix match");
        assertFalse(s.selfTags().matches(Map.of()));
        assertEquals(Duration.ofSeconds(90), s.splay());
        assertEquals(Duration.ofSeconds(90), s.timeout());
        assertEquals(Set.of(0, 213), s.successExitCodes());
        assertNull(s.lockFile(), "empty lock_file disables the lock check");
        assertEquals(Map.of("HTTPS_PROXY", "http://proxy:3128", "N", "1"), s.env());
        assertEquals("chef", s.statusQuery());
        assertEquals(5, s.outputLines());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "timout|30s|timout is not a chef setting",
            "timeout|soon|timeout must be a duration",
            "timeout|0|timeout must be greater than 0",
            "events|member-join|events: chef runs only on user events",
            "events|query:chef-status|events: chef runs only on user events",
            "events|' , '|events must name at least one user event",
            "run_list_allow|(|run_list_allow is not a valid regular expression",
            "output_lines|-1|output_lines must be between 0 and 1000",
            "splay|-5s|splay must be a duration"})
    void invalidSettingsNameTheKey(String key, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChefSettings.parse(Map.of(key, value)));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void commandMustBeNonEmptyStrings() {
        assertThrows(IllegalArgumentException.class, () -> ChefSettings.parse(Map.of("command", List.of())));
        assertThrows(IllegalArgumentException.class,
                () -> ChefSettings.parse(Map.of("command", List.of(Map.of("a", "b")))));
        assertThrows(IllegalArgumentException.class, () -> ChefSettings.parse(Map.of("self_tags", "web")));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), Durations.parse("x", "500ms"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("x", "1h30m"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("x", "1.5s"));
        assertEquals(Duration.ZERO, Durations.parse("x", "0"));
        assertEquals(Duration.ofSeconds(2), Durations.parse("x", 2));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("x", "5"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("x", "5 s"));
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
    }

    @Test
    void factoryCreatesAChefHandler(@TempDir Path tmp) {
        ChefHandlerFactory f = new ChefHandlerFactory();
        assertEquals("chef", f.type());
        TestContext ctx = new TestContext("web1", Map.of(), tmp);
        try (EventHandler h = f.create(ctx, Map.of("lock_file", ""))) {
            assertTrue(h instanceof ChefHandler);
        }
        assertThrows(IllegalArgumentException.class, () -> f.create(ctx, Map.of("splay", "often")));
    }
}
