package dev.rumor.plugins.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.plugin.Member;
import dev.rumor.plugin.MemberStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredServersTest {
    private static final BackendSpec WEB = new BackendSpec("web", Map.of("role", "web"), null, "port", "{name}",
            true, "inter 1s");

    private static Member m(String name, MemberStatus status, Map<String, String> tags) {
        return new Member(name, "10.0.0." + (name.length() + name.charAt(name.length() - 1) % 50), 7946, tags,
                status);
    }

    @Test
    void aliveMatchingMembersOnly() {
        List<String> warnings = new ArrayList<>();
        var out = DesiredServers.compute(List.of(WEB), List.of(
                m("web-b", MemberStatus.ALIVE, Map.of("role", "web", "port", "8080")),
                m("web-a", MemberStatus.ALIVE, Map.of("role", "web", "port", "8081", "dc", "x")),
                m("web-f", MemberStatus.FAILED, Map.of("role", "web", "port", "8080")),
                m("web-l", MemberStatus.LEAVING, Map.of("role", "web", "port", "8080")),
                m("db-1", MemberStatus.ALIVE, Map.of("role", "db", "port", "5432")),
                m("web-p", MemberStatus.ALIVE, Map.of("role", "web", "port", "http"))), warnings::add);
        var web = out.get("web");
        assertEquals(List.of("web-a", "web-b"), List.copyOf(web.keySet()));
        assertEquals(8081, web.get("web-a").port());
        assertEquals("check inter 1s", web.get("web-a").keywords());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("web-p"), warnings.toString());
    }

    @Test
    void fixedPortSchemeAndSanitising() {
        BackendSpec b = new BackendSpec("api", Map.of(), 9000, null, "{name}@{port}", false, "");
        List<String> warnings = new ArrayList<>();
        var out = DesiredServers.compute(List.of(b), List.of(
                m("node 1/x.example", MemberStatus.ALIVE, Map.of()),
                m("node_1_x.example", MemberStatus.ALIVE, Map.of())), warnings::add);
        assertEquals(List.of("node_1_x.example_9000"), List.copyOf(out.get("api").keySet()));
        assertEquals("node 1/x.example", out.get("api").get("node_1_x.example_9000").member());
        assertEquals(1, warnings.size(), "collision reported");
        assertEquals("server node_1_x.example_9000 " + out.get("api").get("node_1_x.example_9000").address()
                + ":9000", out.get("api").get("node_1_x.example_9000").configLine());
    }

    @Test
    void sanitize() {
        assertEquals("web-1.example_a:b", ServerNames.sanitize("web-1.example_a:b"));
        assertEquals("node_x_y_z", ServerNames.sanitize("node@x/y z"));
        assertEquals("_", ServerNames.sanitize(""));
    }
}
