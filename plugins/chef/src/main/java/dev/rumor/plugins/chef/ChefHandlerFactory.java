package dev.rumor.plugins.chef;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.EventHandlerFactory;
import dev.rumor.plugin.HandlerContext;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The {@code chef} handler type: runs chef-client on deploy user events, one run at a time per node, and
 * answers {@code chef-status} queries. Settings are described in the plugin's README. Stateless; the host
 * may call {@link #create} from any thread.
 */
@Extension
public final class ChefHandlerFactory implements EventHandlerFactory {

    @Override
    public String type() {
        return "chef";
    }

    @Override
    public EventHandler create(HandlerContext context, Map<String, Object> config) {
        return new ChefHandler(context, ChefSettings.parse(config), Timing.system());
    }
}
