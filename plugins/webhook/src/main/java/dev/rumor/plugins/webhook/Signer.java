package dev.rumor.plugins.webhook;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub-style body signature: {@code sha256=<lower-case hex HMAC-SHA256(secret, raw body)>}. Receivers that
 * already verify GitHub deliveries can reuse their code; the signed body carries the delivery id and the
 * timestamp, which is what replay protection needs.
 */
final class Signer {
    private final SecretKeySpec key;

    Signer(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256"); // Mac is not thread-safe: one per call
            mac.init(key);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is a required JDK algorithm", e);
        }
    }
}
