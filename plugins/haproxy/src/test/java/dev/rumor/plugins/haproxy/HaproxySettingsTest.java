package dev.rumor.plugins.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HaproxySettingsTest {

    private static Map<String, Object> backend() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", "web");
        b.put("selector", Map.of("role", "web"));
        b.put("port", 8080);
        return b;
    }

    private static Map<String, Object> minimal() {
        Map<String, Object> s = new HashMap<>();
        s.put("backends", List.of(backend()));
        s.put("runtime_socket", "/run/haproxy/admin.sock");
        return s;
    }

    private static String error(Map<String, Object> settings) {
        return assertThrows(IllegalArgumentException.class, () -> HaproxySettings.parse(settings)).getMessage();
    }

    @Test
    void defaults() {
        HaproxySettings s = HaproxySettings.parse(minimal());
        BackendSpec b = s.backends().get(0);
        assertEquals("web", b.name());
        assertEquals(Map.of("role", "web"), b.selector());
        assertEquals(8080, b.port());
        assertNull(b.portTag());
        assertEquals("{name}", b.serverName());
        assertFalse(b.check());
        assertEquals("", b.serverKeywords());
        assertEquals(UnixDomainSocketAddress.of("/run/haproxy/admin.sock"), s.runtimeSocket().address());
        assertNull(s.configFile());
        assertEquals("haproxy", s.haproxyBinary());
        assertTrue(s.validate());
        assertNull(s.reload());
        assertEquals(Duration.ofSeconds(30), s.drainTimeout());
        assertEquals(Duration.ofSeconds(10), s.holdDown());
        assertEquals(Duration.ofSeconds(30), s.reconcileInterval());
    }

    @Test
    void everySetting() {
        Map<String, Object> b = backend();
        b.remove("port");
        b.put("port_tag", "port");
        b.put("server_name", "{name}-{port}");
        b.put("check", true);
        b.put("check_options", "inter 2s rise 2");
        Map<String, Object> s = minimal();
        s.put("backends", List.of(b));
        s.put("runtime_socket", "tcp:127.0.0.1:9999");
        s.put("config_file", "/etc/haproxy/haproxy.cfg");
        s.put("template_file", "/etc/haproxy/haproxy.cfg.tmpl");
        s.put("haproxy_binary", "/usr/sbin/haproxy");
        s.put("reload", "master_socket:/run/haproxy-master.sock");
        s.put("drain_timeout", "1m");
        s.put("hold_down", "500ms");
        s.put("reconcile_interval", 5);
        s.put("validate", false);
        HaproxySettings p = HaproxySettings.parse(s);
        assertEquals("check inter 2s rise 2", p.backends().get(0).serverKeywords());
        assertEquals("port", p.backends().get(0).portTag());
        assertEquals(InetSocketAddress.createUnresolved("127.0.0.1", 9999), p.runtimeSocket().address());
        assertEquals(Path.of("/etc/haproxy/haproxy.cfg"), p.configFile());
        assertEquals(Path.of("/etc/haproxy/haproxy.cfg.tmpl"), p.templateFile());
        assertInstanceOf(ReloadMethod.MasterSocket.class, p.reload());
        assertEquals(Duration.ofMinutes(1), p.drainTimeout());
        assertEquals(Duration.ofMillis(500), p.holdDown());
        assertEquals(Duration.ofSeconds(5), p.reconcileInterval());
        assertFalse(p.validate());
    }

    @Test
    void reloadForms() {
        assertEquals(new ReloadMethod.PidFile(Path.of("/run/haproxy.pid")),
                ReloadMethod.parse("reload", "pid_file:/run/haproxy.pid"));
        assertEquals(new ReloadMethod.Command(List.of("systemctl", "reload", "haproxy")),
                ReloadMethod.parse("reload", "command:systemctl reload haproxy"));
        assertEquals(new ReloadMethod.Command(List.of("systemctl", "reload", "haproxy")),
                ReloadMethod.parse("reload", Map.of("command", List.of("systemctl", "reload", "haproxy"))));
        assertInstanceOf(ReloadMethod.MasterSocket.class,
                ReloadMethod.parse("reload", Map.of("master_socket", "/run/m.sock")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReloadMethod.parse("reload", "restart"))
                .getMessage().startsWith("reload:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReloadMethod.parse("reload", "signal:HUP"))
                .getMessage().contains("unknown reload method"));
    }

    @Test
    void errorsNameTheKey() {
        Map<String, Object> s = minimal();
        s.remove("backends");
        assertTrue(error(s).startsWith("backends is required"));

        s = minimal();
        s.put("runtime_sock", "/x");
        assertTrue(error(s).startsWith("runtime_sock: unknown setting"), error(s));

        Map<String, Object> b = backend();
        b.put("port_tag", "port");
        s = minimal();
        s.put("backends", List.of(b));
        assertEquals("backends[0].port: set exactly one of port and port_tag", error(s));

        b = backend();
        b.put("port", "http");
        s.put("backends", List.of(b));
        assertTrue(error(s).startsWith("backends[0].port: expected an integer"), error(s));

        b = backend();
        b.put("check_options", "inter 1s; del server web/x");
        s.put("backends", List.of(b));
        assertTrue(error(s).startsWith("backends[0].check_options"), error(s));

        b = backend();
        b.put("name", "we b");
        s.put("backends", List.of(b));
        assertTrue(error(s).startsWith("backends[0].name"), error(s));

        s = minimal();
        s.put("backends", List.of(backend(), backend()));
        assertTrue(error(s).contains("listed twice"), error(s));

        s = minimal();
        s.put("drain_timeout", "soon");
        assertTrue(error(s).startsWith("drain_timeout: expected a duration"), error(s));

        s = minimal();
        s.put("reconcile_interval", "0s");
        assertTrue(error(s).startsWith("reconcile_interval"), error(s));

        s = minimal();
        s.remove("runtime_socket");
        assertTrue(error(s).startsWith("runtime_socket or config_file is required"), error(s));

        s = minimal();
        s.remove("runtime_socket");
        s.put("config_file", "/etc/haproxy/haproxy.cfg");
        assertTrue(error(s).startsWith("reload is required"), error(s));

        s = minimal();
        s.put("runtime_socket", "tcp:localhost");
        assertTrue(error(s).startsWith("runtime_socket: expected tcp:HOST:PORT"), error(s));
    }
}
