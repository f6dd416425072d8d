package dev.rumor.agent.plugin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One configured handler instance: which plugin type creates it, which events it receives and its own
 * settings. Several instances of one plugin type, with different settings, may coexist.
 *
 * <p>Two specs are equal when every field is equal; {@link PluginHost#reload} keeps an instance whose spec
 * (and plugin jar) did not change, and re-creates it otherwise.
 *
 * @param name        unique instance name; names the logger ({@code rumor.handler.NAME}), the data
 *                    directory and every error message
 * @param type        the {@link dev.rumor.plugin.EventHandlerFactory#type()} that creates the handler
 * @param filter      which events it receives
 * @param settings    the plugin's own settings, as parsed from JSON/YAML (strings, numbers, booleans, lists, maps)
 * @param timeout     a call to the handler that takes longer is interrupted and counted as a timeout
 * @param queueSize   events waiting for the instance beyond this are dropped and counted
 * @param concurrency worker threads draining the queue; 1 (default) keeps events strictly serial and in order.
 *                    More than 1 requires a thread-safe handler (shell-exec is)
 */
public record HandlerSpec(String name, String type, EventFilter filter, Map<String, Object> settings,
                          Duration timeout, int queueSize, int concurrency) {

    /** serf has no handler timeout; 60 s keeps a hung script from blocking its instance forever. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** Enough for a burst of membership changes in a large cluster; overflow is counted, never silent. */
    public static final int DEFAULT_QUEUE_SIZE = 1024;
    /** The plugin type serf-style {@code event_handlers} strings map to. */
    public static final String SHELL_EXEC = "shell-exec";

    public HandlerSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("handler name is required");
        }
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("handler '" + name + "': plugin type is required");
        }
        filter = filter == null ? EventFilter.all() : filter;
        settings = settings == null ? Map.of() : immutableCopy(settings);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("handler '" + name + "': timeout must be positive: " + timeout);
        }
        if (queueSize <= 0) {
            throw new IllegalArgumentException("handler '" + name + "': queue_size must be positive: " + queueSize);
        }
        if (concurrency <= 0) {
            throw new IllegalArgumentException("handler '" + name + "': concurrency must be positive: "
                    + concurrency);
        }
    }

    /** An instance with the default timeout, queue size and concurrency. */
    public static HandlerSpec of(String name, String type, EventFilter filter, Map<String, Object> settings) {
        return new HandlerSpec(name, type, filter, settings, DEFAULT_TIMEOUT, DEFAULT_QUEUE_SIZE, 1);
    }

    public HandlerSpec withTimeout(Duration t) {
        return new HandlerSpec(name, type, filter, settings, t, queueSize, concurrency);
    }

    public HandlerSpec withQueueSize(int q) {
        return new HandlerSpec(name, type, filter, settings, timeout, q, concurrency);
    }

    public HandlerSpec withConcurrency(int c) {
        return new HandlerSpec(name, type, filter, settings, timeout, queueSize, c);
    }

    public HandlerSpec withFilter(EventFilter f) {
        return new HandlerSpec(name, type, f, settings, timeout, queueSize, concurrency);
    }

    /**
     * Maps one serf {@code -event-handler} / {@code event_handlers} string to a shell-exec instance, with serf's
     * grammar: split on the FIRST '=' (left: filter, right: script); no '=' means filter '*'; so a script
     * containing '=' needs an explicit filter. An event matching several terms runs the script once per term.
     *
     * @param name instance name, e.g. {@code event_handlers[0]}
     * @throws IllegalArgumentException "Invalid event script: ..." as serf reports it, with the instance name
     */
    public static HandlerSpec fromSerfEventHandler(String name, String spec) {
        Objects.requireNonNull(spec, "spec");
        int eq = spec.indexOf('=');
        String filter = eq < 0 ? "" : spec.substring(0, eq);
        String script = eq < 0 ? spec : spec.substring(eq + 1);
        if (script.isBlank()) {
            throw new IllegalArgumentException(name + ": Invalid event script: '" + spec + "' (empty script)");
        }
        EventFilter f;
        try {
            f = EventFilter.parseSerf(filter);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": Invalid event script: '" + spec + "': " + e.getMessage(), e);
        }
        return of(name, SHELL_EXEC, f, Map.of("script", script));
    }

    /** Maps a serf {@code event_handlers} list; instance i is named {@code event_handlers[i]}. */
    public static List<HandlerSpec> fromSerfEventHandlers(List<String> specs) {
        List<HandlerSpec> out = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            out.add(fromSerfEventHandler("event_handlers[" + i + "]", specs.get(i)));
        }
        return out;
    }

    private static Map<String, Object> immutableCopy(Map<String, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : m.entrySet()) {
            out.put(e.getKey(), immutableValue(e.getValue()));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static Object immutableValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), immutableValue(x)));
            return java.util.Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(immutableValue(x)));
            return java.util.Collections.unmodifiableList(out);
        }
        return v;
    }
}
