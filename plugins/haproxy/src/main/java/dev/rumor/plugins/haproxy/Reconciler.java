package dev.rumor.plugins.haproxy;

import dev.rumor.plugin.HandlerContext;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One reconciliation pass: wanted servers (alive members matching each selector, after flap damping) are
 * written to the config file's managed blocks, then applied through the runtime API against what
 * {@code show servers state} reports. Every pass recomputes from scratch, so passes are idempotent and a
 * replayed or missed event changes nothing: the next pass converges anyway.
 *
 * <p>Removal drains first: {@code state drain}, then, once {@code show stat} reports no sessions or queue
 * (or {@code drain_timeout} passed, when the remaining sessions are shut down), {@code state maint} and
 * {@code del server}. Servers the operator declared outside the managed blocks are never touched.
 *
 * <p>Thread contract: called only from the handler's single worker thread.
 */
final class Reconciler {
    /** How often a pass is repeated while a drain is in progress. */
    static final long DRAIN_POLL_NANOS = 250_000_000L;

    /**
     * @param ok     false when anything failed (the caller retries with backoff)
     * @param wakeAt monotonic nanos at which another pass is needed (drain progress, hold-down expiry), or null
     */
    record Pass(boolean ok, Long wakeAt) {
    }

    private final HaproxySettings settings;
    private final HandlerContext context;
    private final Logger log;
    private final LongSupplier nanoTime;
    private final FlapDamper damper;
    private final ConfigInstaller config;
    private final RuntimeApi api;
    private final Map<String, Long> drainStarted = new HashMap<>();
    private final Set<String> warned = new HashSet<>();

    Reconciler(HaproxySettings settings, HandlerContext context, LongSupplier nanoTime) {
        this.settings = settings;
        this.context = context;
        this.log = context.logger();
        this.nanoTime = nanoTime;
        this.damper = new FlapDamper(settings.holdDown());
        this.config = settings.configFile() == null ? null : new ConfigInstaller(settings, log);
        this.api = settings.runtimeSocket() == null ? null
                : new RuntimeApi(settings.runtimeSocket(), settings.commandTimeout());
    }

    Pass run() {
        long now = nanoTime.getAsLong();
        Set<String> warningsNow = new HashSet<>();
        Map<String, SortedMap<String, ServerSpec>> wanted = DesiredServers.compute(settings.backends(),
                context.members(), msg -> {
                    warningsNow.add(msg);
                    if (!warned.contains(msg)) {
                        log.warn(msg);
                    }
                });
        warned.retainAll(warningsNow);
        warned.addAll(warningsNow);
        FlapDamper.Result damped = damper.apply(wanted, now);
        Long wakeAt = damped.nextChangeAt();
        boolean ok = true;

        ConfigInstaller.Outcome outcome = null;
        String configText = null;
        if (config != null) {
            try {
                outcome = config.sync(damped.servers());
                ok &= outcome.kind() != ConfigInstaller.Outcome.Kind.REJECTED;
                configText = config.currentText();
            } catch (IOException e) {
                log.error("haproxy config {}: {}", settings.configFile(), e.toString());
                ok = false;
            }
        }

        boolean runtimeOk = true;
        if (api != null) {
            for (Map.Entry<String, SortedMap<String, ServerSpec>> e : damped.servers().entrySet()) {
                try {
                    Set<String> operatorOwned = configText == null ? Set.of()
                            : ManagedConfig.staticServers(configText, e.getKey());
                    Converged c = converge(e.getKey(), e.getValue(), operatorOwned, now);
                    runtimeOk &= c.ok();
                    if (c.wakeAt() != null) {
                        wakeAt = wakeAt == null || c.wakeAt() - wakeAt < 0 ? c.wakeAt() : wakeAt;
                    }
                } catch (IOException ex) {
                    runtimeOk = false;
                    log.error("haproxy backend {}: runtime API: {}", e.getKey(), ex.getMessage());
                }
            }
        }
        ok &= runtimeOk;

        boolean installed = outcome != null && outcome.kind() == ConfigInstaller.Outcome.Kind.INSTALLED;
        if (installed && outcome.needsReload() && settings.reload() == null) {
            log.warn("haproxy: server options changed in {}, but no reload is configured; running servers keep "
                    + "their old options until HAProxy is reloaded", settings.configFile());
        }
        if (installed && settings.reload() != null && (api == null || !runtimeOk || outcome.needsReload())) {
            try {
                settings.reload().reload(settings.commandTimeout());
                log.info("haproxy reloaded ({})", api == null ? "no runtime socket"
                        : runtimeOk ? "server options changed" : "runtime API failed");
            } catch (IOException ex) {
                ok = false;
                log.error("haproxy reload failed: {}", ex.getMessage());
            }
        }
        return new Pass(ok, wakeAt);
    }

    /**
     * @param ok     false when a command failed (each failure is logged where it happened)
     * @param wakeAt when to look again because a drain is in progress, or null
     */
    private record Converged(boolean ok, Long wakeAt) {
    }

    /** @throws IOException when the backend's state can't be read at all (socket down, unknown backend) */
    private Converged converge(String backend, SortedMap<String, ServerSpec> want, Set<String> operatorOwned, long now)
            throws IOException {
        Map<String, ServerState> actual = new LinkedHashMap<>();
        for (ServerState s : api.serversState(backend)) {
            actual.put(s.name(), s);
        }
        boolean ok = true;
        for (ServerSpec spec : want.values()) {
            try {
                ensurePresent(backend, spec, actual.get(spec.name()));
            } catch (RuntimeApiException e) {
                ok = false;
                log.error("haproxy backend {}: server {} (member {}): {}", backend, spec.name(), spec.member(),
                        e.getMessage());
            }
        }
        Long wake = null;
        Map<String, Integer> sessions = null;
        for (ServerState s : actual.values()) {
            if (want.containsKey(s.name()) || operatorOwned.contains(s.name())) {
                continue;
            }
            String key = backend + "/" + s.name();
            long started = drainStarted.computeIfAbsent(key, k -> now);
            boolean timedOut = now - started >= settings.drainTimeout().toNanos();
            try {
                if (!s.inForcedMaint()) {
                    if (!s.inForcedDrain()) {
                        api.setState(backend, s.name(), "drain");
                        log.info("haproxy backend {}: draining server {}", backend, s.name());
                    }
                    if (sessions == null) {
                        sessions = api.activeSessions(backend);
                    }
                    int active = sessions.getOrDefault(s.name(), 0);
                    if (active > 0 && !timedOut) {
                        wake = earliest(wake, now + DRAIN_POLL_NANOS);
                        continue;
                    }
                    if (active > 0) {
                        log.warn("haproxy backend {}: server {} still has {} sessions after drain_timeout {}s; "
                                + "shutting them down", backend, s.name(), active, settings.drainTimeout().toSeconds());
                        api.shutdownSessions(backend, s.name());
                    }
                    api.setState(backend, s.name(), "maint");
                }
                delete(backend, s.name());
                drainStarted.remove(key);
            } catch (RuntimeApiException e) {
                if (!e.stillHasConnections()) {
                    ok = false;
                    log.error("haproxy backend {}: removing server {}: {}", backend, s.name(), e.getMessage());
                    continue;
                }
                // Raced with a last request, or connections remain: try again shortly, forcibly once timed out.
                log.debug("haproxy backend {}: {}", backend, e.getMessage());
                if (timedOut) {
                    try {
                        api.shutdownSessions(backend, s.name());
                    } catch (RuntimeApiException ex) {
                        log.warn("haproxy backend {}: {}", backend, ex.getMessage());
                    }
                }
                wake = earliest(wake, now + DRAIN_POLL_NANOS);
            }
        }
        // Forget drains of servers that came back or were removed by someone else.
        drainStarted.keySet().removeIf(k -> k.startsWith(backend + "/")
                && !actual.containsKey(k.substring(backend.length() + 1)));
        return new Converged(ok, wake);
    }

    private void ensurePresent(String backend, ServerSpec spec, ServerState state) throws IOException {
        if (state == null) {
            api.addServer(backend, spec.name(), spec.address(), spec.port(), spec.keywords());
            if (!spec.keywords().isEmpty()) {
                api.enableHealth(backend, spec.name());
            }
            api.setState(backend, spec.name(), "ready");
            log.info("haproxy backend {}: added server {} {}:{} (member {})", backend, spec.name(), spec.address(),
                    spec.port(), spec.member());
            return;
        }
        drainStarted.remove(backend + "/" + spec.name());
        if (!spec.sameTarget(state)) {
            api.setAddress(backend, spec.name(), spec.address(), spec.port());
            log.info("haproxy backend {}: server {} moved to {}:{}", backend, spec.name(), spec.address(),
                    spec.port());
        }
        if (state.inForcedMaint() || state.inForcedDrain()) {
            api.setState(backend, spec.name(), "ready");
            log.info("haproxy backend {}: server {} back in service (member {})", backend, spec.name(),
                    spec.member());
        }
    }

    private static Long earliest(Long a, long b) {
        return a == null || b - a < 0 ? b : a;
    }

    private void delete(String backend, String server) throws IOException {
        api.deleteServer(backend, server);
        log.info("haproxy backend {}: removed server {}", backend, server);
    }
}
