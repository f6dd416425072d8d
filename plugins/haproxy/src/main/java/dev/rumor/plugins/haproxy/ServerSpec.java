package dev.rumor.plugins.haproxy;

/**
 * A server this handler wants in a backend.
 *
 * @param name     HAProxy server name (sanitised)
 * @param member   the member it stands for, for log messages
 * @param address  IP address (dynamic servers don't resolve names, so members' IPs are used)
 * @param port     server port
 * @param keywords server keywords after ADDR:PORT ("" or "check ...")
 */
record ServerSpec(String name, String member, String address, int port, String keywords) {

    /** The line inside the managed block of the config file. */
    String configLine() {
        return "server " + name + " " + RuntimeApi.hostPort(address, port) + (keywords.isEmpty() ? "" : " " + keywords);
    }

    boolean sameTarget(ServerState state) {
        return state.address().equals(address) && state.port() == port;
    }
}
