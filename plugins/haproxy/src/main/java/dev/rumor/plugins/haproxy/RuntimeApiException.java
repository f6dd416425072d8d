package dev.rumor.plugins.haproxy;

import java.io.IOException;

/** HAProxy answered a runtime API command with something other than its success answer. */
final class RuntimeApiException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String command;
    private final String response;

    RuntimeApiException(String command, String response) {
        super("HAProxy rejected '" + command + "': " + summarise(response)
                + (response.contains("Permission denied") ? " (the stats socket needs 'level admin')" : ""));
        this.command = command;
        this.response = response;
    }

    String command() {
        return command;
    }

    String response() {
        return response;
    }

    /** HAProxy refuses {@code del server} while connections or a queue remain. */
    boolean stillHasConnections() {
        return response.contains("still has connections") || response.contains("queue");
    }

    private static String summarise(String response) {
        String s = response.strip();
        if (s.isEmpty()) {
            return "(empty answer)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " ...";
    }
}
