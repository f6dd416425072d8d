package dev.rumor.plugins.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/** Config file installs validated by the real {@code haproxy -c}. */
class ConfigInstallerIT {
    @TempDir
    Path dir;

    private final CapturingLogger log = new CapturingLogger("installer");

    private HaproxySettings settings(Map<String, Object> extra) {
        Map<String, Object> s = new java.util.HashMap<>(Map.of(
                "backends", List.of(Map.of("name", "web", "port", 80)),
                "runtime_socket", dir.resolve("admin.sock").toString(),
                "config_file", dir.resolve("haproxy.cfg").toString(),
                "haproxy_binary", HaproxyProcess.BINARY));
        s.putAll(extra);
        return HaproxySettings.parse(s);
    }

    private static Map<String, SortedMap<String, ServerSpec>> servers(String keywords, String... names) {
        SortedMap<String, ServerSpec> m = new TreeMap<>();
        for (String n : names) {
            m.put(n, new ServerSpec(n, n, "127.0.0.1", 8080, keywords));
        }
        return Map.of("web", m);
    }

    // haproxy -c exits 2 ("will not start, no listener") without a frontend; -c binds nothing.
    private final String base;

    ConfigInstallerIT() throws java.io.IOException {
        base = "defaults\n    mode http\n    timeout connect 1s\n    timeout client 1s\n    timeout server 1s\n"
                + "frontend fe\n    bind 127.0.0.1:" + HaproxyProcess.freePort() + "\n    default_backend web\n"
                + "backend web\n    balance roundrobin\n";
    }

    @Test
    void installsValidatedFilesAtomicallyAndKeepsPermissions() throws Exception {
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, base);
        Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("rw-r-----"));
        ConfigInstaller installer = new ConfigInstaller(settings(Map.of()), log);

        assertEquals(ConfigInstaller.Outcome.Kind.INSTALLED, installer.sync(servers("check", "a", "b")).kind());
        String installed = Files.readString(cfg);
        assertTrue(installed.contains("    # BEGIN rumor-managed backend web\n    server a 127.0.0.1:8080 check\n"
                + "    server b 127.0.0.1:8080 check\n    # END rumor-managed\n"), installed);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(cfg)));
        assertEquals(ConfigInstaller.Outcome.Kind.UNCHANGED, installer.sync(servers("check", "a", "b")).kind());

        ConfigInstaller.Outcome bad = installer.sync(servers("check inter banana", "a", "b"));
        assertEquals(ConfigInstaller.Outcome.Kind.REJECTED, bad.kind());
        assertEquals(installed, Files.readString(cfg));
        List<String> errors = log.find(Level.ERROR, "failed validation");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains("'server web/a'"), errors.get(0));
        // The same rejected text is not validated (or logged) again.
        assertEquals(ConfigInstaller.Outcome.Kind.REJECTED, installer.sync(servers("check inter banana", "a", "b"))
                .kind());
        assertEquals(1, log.find(Level.ERROR, "failed validation").size());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("haproxy.cfg"), files.map(p -> p.getFileName().toString()).toList());
        }

        ConfigInstaller.Outcome changed = installer.sync(servers("check inter 3s", "a"));
        assertEquals(ConfigInstaller.Outcome.Kind.INSTALLED, changed.kind());
        assertTrue(changed.needsReload(), "an existing server's options changed");
    }

    @Test
    void rendersFromATemplate() throws Exception {
        Path template = dir.resolve("haproxy.cfg.tmpl");
        Files.writeString(template, base + "    {{servers web}}\n");
        ConfigInstaller installer = new ConfigInstaller(settings(Map.of("template_file", template.toString())), log);
        assertEquals(ConfigInstaller.Outcome.Kind.INSTALLED, installer.sync(servers("", "a")).kind());
        assertEquals(base + "    # BEGIN rumor-managed backend web\n    server a 127.0.0.1:8080\n"
                + "    # END rumor-managed\n", Files.readString(dir.resolve("haproxy.cfg")));
    }

    @Test
    void missingBackendSectionIsReportedNotInstalled() throws Exception {
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, "defaults\n    mode http\n");
        ConfigInstaller installer = new ConfigInstaller(settings(Map.of()), log);
        assertEquals(ConfigInstaller.Outcome.Kind.REJECTED, installer.sync(servers("", "a")).kind());
        assertEquals("defaults\n    mode http\n", Files.readString(cfg));
        assertEquals(1, log.find(Level.ERROR, "no 'backend web' section").size());
    }
}
