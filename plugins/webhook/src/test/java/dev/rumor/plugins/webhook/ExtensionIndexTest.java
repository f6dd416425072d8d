package dev.rumor.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import org.junit.jupiter.api.Test;

/** PF4J finds the factory only through the generated index; a build without annotation processing has none. */
class ExtensionIndexTest {
    @Test
    void factoryIsIndexed() throws Exception {
        boolean found = false;
        Enumeration<URL> idx = getClass().getClassLoader().getResources("META-INF/extensions.idx");
        while (idx.hasMoreElements()) {
            try (InputStream in = idx.nextElement().openStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                found |= text.lines().anyMatch(l -> l.strip().equals(WebhookHandlerFactory.class.getName()));
            }
        }
        assertTrue(found, "META-INF/extensions.idx lists " + WebhookHandlerFactory.class.getName());
        assertEquals("webhook", new WebhookHandlerFactory().type());
    }
}
