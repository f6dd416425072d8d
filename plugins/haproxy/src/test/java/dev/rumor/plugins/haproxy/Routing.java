package dev.rumor.plugins.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;

/** Assertions shared by the HAProxy ITs: what answers through the frontend, and what the managed block holds. */
final class Routing {
    private Routing() {
    }

    /** {@code requests} requests through HAProxy all succeed and come from servers in {@code expected}. */
    static void assertOnlyFrom(HaproxyProcess haproxy, Set<String> expected, int requests) throws IOException {
        for (int i = 0; i < requests; i++) {
            Http.Response r = Http.get(haproxy.frontendPort, "/");
            assertEquals(200, r.status(), "request " + i + " through HAProxy: " + r.body());
            assertTrue(expected.contains(r.body()), "answer from " + r.body() + ", expected one of " + expected);
        }
    }

    /** The managed block of backend {@code web} lists exactly these servers, each at its web server's port. */
    static void assertConfigServers(HaproxyProcess haproxy, Map<String, WebServer> web, String... names)
            throws IOException {
        Map<String, String> managed = ManagedConfig.managedServers(Files.readString(haproxy.config))
                .getOrDefault("web", Map.of());
        assertEquals(Set.of(names), managed.keySet(), "servers in the managed block");
        for (String name : names) {
            assertTrue(managed.get(name).contains("127.0.0.1:" + web.get(name).port()), managed.get(name));
        }
    }
}
