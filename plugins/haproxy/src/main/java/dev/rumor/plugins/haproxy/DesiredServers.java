package dev.rumor.plugins.haproxy;

import dev.rumor.plugin.Member;
import dev.rumor.plugin.MemberStatus;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Which servers each backend should have: alive members whose tags match the backend's selector. Pure;
 * the output is sorted by server name so the rendered config is deterministic.
 */
final class DesiredServers {
    private DesiredServers() {
    }

    /**
     * @param warn receives one message per member that matches but cannot be a server (bad port tag,
     *             name collision); the caller decides how often to log them
     * @return backend name → server name → server, for every backend in {@code backends} (possibly empty)
     */
    static Map<String, SortedMap<String, ServerSpec>> compute(List<BackendSpec> backends, List<Member> members,
                                                              Consumer<String> warn) {
        List<Member> sorted = members.stream().sorted(Comparator.comparing(Member::name)).toList();
        Map<String, SortedMap<String, ServerSpec>> out = new LinkedHashMap<>();
        for (BackendSpec backend : backends) {
            SortedMap<String, ServerSpec> servers = new TreeMap<>();
            for (Member m : sorted) {
                if (m.status() != MemberStatus.ALIVE || !matches(backend.selector(), m.tags())) {
                    continue;
                }
                Integer port = backend.port();
                if (port == null) {
                    port = parsePort(m.tag(backend.portTag()));
                    if (port == null) {
                        warn.accept("backend " + backend.name() + ": member " + m.name() + " has no valid '"
                                + backend.portTag() + "' tag (" + m.tag(backend.portTag()) + "); not added");
                        continue;
                    }
                }
                String name = ServerNames.render(backend.serverName(), m.name(), m.address(), port);
                ServerSpec previous = servers.get(name);
                if (previous != null) {
                    warn.accept("backend " + backend.name() + ": members " + previous.member() + " and " + m.name()
                            + " both map to server name '" + name + "'; keeping " + previous.member());
                    continue;
                }
                servers.put(name, new ServerSpec(name, m.name(), m.address(), port, backend.serverKeywords()));
            }
            out.put(backend.name(), servers);
        }
        return out;
    }

    static boolean matches(Map<String, String> selector, Map<String, String> tags) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(tags.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Integer parsePort(String value) {
        if (value == null || !value.matches("\\d{1,5}")) {
            return null;
        }
        int p = Integer.parseInt(value);
        return p >= 1 && p <= 65535 ? p : null;
    }
}
