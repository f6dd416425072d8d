package dev.rumor.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AgentCommandTest {

    private static AgentCommand.AgentSettings parse(String... args) {
        AgentCommand cmd = new AgentCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.settings();
    }

    private static InetSocketAddress addr(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void acceptsSerfStyleAndDoubleDashFlags() throws Exception {
        byte[] key = new byte[16];
        key[0] = 9;
        AgentCommand.AgentSettings s = parse("-node=n1", "-bind=127.0.0.1:0", "-join=127.0.0.1:7000", "--join",
                "127.0.0.2", "-tag", "role=web", "--tag=k=v=x", "--encrypt=" + Base64.getEncoder().encodeToString(key),
                "-profile", "local", "-advertise=127.0.0.9");
        assertEquals("n1", s.membership().name());
        assertEquals(addr("127.0.0.1", 0), s.bind());
        assertEquals(List.of(addr("127.0.0.1", 7000), addr("127.0.0.2", 7946)), s.join());
        assertEquals(Map.of("role", "web", "k", "v=x"), s.tags());
        assertArrayEquals(key, s.key());
        assertEquals(Duration.ofMillis(200), s.membership().probeTimeout(), "local profile");
        assertEquals(addr("127.0.0.9", 0), s.advertise());
    }

    @Test
    void defaultsFollowSerf() throws Exception {
        AgentCommand.AgentSettings s = parse("-node", "x");
        assertEquals(addr("0.0.0.0", 7946), s.bind());
        assertEquals("lan", s.profile());
        assertEquals(Duration.ofMillis(500), s.membership().probeTimeout());
        assertNull(s.key());
        assertNull(s.advertise());
        assertEquals(List.of(), s.join());
        assertEquals(Map.of(), s.tags());
    }

    @Test
    void rejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> parse("-node=x", "-profile=fast"));
        assertThrows(IllegalArgumentException.class, () -> parse("-node=x", "-encrypt=not*base64"));
        assertThrows(IllegalArgumentException.class, () -> parse("-node=x", "-encrypt=" + Base64.getEncoder().encodeToString(new byte[10])));
        assertThrows(IllegalArgumentException.class, () -> parse("-node=x", "-bind=127.0.0.1:70000"));
        assertThrows(CommandLine.UnmatchedArgumentException.class, () -> parse("-node=x", "-bogus=1"));
    }

    @Test
    void parsesSerfAddressForms() throws Exception {
        assertEquals(addr("::1", 7946), HostPort.parse("[::1]:7946", 1));
        assertEquals(addr("::1", 1), HostPort.parse("::1", 1));
        assertEquals(addr("::1", 1), HostPort.parse("[::1]", 1));
        assertEquals(addr("127.0.0.1", 5), HostPort.parse("127.0.0.1:5", 1));
        assertEquals("[0:0:0:0:0:0:0:1]:7", HostPort.format(addr("::1", 7)));
        assertEquals("127.0.0.1:7", HostPort.format(addr("127.0.0.1", 7)));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse(":5", 1));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[::1", 1));
    }
}
