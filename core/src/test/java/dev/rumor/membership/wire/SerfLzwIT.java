package dev.rumor.membership.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.membership.wire.Message.Ack;
import dev.rumor.membership.wire.Message.Ping;
import dev.rumor.membership.wire.Message.PushPull;
import dev.rumor.msgpack.MsgpackReader;
import dev.rumor.testing.FreePorts;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real serf binary: its compressed push/pull reply is big enough to make Go's LZW writer reset
 * its table (code 4095), which no short capture exercised (wire-protocol.md §13). We decode it and our
 * encoder must reproduce the agent's compressed bytes exactly. Also checks our stream framing end to end
 * (frame reader on a live socket, stream ping answered with a compressed ack).
 */
class SerfLzwIT {

    private Process agent;

    @AfterEach
    void stopAgent() throws InterruptedException {
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                agent.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void run(Path log, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
            assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + Files.readString(log));
        } finally {
            p.destroyForcibly();
        }
    }

    private static byte[] exchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            return PacketCodec.readFrame(new BufferedInputStream(s.getInputStream()));
        }
    }

    @Test
    void agentPushPullIsCompressedExactlyLikeOurLzw(@TempDir Path dir) throws Exception {
        // Below the ephemeral range: a port found by binding port 0 can be taken by an outgoing connection
        // before the serf agent binds it, and this agent is started once, without a retry.
        int gossip = FreePorts.belowEphemeralRange(true);
        int rpc = FreePorts.belowEphemeralRange(false);
        Path log = dir.resolve("agent.log");
        agent = new ProcessBuilder("serf", "agent", "-node", "lzw-alpha", "-bind", "127.0.0.1:" + gossip,
                "-rpc-addr", "127.0.0.1:" + rpc, "-log-level", "debug")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), rpc), 500);
                break;
            } catch (IOException notYet) {
                assertTrue(agent.isAlive(), Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "agent did not start:\n" + Files.readString(log));
                Thread.sleep(50);
            }
        }
        // fill the agent's event buffer with ~11 KB of poorly compressible text
        Random rnd = new Random(11);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        String[] payloads = new String[25];
        for (int i = 0; i < payloads.length; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < 440; j++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            payloads[i] = sb.toString();
            run(dir.resolve("cli.log"), "serf", "event", "-rpc-addr=127.0.0.1:" + rpc, "ev" + i, payloads[i]);
        }

        // anti-entropy push/pull with no nodes and no user state: the agent replies with its full state
        PacketCodec plain = new PacketCodec(null, false);
        byte[] reply = exchange(gossip, plain.encodeStream(new PushPull(false, List.of(), new byte[0])));
        assertNotNull(reply);
        assertEquals(MessageType.COMPRESS.code(), reply[0]);
        byte[] lzw = compressBuf(reply);
        byte[] inner = Lzw.decompress(lzw, PacketCodec.MAX_STREAM_EXPANSION);
        assertTrue(Lzw.clearCodes(lzw, inner.length) >= 2, "the agent's LZW stream must contain a table reset");
        assertArrayEquals(lzw, Lzw.compress(inner), "our LZW output differs from Go's");
        assertArrayEquals(reply, Compression.wrap(inner));

        PushPull pp = (PushPull) plain.decodeStream(reply);
        assertEquals("lzw-alpha", pp.nodes().get(0).name());
        assertEquals(gossip, pp.nodes().get(0).port());
        assertArrayEquals(new byte[] {1, 5, 2, 2, 5, 5}, pp.nodes().get(0).vsn());
        String state = new String(pp.userState(), StandardCharsets.ISO_8859_1);
        for (String p : payloads) {
            assertTrue(state.contains(p), "event payload missing from serf state");
        }
        assertArrayEquals(reply, new PacketCodec(null, true).encodeStream(pp), "re-encoded reply differs");

        // stream ping (our uncompressed request) is answered with a compressed ack for the same SeqNo
        byte[] ack = exchange(gossip, plain.encodeStream(new Ping(4242, "lzw-alpha", null, 0, "")));
        assertEquals(MessageType.COMPRESS.code(), ack[0]);
        assertEquals(4242, ((Ack) plain.decodeStream(ack)).seqNo());
        assertArrayEquals(ack, new PacketCodec(null, true).encodeStream(new Ack(4242, null)));
    }

    private static byte[] compressBuf(byte[] frame) throws Exception {
        byte[][] buf = {null};
        new MsgpackReader(frame, 1, frame.length - 1).readStruct((k, r) -> {
            if (k.equals("Buf")) {
                buf[0] = r.readBytes();
                return true;
            }
            return false;
        });
        return buf[0];
    }
}
