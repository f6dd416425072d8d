package dev.rumor.plugins.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ManagedConfigTest {
    private static final String CONFIG = String.join("\n",
            "global",
            "    stats socket /run/haproxy/admin.sock level admin",
            "",
            "backend web",
            "    balance roundrobin",
            "    server static-1 10.0.0.1:80 check",
            "    # BEGIN rumor-managed backend web",
            "    server old 10.0.0.9:80",
            "    # END rumor-managed",
            "    # operator comment after the block",
            "",
            "backend api",
            "    balance leastconn",
            "",
            "");

    private static SortedMap<String, ServerSpec> servers(ServerSpec... specs) {
        SortedMap<String, ServerSpec> m = new TreeMap<>();
        for (ServerSpec s : specs) {
            m.put(s.name(), s);
        }
        return m;
    }

    private static ServerSpec spec(String name, String ip, int port, String keywords) {
        return new ServerSpec(name, name, ip, port, keywords);
    }

    @Test
    void replacesOnlyTheBlockAndKeepsEverythingElse() throws Exception {
        String out = ManagedConfig.apply(CONFIG, Map.of("web",
                servers(spec("web-2", "10.0.0.3", 8080, "check"), spec("web-1", "10.0.0.2", 8080, "check"))));
        assertEquals(CONFIG.replace("    server old 10.0.0.9:80\n",
                "    server web-1 10.0.0.2:8080 check\n    server web-2 10.0.0.3:8080 check\n"), out);
        assertEquals(out, ManagedConfig.apply(out, Map.of("web",
                servers(spec("web-1", "10.0.0.2", 8080, "check"), spec("web-2", "10.0.0.3", 8080, "check")))),
                "idempotent");
    }

    @Test
    void emptyBlockWhenNoServers() throws Exception {
        String out = ManagedConfig.apply(CONFIG, Map.of("web", servers()));
        assertTrue(out.contains("    # BEGIN rumor-managed backend web\n    # END rumor-managed\n"), out);
    }

    @Test
    void addsABlockAtTheEndOfASectionWithoutOne() throws Exception {
        String out = ManagedConfig.apply(CONFIG, Map.of("api", servers(spec("a-1", "10.0.1.1", 9000, ""))));
        assertTrue(out.endsWith("backend api\n    balance leastconn\n    # BEGIN rumor-managed backend api\n"
                + "    server a-1 10.0.1.1:9000\n    # END rumor-managed\n\n"), out);
        assertEquals(Map.of("a-1", "server a-1 10.0.1.1:9000"), ManagedConfig.managedServers(out).get("api"));
    }

    @Test
    void missingBackendOrEndMarkerIsAnError() {
        assertThrows(ManagedConfig.EditException.class,
                () -> ManagedConfig.apply(CONFIG, Map.of("nope", servers())));
        String broken = CONFIG.replace("    # END rumor-managed\n", "");
        assertThrows(ManagedConfig.EditException.class, () -> ManagedConfig.apply(broken, Map.of("web", servers())));
    }

    @Test
    void templatePlaceholdersBecomeBlocks() throws Exception {
        String template = "backend web\n    balance roundrobin\n    {{ servers web }}\n";
        String out = ManagedConfig.renderTemplate(template, Map.of("web", servers(spec("w", "10.0.0.2", 80, ""))));
        assertEquals("backend web\n    balance roundrobin\n    # BEGIN rumor-managed backend web\n"
                + "    server w 10.0.0.2:80\n    # END rumor-managed\n", out);
    }

    @Test
    void staticAndManagedServersAreTellApart() {
        assertEquals(Set.of("static-1"), ManagedConfig.staticServers(CONFIG, "web"));
        assertEquals(Set.of(), ManagedConfig.staticServers(CONFIG, "api"));
        assertEquals(Map.of("old", "server old 10.0.0.9:80"), ManagedConfig.managedServers(CONFIG).get("web"));
    }

    @Test
    void onlyOptionChangesNeedAReload() {
        String a = CONFIG;
        String moved = CONFIG.replace("server old 10.0.0.9:80", "server old 10.0.0.10:81");
        String checked = CONFIG.replace("server old 10.0.0.9:80", "server old 10.0.0.9:80 check");
        String added = CONFIG.replace("server old 10.0.0.9:80", "server old 10.0.0.9:80\n    server n 10.0.0.7:80");
        assertFalse(ConfigInstaller.optionsChanged(a, moved));
        assertFalse(ConfigInstaller.optionsChanged(a, added));
        assertTrue(ConfigInstaller.optionsChanged(a, checked));
    }
}
