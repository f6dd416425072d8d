package dev.rumor.agent.plugin;

import dev.rumor.agent.config.AgentConfig;
import dev.rumor.agent.config.HandlerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the agent config into handler specs: serf's {@code event_handlers} strings first (as shell-exec
 * instances named {@code event_handlers[i]}), then Rumor's {@code handlers} list. The agent calls this
 * on start and on SIGHUP and passes the result to {@link PluginHost#reload}.
 */
public final class HandlerSpecs {

    private HandlerSpecs() {
    }

    /**
     * @throws IllegalArgumentException naming the entry and key, e.g.
     *                                  {@code handlers[1] (lb): events: invalid event filter 'member-joined' ...}
     */
    public static List<HandlerSpec> fromConfig(AgentConfig config) {
        Duration timeout = config.handlerTimeout() == null ? HandlerSpec.DEFAULT_TIMEOUT
                : config.handlerTimeout().value();
        int queue = config.handlerQueueSize() == null ? HandlerSpec.DEFAULT_QUEUE_SIZE : config.handlerQueueSize();
        List<HandlerSpec> out = new ArrayList<>();
        List<String> scripts = config.eventHandlers() == null ? List.of() : config.eventHandlers();
        for (HandlerSpec s : HandlerSpec.fromSerfEventHandlers(scripts)) {
            out.add(s.withTimeout(timeout).withQueueSize(queue));
        }
        List<HandlerConfig> handlers = config.handlers() == null ? List.of() : config.handlers();
        Set<String> names = new HashSet<>();
        out.forEach(s -> names.add(s.name()));
        for (int i = 0; i < handlers.size(); i++) {
            HandlerConfig h = handlers.get(i);
            String where = "handlers[" + i + "]";
            if (h.plugin() == null || h.plugin().isBlank()) {
                throw new IllegalArgumentException(where + ": plugin is required");
            }
            String name = h.name() == null || h.name().isBlank() ? h.plugin() + "-" + i : h.name();
            where += " (" + name + ")";
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + ": name is used twice");
            }
            EventFilter filter;
            try {
                filter = EventFilter.parse(h.events())
                        .withMemberTags(h.memberTags() == null ? Map.of() : h.memberTags())
                        .withLocalTags(h.selfTags() == null ? Map.of() : h.selfTags());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + (e.getMessage().startsWith("invalid event")
                        ? "events: " : "") + e.getMessage(), e);
            }
            try {
                out.add(new HandlerSpec(name, h.plugin(), filter, h.config(),
                        h.timeout() == null ? timeout : h.timeout().value(),
                        h.queueSize() == null ? queue : h.queueSize(),
                        h.concurrency() == null ? 1 : h.concurrency()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
