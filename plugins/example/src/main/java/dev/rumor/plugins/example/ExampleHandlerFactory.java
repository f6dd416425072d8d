package dev.rumor.plugins.example;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.EventHandlerFactory;
import dev.rumor.plugin.HandlerContext;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The smallest useful plugin: logs every event it receives. Copy this module to start a new plugin.
 *
 * <p>What makes it a plugin:
 * <ol>
 *   <li>{@code @Extension}: PF4J's annotation processor lists this class in {@code META-INF/extensions.idx},
 *       which is how the host finds it inside the jar;</li>
 *   <li>it implements {@link EventHandlerFactory}, the only extension point; {@link #type()} is the name
 *       the agent config uses ({@code plugin: example});</li>
 *   <li>the module's pom sets {@code plugin.id}; the parent {@code plugins/pom.xml} writes the PF4J manifest
 *       and keeps rumor-plugin-api, pf4j and slf4j-api {@code provided} (bundling them breaks loading).</li>
 * </ol>
 *
 * <p>Config example:
 * <pre>
 * handlers:
 *   - name: audit
 *     plugin: example
 *     events: "*"
 *     config: {prefix: "cluster event"}
 * </pre>
 */
@Extension
public final class ExampleHandlerFactory implements EventHandlerFactory {

    @Override
    public String type() {
        return "example";
    }

    /**
     * Called once per configured instance (and again when its settings change on reload). Validate every
     * setting here and throw {@link IllegalArgumentException} naming the key: the host then refuses the
     * config (or the reload) with the instance name in the message, and keeps the old handlers running.
     */
    @Override
    public EventHandler create(HandlerContext context, Map<String, Object> config) {
        for (String key : config.keySet()) {
            if (!key.equals("prefix")) {
                throw new IllegalArgumentException("unknown setting '" + key + "' (known: prefix)");
            }
        }
        Object prefix = config.getOrDefault("prefix", "event");
        if (!(prefix instanceof String p)) {
            throw new IllegalArgumentException("prefix must be a string");
        }
        return new ExampleHandler(context, p);
    }
}
