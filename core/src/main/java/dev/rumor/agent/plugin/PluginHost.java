package dev.rumor.agent.plugin;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.EventHandlerFactory;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads event-handler plugins from a directory of PF4J jars and runs the configured handler instances.
 *
 * <p>Lifecycle: build, {@link #reload} with the configured specs (first load), pass events to
 * {@link #dispatcher()}, {@link #reload} again on SIGHUP, {@link #close} on shutdown.
 *
 * <p>Reload is a generation swap. The plugins directory is re-scanned: a new or changed jar (by SHA-256) is
 * loaded in a fresh {@link org.pf4j.JarPluginManager}; every spec is validated and its handler created. Only
 * if everything succeeded is the new instance list swapped into the dispatcher atomically; events arriving
 * from then on go to the new set. Instances whose spec and plugin jar are unchanged are kept (with their
 * queues and counters). The others retire in the background: they handle what they had already queued, are
 * closed, and then the jars no longer used are stopped and unloaded (PF4J closes their class loaders). On
 * any problem the host throws {@link PluginReloadException} listing every problem and keeps running the old
 * generation untouched.
 *
 * <p>Thread contract: {@link #reload}, {@link #stats} and {@link #close} are thread-safe (reloads are
 * serialized); {@link EventDispatcher#dispatch} never blocks on them except for the instant of the swap.
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);
    /** Id reported for factories registered with {@link Builder#builtin}. */
    public static final String BUILTIN = "builtin";
    /** serf's {@code warnSlow} (invoke.go). */
    public static final Duration DEFAULT_SLOW_WARNING = Duration.ofSeconds(1);

    private final Path pluginsDir;
    private final Path dataDir;
    private final ClusterView view;
    private final Map<String, EventHandlerFactory> builtins;
    private final Duration slowAfter;
    private final EventDispatcher dispatcher;
    private final ScheduledThreadPoolExecutor watchdog;

    // guarded by this
    private List<HandlerInstance> instances = List.of();
    private List<LoadedJar> jars = List.of();
    /** Which jar each live or retiring instance came from (absent for built-ins); read by retire threads. */
    private final Map<HandlerInstance, LoadedJar> jarOf = Collections.synchronizedMap(new IdentityHashMap<>());
    private CompletableFuture<Void> lastRetired = CompletableFuture.completedFuture(null);
    private boolean closed;

    private PluginHost(Builder b) {
        this.pluginsDir = b.pluginsDir;
        this.dataDir = b.dataDir;
        this.view = b.view;
        this.builtins = Map.copyOf(b.builtins);
        this.slowAfter = b.slowAfter;
        this.dispatcher = new EventDispatcher(view);
        this.watchdog = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "rumor-handler-watchdog");
            t.setDaemon(true);
            // A thread inherits its creator's context loader; a worker's is a plugin's, which must not leak.
            t.setContextClassLoader(PluginHost.class.getClassLoader());
            return t;
        });
        this.watchdog.setRemoveOnCancelPolicy(true);
        this.watchdog.prestartAllCoreThreads();
    }

    /**
     * @param pluginsDir directory scanned for {@code *.jar} plugins (missing = no plugins)
     * @param dataDir    root of the instances' data directories ({@code dataDir/<instance>})
     * @param view       the running agent, as handlers see it
     */
    public static Builder builder(Path pluginsDir, Path dataDir, ClusterView view) {
        return new Builder(pluginsDir, dataDir, view);
    }

    /** Where events enter; valid for the host's whole life (it survives reloads). */
    public EventDispatcher dispatcher() {
        return dispatcher;
    }

    /**
     * Makes {@code specs} the running handler set, re-scanning the plugins directory. See the class comment.
     *
     * @return what changed; {@link ReloadResult#retired()} completes once the replaced generation is gone
     * @throws PluginReloadException when a jar cannot be loaded or a spec is invalid; nothing changed then
     */
    public synchronized ReloadResult reload(List<HandlerSpec> specs) throws PluginReloadException {
        if (closed) {
            throw new IllegalStateException("plugin host is closed");
        }
        List<String> problems = new ArrayList<>();
        Throwable firstCause = null;

        // 1. Plugin jars: reuse unchanged ones, load new or changed ones.
        List<LoadedJar> nextJars = new ArrayList<>();
        List<LoadedJar> newlyLoaded = new ArrayList<>();
        Map<Path, LoadedJar> byPath = new HashMap<>();
        jars.forEach(j -> byPath.put(j.jar(), j));
        for (Path jar : scanJars(problems)) {
            try {
                String digest = LoadedJar.digest(jar);
                LoadedJar old = byPath.get(jar);
                if (old != null && old.digest().equals(digest)) {
                    nextJars.add(old);
                    continue;
                }
                LoadedJar loaded = LoadedJar.load(pluginsDir, jar, digest);
                if (loaded != null) {
                    newlyLoaded.add(loaded);
                    nextJars.add(loaded);
                }
            } catch (IOException | RuntimeException e) {
                problems.add(e instanceof IOException ? "plugin jar '" + jar.getFileName() + "': " + e : e.getMessage());
                firstCause = firstCause == null ? e : firstCause;
            }
        }

        // 2. Handler types: built-ins, then each jar's factories; ids and types must be unique.
        Map<String, EventHandlerFactory> factories = new LinkedHashMap<>(builtins);
        Map<String, LoadedJar> factoryJar = new HashMap<>();
        Map<String, Path> idToJar = new HashMap<>();
        for (LoadedJar j : nextJars) {
            Path other = idToJar.putIfAbsent(j.pluginId(), j.jar());
            if (other != null) {
                problems.add("plugin id '" + j.pluginId() + "' is in two jars: " + other.getFileName() + " and "
                        + j.jar().getFileName());
            }
            for (Map.Entry<String, EventHandlerFactory> f : j.factories().entrySet()) {
                if (factories.putIfAbsent(f.getKey(), f.getValue()) != null) {
                    problems.add("handler type '" + f.getKey() + "' is provided twice (again by plugin '"
                            + j.pluginId() + "', " + j.jar().getFileName() + ")");
                } else {
                    factoryJar.put(f.getKey(), j);
                }
            }
        }

        // 3. Instances: keep unchanged ones, create the others.
        Map<String, HandlerInstance> current = new HashMap<>();
        instances.forEach(i -> current.put(i.name(), i));
        Map<HandlerInstance, LoadedJar> instanceJar = instanceJars();
        Set<LoadedJar> reused = Collections.newSetFromMap(new IdentityHashMap<>());
        nextJars.stream().filter(j -> !newlyLoaded.contains(j)).forEach(reused::add);
        List<HandlerInstance> next = new ArrayList<>();
        List<HandlerInstance> created = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (problems.isEmpty()) {
            for (HandlerSpec spec : specs) {
                if (!names.add(spec.name())) {
                    problems.add("handler '" + spec.name() + "': the name is used twice");
                    continue;
                }
                EventHandlerFactory factory = factories.get(spec.type());
                if (factory == null) {
                    problems.add("handler '" + spec.name() + "': unknown plugin type '" + spec.type()
                            + "' (available: " + String.join(", ", factories.keySet()) + ")");
                    continue;
                }
                LoadedJar source = factoryJar.get(spec.type());
                HandlerInstance old = current.get(spec.name());
                if (old != null && old.spec().equals(spec) && instanceJar.get(old) == source
                        && (source == null || reused.contains(source))) {
                    next.add(old);
                    continue;
                }
                try {
                    EventHandler handler = create(factory, spec);
                    HandlerInstance inst = new HandlerInstance(spec, source == null ? BUILTIN : source.pluginId(),
                            handler, watchdog, slowAfter);
                    next.add(inst);
                    created.add(inst);
                } catch (IllegalArgumentException e) {
                    problems.add("handler '" + spec.name() + "' (" + spec.type() + "): " + e.getMessage());
                    firstCause = firstCause == null ? e : firstCause;
                } catch (RuntimeException | LinkageError e) {
                    problems.add("handler '" + spec.name() + "' (" + spec.type() + "): plugin failed: " + e);
                    firstCause = firstCause == null ? e : firstCause;
                }
            }
        }

        if (!problems.isEmpty()) {
            created.forEach(HandlerInstance::discard);
            newlyLoaded.forEach(LoadedJar::unload);
            PluginReloadException ex = new PluginReloadException(problems, firstCause);
            LOG.error(ex.getMessage());
            throw ex;
        }

        // 4. Swap. Re-created instances start after their predecessor drained, so per-name order holds.
        Set<HandlerInstance> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        next.stream().filter(i -> !created.contains(i)).forEach(kept::add);
        List<HandlerInstance> retiring = new ArrayList<>();
        for (HandlerInstance i : instances) {
            if (!kept.contains(i)) {
                retiring.add(i);
            }
        }
        for (HandlerInstance inst : created) {
            HandlerInstance predecessor = current.get(inst.name());
            inst.start(predecessor == null ? null : predecessor.terminated());
            jarOf.put(inst, factoryJar.get(inst.spec().type()));
        }
        dispatcher.swap(next);
        List<LoadedJar> dropped = new ArrayList<>();
        Set<LoadedJar> nextSet = Collections.newSetFromMap(new IdentityHashMap<>());
        nextSet.addAll(nextJars);
        jars.stream().filter(j -> !nextSet.contains(j)).forEach(dropped::add);
        instances = List.copyOf(next);
        jars = List.copyOf(nextJars);

        // 5. Retire the old generation in the background, then unload its jars.
        List<CompletableFuture<Void>> drains = new ArrayList<>();
        retiring.forEach(i -> drains.add(i.retire()));
        CompletableFuture<Void> retired = CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new))
                .thenRun(() -> {
                    retiring.forEach(jarOf::remove);
                    dropped.forEach(LoadedJar::unload);
                });
        lastRetired = CompletableFuture.allOf(lastRetired, retired);

        ReloadResult result = new ReloadResult(LoadedJar.ids(newlyLoaded), LoadedJar.ids(dropped),
                names(created), names(next.stream().filter(kept::contains).toList()), names(retiring), retired);
        if (!result.unchanged()) {
            LOG.info("plugins reloaded: loaded {} unloaded {}; handlers created {} kept {} removed {}",
                    result.loadedPlugins(), result.unloadedPlugins(), result.created(), result.kept(),
                    result.removed());
        }
        return result;
    }

    private Map<HandlerInstance, LoadedJar> instanceJars() {
        synchronized (jarOf) {
            return new IdentityHashMap<>(jarOf);
        }
    }

    private EventHandler create(EventHandlerFactory factory, HandlerSpec spec) {
        InstanceContext ctx = new InstanceContext(spec.name(), view, dataDir);
        Thread t = Thread.currentThread();
        ClassLoader saved = t.getContextClassLoader();
        t.setContextClassLoader(factory.getClass().getClassLoader());
        try {
            EventHandler h = factory.create(ctx, spec.settings());
            if (h == null) {
                throw new IllegalStateException("factory " + factory.getClass().getName() + " returned null");
            }
            return h;
        } finally {
            t.setContextClassLoader(saved);
        }
    }

    private List<Path> scanJars(List<String> problems) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(pluginsDir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(pluginsDir, "*.jar")) {
            for (Path p : ds) {
                // Dot-files are jars being written (write to a temp name, then rename).
                if (!p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)) {
                    out.add(p.toAbsolutePath().normalize());
                }
            }
        } catch (IOException e) {
            problems.add("plugins directory " + pluginsDir + ": " + e.getMessage());
        }
        out.sort(null);
        return out;
    }

    private static List<String> names(List<HandlerInstance> list) {
        List<String> out = new ArrayList<>();
        list.forEach(i -> out.add(i.name()));
        return out;
    }

    /** Loaded plugins and per-instance counters, for {@code rumor info} and the RPC stats command. */
    public synchronized HostStats stats() {
        List<PluginInfo> plugins = new ArrayList<>();
        if (!builtins.isEmpty()) {
            plugins.add(new PluginInfo(BUILTIN, "", null, new ArrayList<>(builtins.keySet())));
        }
        jars.forEach(j -> plugins.add(j.info()));
        List<InstanceStats> stats = new ArrayList<>();
        instances.forEach(i -> stats.add(i.stats()));
        return new HostStats(plugins, stats);
    }

    /** The class loader of a loaded plugin, or null (for tests: it must be closed after unload). */
    synchronized ClassLoader pluginClassLoader(String pluginId) {
        for (LoadedJar j : jars) {
            if (j.pluginId().equals(pluginId)) {
                return j.classLoader();
            }
        }
        return null;
    }

    /**
     * Stops every instance after its queued events (waiting at most {@code drain}), closes the handlers and
     * unloads every plugin. Events dispatched afterwards are ignored.
     */
    public void close(Duration drain) {
        CompletableFuture<Void> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            dispatcher.swap(List.of());
            List<CompletableFuture<Void>> drains = new ArrayList<>();
            instances.forEach(i -> drains.add(i.retire()));
            drains.add(lastRetired);
            all = CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new));
        }
        try {
            all.get(drain.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("plugin host: handlers still busy after {}; unloading anyway", drain);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            jars.forEach(LoadedJar::unload);
            jars = List.of();
            instances = List.of();
        }
        watchdog.shutdownNow();
    }

    /** {@link #close(Duration)} with a 10 s drain. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /** Options of a {@link PluginHost}. */
    public static final class Builder {
        private final Path pluginsDir;
        private final Path dataDir;
        private final ClusterView view;
        private final Map<String, EventHandlerFactory> builtins = new LinkedHashMap<>();
        private Duration slowAfter = DEFAULT_SLOW_WARNING;

        private Builder(Path pluginsDir, Path dataDir, ClusterView view) {
            this.pluginsDir = Objects.requireNonNull(pluginsDir, "pluginsDir").toAbsolutePath().normalize();
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            this.view = Objects.requireNonNull(view, "view");
        }

        /** Registers a factory from the host's own class path (no jar), e.g. a test recorder. */
        public Builder builtin(EventHandlerFactory factory) {
            if (builtins.putIfAbsent(factory.type(), factory) != null) {
                throw new IllegalArgumentException("duplicate builtin handler type " + factory.type());
            }
            return this;
        }

        /** Calls longer than this are logged as slow (default 1 s, serf's warnSlow). */
        public Builder slowWarning(Duration d) {
            this.slowAfter = Objects.requireNonNull(d);
            return this;
        }

        public PluginHost build() {
            return new PluginHost(this);
        }
    }
}
