package dev.rumor.plugins.haproxy;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.EventHandlerFactory;
import dev.rumor.plugin.HandlerContext;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The {@code haproxy} handler type: HAProxy backends follow the cluster's alive members (serf's
 * web-load-balancer demo, done with the runtime API plus a validated config file). Settings are
 * validated here; the returned handler starts reconciling at once on its own thread.
 */
@Extension
public final class HaproxyHandlerFactory implements EventHandlerFactory {

    @Override
    public String type() {
        return "haproxy";
    }

    @Override
    public EventHandler create(HandlerContext context, Map<String, Object> config) {
        return new HaproxyHandler(HaproxySettings.parse(config), context);
    }
}
