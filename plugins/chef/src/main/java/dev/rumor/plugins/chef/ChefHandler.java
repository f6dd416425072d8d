package dev.rumor.plugins.chef;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.HandlerContext;
import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Runs chef-client when a deploy user event reaches a node whose tags match, and answers the status query
 * with the node's last result.
 *
 * <p><b>Thread contract.</b> The host calls {@link #handle} on this instance's worker thread, one event at a
 * time. {@code handle} never waits for chef: an accepted trigger is handed to {@link ChefRunner}'s own thread
 * and {@code handle} returns at once, so a 20-minute converge cannot delay this node's answer to
 * {@code rumor query chef-status}, which arrives on the same worker. The last result is read and written
 * under {@code this}'s monitor.
 *
 * <p>Files in the instance's data directory: {@code last-run.json} (the last result, read back on start),
 * {@code last-run.log} (the full output of the last run) and {@code chef-attributes.json} (the
 * {@code json_attributes} setting, passed with {@code -j}).
 */
final class ChefHandler implements EventHandler {
    static final String RESULT_FILE = "last-run.json";
    static final String OUTPUT_FILE = "last-run.log";
    static final String ATTRIBUTES_FILE = "chef-attributes.json";

    private final HandlerContext context;
    private final Logger log;
    private final ChefSettings settings;
    private final Path dataDir;
    private final ChefRunner runner;

    // guarded by this
    private Map<String, Object> lastRun;
    private long runs;
    private long refused;

    ChefHandler(HandlerContext context, ChefSettings settings, Timing timing) {
        this.context = context;
        this.log = context.logger();
        this.settings = settings;
        this.dataDir = context.dataDirectory();
        Path attributes = null;
        if (!settings.jsonAttributes().isEmpty()) {
            attributes = dataDir.resolve(ATTRIBUTES_FILE);
            try {
                writeAtomically(attributes, Json.write(settings.jsonAttributes()));
            } catch (IOException e) {
                throw new IllegalArgumentException("json_attributes could not be written to " + attributes + ": "
                        + e.getMessage());
            }
        }
        this.lastRun = readLastRun();
        this.runner = new ChefRunner(context, settings, timing, attributes, dataDir.resolve(OUTPUT_FILE),
                this::publish);
    }

    @Override
    public void handle(Event event) {
        if (event instanceof QueryEvent q) {
            if (q.name().equals(settings.statusQuery())) {
                if (!context.respond(q, status())) {
                    log.debug("chef: status answer to query {} not sent (deadline passed or already answered)",
                            q.id());
                }
            }
        } else if (event instanceof UserEvent u) {
            onUserEvent(u);
        }
        // Member events never trigger a run.
    }

    private void onUserEvent(UserEvent u) {
        if (!settings.events().matches(u.name())) {
            return;
        }
        Map<String, String> tags = context.self().tags();
        if (!settings.selfTags().matches(tags)) {
            log.debug("chef: {} ignored, self tags {} do not match {}", u.name(), tags, settings.selfTags());
            return;
        }
        PayloadPolicy.Decision d = settings.payload().decide(u.payload());
        if (d instanceof PayloadPolicy.Refuse r) {
            synchronized (this) {
                refused++;
            }
            log.warn("chef: refused {} (ltime {}): {}; nothing run", u.name(), u.ltime(), r.reason());
        } else if (d instanceof PayloadPolicy.Skip s) {
            log.info("chef: {} (ltime {}) not for this node: {}", u.name(), u.ltime(), s.reason());
        } else if (d instanceof PayloadPolicy.Run run) {
            runner.submit(new Trigger(u.name(), u.ltime(), run.runList()));
        }
    }

    private void publish(RunResult result) {
        Map<String, Object> m = result.toMap();
        synchronized (this) {
            lastRun = m;
            runs++;
        }
        try {
            writeAtomically(dataDir.resolve(RESULT_FILE), Json.write(m));
        } catch (IOException e) {
            log.warn("chef: could not persist the last result to {}: {}", dataDir.resolve(RESULT_FILE), e.toString());
        }
    }

    /** The last result, or null when this node never ran chef (also across restarts). */
    synchronized Map<String, Object> lastRun() {
        return lastRun;
    }

    ChefRunner.State runnerState() {
        return runner.state();
    }

    boolean runnerPending() {
        return runner.hasPending();
    }

    /**
     * The status answer: {@code node}, {@code state} (idle, splay, waiting-for-lock, running), {@code pending}
     * (a follow-up run is queued), {@code runs} and {@code refused} since start, and {@code last_run}. The
     * oldest output lines are dropped until it fits {@code status_max_bytes} (serf's default response limit
     * is 1024 bytes including the node name and framing).
     */
    byte[] status() {
        Map<String, Object> last;
        Map<String, Object> m = new LinkedHashMap<>();
        synchronized (this) {
            last = lastRun == null ? null : new LinkedHashMap<>(lastRun);
            m.put("node", context.self().name());
            m.put("state", runner.state().wireName());
            m.put("pending", runner.hasPending());
            m.put("runs", runs);
            m.put("refused", refused);
        }
        m.put("last_run", last);
        byte[] out = Json.write(m).getBytes(StandardCharsets.UTF_8);
        if (last == null || out.length <= settings.statusMaxBytes()) {
            return out;
        }
        List<?> output = last.get("output") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
        while (out.length > settings.statusMaxBytes() && !output.isEmpty()) {
            output.remove(0);
            last.put("output", output);
            last.put("output_trimmed", true);
            out = Json.write(m).getBytes(StandardCharsets.UTF_8);
        }
        if (out.length > settings.statusMaxBytes()) {
            last.remove("command");
            last.remove("output");
            out = Json.write(m).getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private Map<String, Object> readLastRun() {
        Path file = dataDir.resolve(RESULT_FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            Object parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (parsed instanceof Map<?, ?> map) {
                Map<String, Object> m = new LinkedHashMap<>();
                map.forEach((k, v) -> m.put(String.valueOf(k), v));
                return m;
            }
            log.warn("chef: ignoring {}: not a JSON object", file);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("chef: ignoring {}: {}", file, e.getMessage());
        }
        return null;
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        runner.close();
    }
}
