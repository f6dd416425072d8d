package dev.rumor.plugins.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime API client against a fake CLI on a unix socket: error detection and timeouts. */
class RuntimeApiIT {
    @TempDir
    Path tmp;

    private ServerSocketChannel server;
    private Thread acceptor;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final List<String> received = new CopyOnWriteArrayList<>();

    private RuntimeApi start() throws IOException {
        Path sock = tmp.resolve("fake.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        acceptor = new Thread(() -> {
            while (true) {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    while (c.read(buf) >= 0) {
                        if (buf.position() > 0 && buf.get(buf.position() - 1) == '\n') {
                            break;
                        }
                    }
                    String cmd = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).trim();
                    received.add(cmd);
                    String answer = answers.getOrDefault(cmd, "Unknown command, but maybe...\n");
                    if (answer.equals("HANG")) {
                        Thread.sleep(3000);
                        continue;
                    }
                    c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return new RuntimeApi(RuntimeEndpoint.parse("runtime_socket", sock.toString()), Duration.ofMillis(500));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
            acceptor.interrupt();
            acceptor.join(5000);
        }
    }

    @Test
    void successAnswersAreAccepted() throws Exception {
        RuntimeApi api = start();
        answers.put("add server web/a 10.0.0.1:80 check", "New server registered.\n\n");
        answers.put("enable health web/a", "\n");
        answers.put("set server web/a state ready", "\n");
        answers.put("del server web/a", "Server deleted.\n");
        answers.put("set server web/a addr 10.0.0.2 port 81", "IP changed from '10.0.0.1' to '10.0.0.2'\n");
        answers.put("show stat web 4 -1", "# pxname,svname,qcur,qmax,scur,smax\nweb,a,1,0,2,3\nweb,BACKEND,0,0,9,9\n");
        answers.put("show servers state web", ServerStateTest.STATE);
        api.addServer("web", "a", "10.0.0.1", 80, "check");
        api.enableHealth("web", "a");
        api.setState("web", "a", "ready");
        api.setAddress("web", "a", "10.0.0.2", 81);
        api.deleteServer("web", "a");
        assertEquals(Map.of("a", 3), api.activeSessions("web"));
        assertEquals(2, api.serversState("web").size());
        assertEquals(List.of("add server web/a 10.0.0.1:80 check", "enable health web/a",
                "set server web/a state ready", "set server web/a addr 10.0.0.2 port 81", "del server web/a",
                "show stat web 4 -1", "show servers state web"), received);
    }

    @Test
    void errorAnswersBecomeExceptions() throws Exception {
        RuntimeApi api = start();
        answers.put("add server web/a 10.0.0.1:80", "Already exists a server with the same name in backend.\n");
        answers.put("set server web/a state maint", "Permission denied\n");
        answers.put("del server web/a", "Server still has connections attached to it, cannot remove it.\n");
        RuntimeApiException e = assertThrows(RuntimeApiException.class,
                () -> api.addServer("web", "a", "10.0.0.1", 80, ""));
        assertTrue(e.getMessage().contains("Already exists"), e.getMessage());
        e = assertThrows(RuntimeApiException.class, () -> api.setState("web", "a", "maint"));
        assertTrue(e.getMessage().contains("Permission denied"), e.getMessage());
        e = assertThrows(RuntimeApiException.class, () -> api.deleteServer("web", "a"));
        assertTrue(e.stillHasConnections());
        assertThrows(RuntimeApiException.class, () -> api.enableHealth("web", "a")); // "Unknown command"
    }

    @Test
    void aSilentHaproxyTimesOut() throws Exception {
        RuntimeApi api = start();
        answers.put("show servers state web", "HANG");
        long t0 = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> api.serversState("web"));
        assertTrue(System.nanoTime() - t0 < 2_500_000_000L, "bounded by the command timeout");
    }

    @Test
    void missingSocketIsExplained() {
        RuntimeApi api = new RuntimeApi(RuntimeEndpoint.parse("runtime_socket", tmp.resolve("none.sock").toString()),
                Duration.ofSeconds(1));
        IOException e = assertThrows(IOException.class, () -> api.serversState("web"));
        assertTrue(e.getMessage().contains("socket does not exist"), e.getMessage());
    }
}
