package dev.rumor.plugins.haproxy;

/**
 * HAProxy server names from node names. HAProxy accepts letters, digits, '.', '-', '_' and ':' (verified on
 * 2.6: "character '@' is not permitted in server name"); anything else, including '/', which separates
 * backend and server in runtime commands, and spaces, which would split a command, becomes '_'.
 */
final class ServerNames {
    private ServerNames() {
    }

    static String sanitize(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '-' || c == '_' || c == ':';
            sb.append(ok ? c : '_');
        }
        return sb.isEmpty() ? "_" : sb.toString();
    }

    /** Applies a {@code server_name} scheme ({@code {name}}, {@code {address}}, {@code {port}}), then sanitises. */
    static String render(String scheme, String memberName, String address, int port) {
        return sanitize(scheme.replace("{name}", memberName).replace("{address}", address)
                .replace("{port}", Integer.toString(port)));
    }
}
