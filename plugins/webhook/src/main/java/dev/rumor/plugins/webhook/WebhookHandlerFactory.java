package dev.rumor.plugins.webhook;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.EventHandlerFactory;
import dev.rumor.plugin.HandlerContext;
import java.util.Map;
import org.pf4j.Extension;

/** The "webhook" handler type: POSTs each event as a signed JSON document to HTTP endpoints. */
@Extension
public final class WebhookHandlerFactory implements EventHandlerFactory {

    @Override
    public String type() {
        return "webhook";
    }

    /** @throws IllegalArgumentException naming the key, e.g. "endpoints[0].url is required" */
    @Override
    public EventHandler create(HandlerContext context, Map<String, Object> config) {
        return new WebhookHandler(context, WebhookSettings.parse(config), Timing.SYSTEM);
    }
}
