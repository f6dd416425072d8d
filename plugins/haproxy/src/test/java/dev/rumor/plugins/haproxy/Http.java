package dev.rumor.plugins.haproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal HTTP/1.0 GET (a fresh connection per request, so HAProxy load-balances every one). */
final class Http {
    /**
     * @param status HTTP status code
     * @param body   response body
     */
    record Response(int status, String body) {
    }

    private Http() {
    }

    static Response get(int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(35_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int sp = raw.indexOf(' ');
            int headerEnd = raw.indexOf("\r\n\r\n");
            if (sp < 0 || headerEnd < 0) {
                throw new IOException("malformed HTTP response: " + raw);
            }
            return new Response(Integer.parseInt(raw.substring(sp + 1, sp + 4)), raw.substring(headerEnd + 4));
        }
    }
}
