package dev.rumor.plugins.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds an {@link SSLContext} that trusts exactly the CA certificates of a PEM file (for private CAs). */
final class TlsTrust {
    private TlsTrust() {
    }

    /** @throws IllegalArgumentException naming {@code key} when the file is unreadable or holds no certificate */
    static SSLContext fromPemFile(Path file, String key) {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(file)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": cannot read '" + file + "': " + e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + ": '" + file + "' is not a PEM certificate file: "
                    + e.getMessage());
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(key + ": no certificate in '" + file + "'");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(key + ": cannot use '" + file + "': " + e.getMessage());
        }
    }
}
