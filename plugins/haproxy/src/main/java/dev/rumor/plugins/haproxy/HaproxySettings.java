package dev.rumor.plugins.haproxy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A handler instance's settings, validated. See plugins/haproxy/README.md for the user-facing description.
 *
 * @param backends          the backends to keep in sync (at least one, distinct names)
 * @param runtimeSocket     HAProxy's admin CLI for instant changes, or null (then every change is a reload)
 * @param configFile        the config file whose managed blocks are rewritten, or null (runtime only)
 * @param templateFile      when set, {@code configFile} is rendered from it instead of edited in place
 * @param haproxyBinary     used for {@code haproxy -c -f FILE} before a file is installed
 * @param validate          whether to run that check (true unless explicitly disabled)
 * @param reload            how to reload HAProxy, or null for never
 * @param drainTimeout      how long a removed server may keep sessions before they are shut down
 * @param holdDown          a server added or removed is not changed again before this much time
 * @param reconcileInterval full reconciliation period (events trigger one sooner)
 * @param commandTimeout    per runtime-API command, validation run and reload
 */
record HaproxySettings(List<BackendSpec> backends, RuntimeEndpoint runtimeSocket, Path configFile, Path templateFile,
                       String haproxyBinary, boolean validate, ReloadMethod reload, Duration drainTimeout,
                       Duration holdDown, Duration reconcileInterval, Duration commandTimeout) {

    static final Set<String> KEYS = Set.of("backends", "runtime_socket", "config_file", "template_file",
            "haproxy_binary", "validate", "reload", "drain_timeout", "hold_down", "reconcile_interval",
            "command_timeout");

    HaproxySettings {
        backends = List.copyOf(backends);
    }

    static HaproxySettings parse(Map<String, Object> config) {
        SettingsReader r = new SettingsReader(config, "");
        r.rejectUnknown(KEYS);
        List<BackendSpec> backends = r.mapList("backends").stream().map(BackendSpec::parse).toList();
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("backends is required (a list of {name, selector, port})");
        }
        Set<String> names = new HashSet<>();
        for (BackendSpec b : backends) {
            if (!names.add(b.name())) {
                throw new IllegalArgumentException("backends: backend '" + b.name() + "' is listed twice");
            }
        }
        String socket = r.string("runtime_socket", null);
        RuntimeEndpoint endpoint = socket == null ? null : RuntimeEndpoint.parse("runtime_socket", socket);
        String configFile = r.string("config_file", null);
        String template = r.string("template_file", null);
        if (template != null && configFile == null) {
            throw new IllegalArgumentException("template_file: needs config_file (the file it renders to)");
        }
        if (endpoint == null && configFile == null) {
            throw new IllegalArgumentException("runtime_socket or config_file is required");
        }
        ReloadMethod reload = r.has("reload") ? ReloadMethod.parse("reload", r.raw("reload")) : null;
        if (endpoint == null && reload == null) {
            throw new IllegalArgumentException("reload is required when there is no runtime_socket "
                    + "(otherwise HAProxy never sees a change)");
        }
        Duration drain = positive(r, "drain_timeout", Duration.ofSeconds(30), true);
        Duration holdDown = positive(r, "hold_down", Duration.ofSeconds(10), true);
        Duration interval = positive(r, "reconcile_interval", Duration.ofSeconds(30), false);
        Duration commandTimeout = positive(r, "command_timeout", Duration.ofSeconds(10), false);
        return new HaproxySettings(backends, endpoint, configFile == null ? null : Path.of(configFile),
                template == null ? null : Path.of(template), r.string("haproxy_binary", "haproxy"),
                r.bool("validate", true), reload, drain, holdDown, interval, commandTimeout);
    }

    private static Duration positive(SettingsReader r, String key, Duration fallback, boolean zeroOk) {
        Duration d = r.duration(key, fallback);
        if (d.isNegative() || !zeroOk && d.isZero()) {
            throw new IllegalArgumentException(key + ": must be " + (zeroOk ? "zero or more" : "more than zero"));
        }
        return d;
    }
}
