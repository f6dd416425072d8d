package dev.rumor.plugins.chef;

import dev.rumor.plugin.HandlerContext;
import dev.rumor.plugin.Member;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Single-flight chef runs on the handler's own thread.
 *
 * <p><b>Coalescing.</b> At most one run is active per handler instance. A trigger is satisfied by any run
 * whose process <em>starts</em> after the trigger arrived, because chef converges to the state of the world
 * at start. So triggers that arrive while a run waits (splay, chef's lock) join that run, and triggers that
 * arrive while chef is running are coalesced into exactly one follow-up run after it ends. When coalesced
 * triggers disagree, the latest one's run-list override wins; the result counts how many were served.
 *
 * <p><b>Order of one run.</b> splay (random 0..splay) → wait while another chef run holds chef's lock
 * (re-checked every {@code lock_poll}, at most {@code lock_wait}; giving up records a failed result) →
 * start chef-client → wait at most {@code timeout}, then kill the process tree.
 *
 * <p>Thread contract: {@link #submit} and {@link #state} may be called from any thread and return at once;
 * everything else happens on the single run thread. {@link #close} stops waiting runs; a chef process in
 * progress is killed only with {@code kill_on_close}, otherwise it finishes on its own, holding chef's lock.
 */
final class ChefRunner implements AutoCloseable {

    /** What the run thread is doing, reported by the status query. */
    enum State {
        IDLE, SPLAY, WAITING_FOR_LOCK, RUNNING;

        String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final HandlerContext context;
    private final Logger log;
    private final ChefSettings settings;
    private final Timing timing;
    private final Path attributesFile;
    private final Path outputLog;
    private final ChefRunLock runLock;
    private final Consumer<RunResult> publish;
    private final ExecutorService thread;

    private final Object lock = new Object();
    // guarded by lock
    private Trigger pending;
    private int pendingCount;
    private boolean active;
    private boolean closed;
    private State state = State.IDLE;

    ChefRunner(HandlerContext context, ChefSettings settings, Timing timing, Path attributesFile, Path outputLog,
               Consumer<RunResult> publish) {
        this.context = context;
        this.log = context.logger();
        this.settings = settings;
        this.timing = timing;
        this.attributesFile = attributesFile;
        this.outputLog = outputLog;
        this.runLock = settings.lockFile() == null ? null : new ChefRunLock(settings.lockFile());
        this.publish = publish;
        String name = "rumor-chef-" + context.instanceName();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a run, or joins the queued one. Never blocks. */
    void submit(Trigger trigger) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (pending == null) {
                pendingCount = 0;
            } else {
                log.info("chef: {} (ltime {}) coalesced with a queued run", trigger.event(), trigger.ltime());
            }
            pending = trigger;
            pendingCount++;
            if (!active) {
                active = true;
                thread.execute(this::drain);
            }
        }
    }

    State state() {
        synchronized (lock) {
            return state;
        }
    }

    boolean hasPending() {
        synchronized (lock) {
            return pending != null;
        }
    }

    private void setState(State s) {
        synchronized (lock) {
            state = s;
        }
    }

    /**
     * The run loop. {@code active} is cleared in the same critical section that finds nothing pending, so a
     * trigger submitted at that moment either is seen here or schedules a new loop; none is stranded.
     */
    private void drain() {
        while (true) {
            synchronized (lock) {
                if (pending == null || closed) {
                    active = false;
                    state = State.IDLE;
                    return;
                }
                state = State.SPLAY;
            }
            try {
                runOnce();
            } catch (InterruptedException e) {
                log.info("chef: handler closed; a waiting run was dropped{}",
                        settings.killOnClose() ? "" : " (a chef-client already started keeps running)");
                synchronized (lock) {
                    active = false;
                    state = State.IDLE;
                }
                return;
            } catch (RuntimeException e) {
                // Drop what is queued rather than spin on a failure that would repeat at once.
                log.error("chef: run failed unexpectedly; queued triggers dropped", e);
                synchronized (lock) {
                    pending = null;
                }
            }
        }
    }

    private void runOnce() throws InterruptedException {
        Duration delay = Timing.splay(settings.splay(), timing.random());
        if (!delay.isZero()) {
            log.info("chef: splay {} before the run", Durations.format(delay));
            timing.sleeper().sleep(delay);
        }
        String holder = awaitLock();

        Trigger trigger;
        int count;
        synchronized (lock) {
            trigger = pending;
            count = pendingCount;
            pending = null;
            pendingCount = 0;
            state = State.RUNNING;
            if (closed) {
                return;
            }
        }
        String node = context.self().name();
        List<String> argv = argv(trigger);
        if (holder != null) {
            Instant now = timing.clock().instant();
            String why = "chef run lock " + runLock.file() + " still held after " + Durations.format(settings.lockWait())
                    + " (" + holder + ")";
            log.warn("chef: giving up on {} (ltime {}): {}", trigger.event(), trigger.ltime(), why);
            publish.accept(new RunResult(node, trigger, count, argv, now, now, null, false, false, false, why,
                    List.of()));
            return;
        }

        log.info("chef: running {} for {} (ltime {}, {} trigger(s))", argv, trigger.event(), trigger.ltime(), count);
        Instant start = timing.clock().instant();
        ChefProcess.Outcome o = ChefProcess.run(argv, environment(trigger, context.self()), outputLog,
                settings.timeout(), settings.killGrace(), settings.outputLines(), settings.killOnClose());
        Instant end = timing.clock().instant();

        Integer code = o.exitCode();
        boolean success = code != null && settings.successExitCodes().contains(code);
        boolean reboot = code != null && settings.rebootExitCodes().contains(code);
        String lastLine = o.tail().isEmpty() ? "" : o.tail().get(o.tail().size() - 1);
        if (o.startError() != null) {
            log.warn("chef: {}", o.startError());
        } else if (o.timedOut()) {
            log.warn("chef: run killed after its timeout of {}; last output: {}", Durations.format(settings.timeout()),
                    lastLine);
        } else if (!success) {
            log.warn("chef: run failed with exit code {}; last output: {}", code, lastLine);
        } else {
            log.info("chef: run succeeded (exit code {}{}) in {} ms", code, reboot ? ", reboot pending" : "",
                    Duration.between(start, end).toMillis());
        }
        publish.accept(new RunResult(node, trigger, count, argv, start, end, code, success, reboot, o.timedOut(),
                o.startError(), o.tail()));
    }

    /** @return null once the lock is free (or not configured), else who still holds it at the deadline */
    private String awaitLock() throws InterruptedException {
        if (runLock == null) {
            return null;
        }
        String holder = runLock.holder();
        if (holder == null) {
            return null;
        }
        setState(State.WAITING_FOR_LOCK);
        log.info("chef: another chef run holds {} ({}); waiting up to {}", runLock.file(), holder,
                Durations.format(settings.lockWait()));
        long deadline = timing.nanoTime().getAsLong() + settings.lockWait().toNanos();
        while (holder != null) {
            long left = deadline - timing.nanoTime().getAsLong();
            if (left <= 0) {
                return holder;
            }
            timing.sleeper().sleep(Duration.ofNanos(Math.min(left, settings.lockPoll().toNanos())));
            holder = runLock.holder();
        }
        log.info("chef: {} released", runLock.file());
        return null;
    }

    List<String> argv(Trigger trigger) {
        List<String> argv = new ArrayList<>(settings.command());
        if (trigger.runList() != null) {
            argv.add("-o");
            argv.add(trigger.runList());
        }
        if (attributesFile != null) {
            argv.add("-j");
            argv.add(attributesFile.toString());
        }
        return List.copyOf(argv);
    }

    /** serf's handler variables (agent/invoke.go) so scripts written for serf keep working, then {@code env}. */
    private Map<String, String> environment(Trigger trigger, Member self) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERF_EVENT", "user");
        env.put("SERF_USER_EVENT", trigger.event());
        env.put("SERF_USER_LTIME", Long.toString(trigger.ltime()));
        env.put("SERF_SELF_NAME", self.name());
        String role = self.tag("role");
        env.put("SERF_SELF_ROLE", role == null ? "" : role);
        self.tags().forEach((k, v) -> env.put("SERF_TAG_" + k.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_"), v));
        if (trigger.runList() != null) {
            env.put("RUMOR_CHEF_RUN_LIST", trigger.runList());
        }
        env.putAll(settings.env());
        return env;
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            pending = null;
        }
        thread.shutdownNow();
        try {
            // Long enough for a waiting run to notice; a kill_on_close kill may take up to kill_grace more.
            thread.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
