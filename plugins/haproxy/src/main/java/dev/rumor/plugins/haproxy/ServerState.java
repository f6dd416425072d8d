package dev.rumor.plugins.haproxy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One row of {@code show servers state BACKEND} (format version 1, management.txt §9.3).
 *
 * @param name       server name
 * @param address    server address as HAProxy holds it ("-" when unresolved)
 * @param port       server port
 * @param opState    0 stopped, 1 starting, 2 running, 3 stopping
 * @param adminState bit set: 0x01 forced maintenance, 0x08 forced drain, others inherited/config states
 */
record ServerState(String name, String address, int port, int opState, int adminState) {
    static final int ADMIN_FORCED_MAINT = 0x01;
    static final int ADMIN_FORCED_DRAIN = 0x08;

    boolean inForcedMaint() {
        return (adminState & ADMIN_FORCED_MAINT) != 0;
    }

    boolean inForcedDrain() {
        return (adminState & ADMIN_FORCED_DRAIN) != 0;
    }

    /**
     * Parses the whole answer. Columns are located through the header line, not by position, so added
     * columns in later HAProxy versions don't shift anything.
     *
     * @throws RuntimeApiException when the answer is not a state dump (e.g. "Can't find backend.")
     */
    static List<ServerState> parse(String command, String response) throws RuntimeApiException {
        String[] lines = response.split("\n");
        if (lines.length < 2 || !lines[0].trim().equals("1") || !lines[1].startsWith("# ")) {
            throw new RuntimeApiException(command, response);
        }
        List<String> header = Arrays.asList(lines[1].substring(2).trim().split("\\s+"));
        int name = header.indexOf("srv_name");
        int addr = header.indexOf("srv_addr");
        int op = header.indexOf("srv_op_state");
        int admin = header.indexOf("srv_admin_state");
        int port = header.indexOf("srv_port");
        if (name < 0 || addr < 0 || op < 0 || admin < 0 || port < 0) {
            throw new RuntimeApiException(command, response);
        }
        List<ServerState> out = new ArrayList<>();
        for (int i = 2; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length < header.size()) {
                throw new RuntimeApiException(command, response);
            }
            try {
                out.add(new ServerState(f[name], f[addr], Integer.parseInt(f[port]), Integer.parseInt(f[op]),
                        Integer.parseInt(f[admin])));
            } catch (NumberFormatException e) {
                throw new RuntimeApiException(command, response);
            }
        }
        return out;
    }
}
