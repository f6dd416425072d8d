package dev.rumor.testing;

import java.util.Map;

/**
 * One line of {@code serf members -format=json} as the real agent reports it.
 *
 * @param addr   "ip:port" exactly as serf prints it
 * @param status alive, leaving, left or failed
 */
public record SerfMember(String name, String addr, int port, String status, Map<String, String> tags) {
    public boolean isAlive() {
        return "alive".equals(status);
    }
}
