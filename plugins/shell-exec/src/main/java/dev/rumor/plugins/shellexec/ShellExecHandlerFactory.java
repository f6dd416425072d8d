package dev.rumor.plugins.shellexec;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.EventHandlerFactory;
import dev.rumor.plugin.HandlerContext;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The {@code shell-exec} handler type: serf's event-handler scripts. The agent maps every serf
 * {@code event_handlers} string to an instance of this type, so a serf config works unchanged.
 * Settings are documented on {@link ShellExecSettings}.
 */
@Extension
public final class ShellExecHandlerFactory implements EventHandlerFactory {

    public static final String TYPE = "shell-exec";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public EventHandler create(HandlerContext context, Map<String, Object> config) {
        return new ShellExecHandler(context, ShellExecSettings.parse(config));
    }
}
