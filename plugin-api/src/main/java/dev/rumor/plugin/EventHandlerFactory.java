package dev.rumor.plugin;

import java.util.Map;
import org.pf4j.ExtensionPoint;

/**
 * The extension point plugins implement (annotate the implementation with {@code @org.pf4j.Extension}).
 * The agent config names handler instances by {@link #type()}; each instance is created from its own
 * settings block.
 */
public interface EventHandlerFactory extends ExtensionPoint {

    /** The name used in the agent config's {@code plugin:} key, e.g. "shell-exec", "webhook". */
    String type();

    /**
     * Creates a handler from its settings (the {@code config:} map of one handler instance, as parsed from
     * JSON or YAML: strings, numbers, booleans, lists and maps).
     *
     * @throws IllegalArgumentException when the settings are invalid; the message names the key, e.g.
     *                                  {@code "url is required"}; the host adds the file and instance name
     */
    EventHandler create(HandlerContext context, Map<String, Object> config);
}
