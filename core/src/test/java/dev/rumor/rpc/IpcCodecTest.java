package dev.rumor.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading IPC values: large payloads (read piecewise), and hostile declared lengths. */
class IpcCodecTest {

    private static Object read(byte[] wire) throws IOException {
        return IpcCodec.read(IpcCodec.unpacker(new ByteArrayInputStream(wire)));
    }

    @Test
    void payloadsLargerThanOneChunkRoundTrip() throws IOException {
        byte[] big = new byte[IpcCodec.CHUNK * 3 + 17];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        String text = "é".repeat(IpcCodec.CHUNK);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) read(IpcCodec.encode(Map.of("Bin", big, "Str", text)));
        assertArrayEquals(big, (byte[]) back.get("Bin"));
        assertEquals(text, back.get("Str"));
    }

    @Test
    void aTruncatedLargePayloadIsAnIoError() throws IOException {
        byte[] wire = IpcCodec.encode((Object) new byte[IpcCodec.CHUNK * 2]);
        assertThrows(IOException.class, () -> read(Arrays.copyOf(wire, IpcCodec.CHUNK + 100)));
    }

    @Test
    void absurdLengthsAreRefusedBeforeReading() {
        for (String hex : new String[] {"db7fffffff", "c6ffffffff", "dd7fffffff", "df01000001"}) {
            assertThrows(IOException.class, () -> read(HexFormat.of().parseHex(hex)), hex);
        }
    }
}
