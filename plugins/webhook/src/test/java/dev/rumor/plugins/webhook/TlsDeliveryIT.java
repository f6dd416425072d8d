package dev.rumor.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.rumor.plugin.event.UserEvent;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https with a private CA: trusted through ca_file, refused with the JDK's default trust store. */
class TlsDeliveryIT {

    @Test
    void caFileTrustsAPrivateCa(@TempDir Path dir) throws Exception {
        // a throwaway self-signed certificate for 127.0.0.1, made with the JDK's own keytool
        Path keystore = dir.resolve("server.p12");
        Path pem = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(ks.getCertificate("server").getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);

        AtomicInteger hits = new AtomicInteger();
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                hits.incrementAndGet();
                ex.sendResponseHeaders(204, -1);
            }
        });
        server.start();
        TestContext context = new TestContext(dir);
        String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        WebhookHandler trusted = new WebhookHandler(context, WebhookSettings.parse(Map.of(
                "ca_file", pem.toString(), "endpoints", List.of(Map.of("url", url)))), Timing.SYSTEM);
        WebhookHandler untrusted = new WebhookHandler(context, WebhookSettings.parse(Map.of(
                "retry", Map.of("max_attempts", 1), "endpoints", List.of(Map.of("url", url)))), Timing.SYSTEM);
        try {
            trusted.handle(new UserEvent(1, "deploy", null, false));
            untrusted.handle(new UserEvent(1, "deploy", null, false));
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((trusted.stats().get(0).delivered() < 1 || untrusted.stats().get(0).dropped() < 1)
                    && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertEquals(new EndpointStats(url, 1, 0, 0, 0), trusted.stats().get(0));
            assertEquals(new EndpointStats(url, 0, 0, 1, 0), untrusted.stats().get(0));
            assertEquals(1, hits.get(), "only the delivery that trusted the CA got through");
        } finally {
            trusted.close();
            untrusted.close();
            server.stop(0);
        }
    }

    private static void keytool(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "keytool finished");
            assertEquals(0, p.exitValue(), "keytool " + String.join(" ", args) + ": " + out);
        } finally {
            p.destroyForcibly();
        }
    }
}
