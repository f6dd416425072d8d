package dev.rumor.plugins.haproxy;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One HAProxy backend this handler keeps equal to a set of members.
 *
 * @param name         the HAProxy backend name
 * @param selector     tags a member must all have, with these exact values, to be a server here
 * @param port         fixed server port, or null when {@code portTag} is used
 * @param portTag      tag holding the server port (e.g. "port"), or null when {@code port} is used
 * @param serverName   server-name scheme; {@code {name}}, {@code {address}}, {@code {port}} are substituted,
 *                     then the result is sanitised ({@link ServerNames})
 * @param check        whether servers get health checks ({@code check} keyword)
 * @param checkOptions extra server keywords written after {@code check} (e.g. "inter 2s rise 2 fall 3"),
 *                     used both in {@code add server} and in the config file
 */
record BackendSpec(String name, Map<String, String> selector, Integer port, String portTag, String serverName,
                   boolean check, String checkOptions) {

    static final Set<String> KEYS = Set.of("name", "selector", "port", "port_tag", "server_name", "check",
            "check_options");
    private static final Pattern BACKEND_NAME = Pattern.compile("[A-Za-z0-9._:-]+");

    BackendSpec {
        Objects.requireNonNull(name, "name");
        selector = Map.copyOf(selector);
        checkOptions = checkOptions == null ? "" : checkOptions.trim();
    }

    static BackendSpec parse(SettingsReader r) {
        r.rejectUnknown(KEYS);
        String name = r.requireString("name");
        if (!BACKEND_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(r.name("name") + ": not a valid HAProxy backend name: " + name);
        }
        Integer port = r.integer("port", 1, 65535);
        String portTag = r.string("port_tag", null);
        if ((port == null) == (portTag == null)) {
            throw new IllegalArgumentException(r.name("port") + ": set exactly one of port and port_tag");
        }
        String checkOptions = r.string("check_options", "");
        if (checkOptions.contains("\n") || checkOptions.contains(";")) {
            // ';' separates runtime API commands and a newline ends one: either would inject a command.
            throw new IllegalArgumentException(r.name("check_options") + ": must not contain ';' or a newline");
        }
        boolean check = r.bool("check", !checkOptions.isBlank());
        if (!check && !checkOptions.isBlank()) {
            throw new IllegalArgumentException(r.name("check_options") + ": needs check: true");
        }
        String scheme = r.string("server_name", "{name}");
        if (scheme.isBlank()) {
            throw new IllegalArgumentException(r.name("server_name") + ": must not be empty");
        }
        return new BackendSpec(name, r.stringMap("selector"), port, portTag, scheme, check, checkOptions);
    }

    /** The keywords after {@code ADDR:PORT} on a server line (empty, or "check ..."). */
    String serverKeywords() {
        if (!check) {
            return "";
        }
        return checkOptions.isEmpty() ? "check" : "check " + checkOptions;
    }
}
