package dev.rumor.plugins.haproxy;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime API commands this plugin uses, each checked against HAProxy's success answer. HAProxy
 * always answers with text, errors included ("No such server.", "Permission denied", "Unknown command..."),
 * so every command states what success looks like and anything else becomes a {@link RuntimeApiException}.
 *
 * <p>One command per connection: with {@code ;}-chained commands the answers run together and an error
 * can't be attributed. Thread contract: stateless apart from the endpoint; any thread.
 */
final class RuntimeApi {
    private final RuntimeEndpoint endpoint;
    private final Duration timeout;

    RuntimeApi(RuntimeEndpoint endpoint, Duration timeout) {
        this.endpoint = endpoint;
        this.timeout = timeout;
    }

    RuntimeEndpoint endpoint() {
        return endpoint;
    }

    List<ServerState> serversState(String backend) throws IOException {
        String cmd = "show servers state " + backend;
        return ServerState.parse(cmd, CliExchange.exchange(endpoint, cmd, timeout));
    }

    /** Current sessions plus queued requests per server of {@code backend} (from {@code show stat}). */
    Map<String, Integer> activeSessions(String backend) throws IOException {
        String cmd = "show stat " + backend + " 4 -1";
        String response = CliExchange.exchange(endpoint, cmd, timeout);
        String[] lines = response.split("\n");
        if (lines.length == 0 || !lines[0].startsWith("# pxname,")) {
            throw new RuntimeApiException(cmd, response);
        }
        List<String> header = Arrays.asList(lines[0].substring(2).split(",", -1));
        int px = header.indexOf("pxname");
        int sv = header.indexOf("svname");
        int scur = header.indexOf("scur");
        int qcur = header.indexOf("qcur");
        Map<String, Integer> out = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            if (f.length < header.size() || !f[px].equals(backend) || f[sv].equals("BACKEND")) {
                continue;
            }
            out.put(f[sv], parseOrZero(f[scur]) + parseOrZero(f[qcur]));
        }
        return out;
    }

    void addServer(String backend, String server, String address, int port, String keywords) throws IOException {
        String cmd = "add server " + backend + "/" + server + " " + hostPort(address, port)
                + (keywords.isEmpty() ? "" : " " + keywords);
        expectContains(cmd, "New server registered");
    }

    void enableHealth(String backend, String server) throws IOException {
        expectEmpty("enable health " + backend + "/" + server);
    }

    /** state: ready, drain or maint. */
    void setState(String backend, String server, String state) throws IOException {
        expectEmpty("set server " + backend + "/" + server + " state " + state);
    }

    void setAddress(String backend, String server, String address, int port) throws IOException {
        String cmd = "set server " + backend + "/" + server + " addr " + address + " port " + port;
        String response = CliExchange.exchange(endpoint, cmd, timeout);
        if (!response.contains("changed from") && !response.contains("no need to change")) {
            throw new RuntimeApiException(cmd, response);
        }
    }

    void shutdownSessions(String backend, String server) throws IOException {
        expectEmpty("shutdown sessions server " + backend + "/" + server);
    }

    void deleteServer(String backend, String server) throws IOException {
        expectContains("del server " + backend + "/" + server, "Server deleted");
    }

    static String hostPort(String address, int port) {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    private void expectEmpty(String cmd) throws IOException {
        String response = CliExchange.exchange(endpoint, cmd, timeout);
        if (!response.isBlank()) {
            throw new RuntimeApiException(cmd, response);
        }
    }

    private void expectContains(String cmd, String success) throws IOException {
        String response = CliExchange.exchange(endpoint, cmd, timeout);
        if (!response.contains(success)) {
            throw new RuntimeApiException(cmd, response);
        }
    }

    private static int parseOrZero(String s) {
        try {
            return s.isEmpty() ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
