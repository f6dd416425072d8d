package dev.rumor.agent.plugin;

import dev.rumor.plugin.HandlerContext;
import dev.rumor.plugin.Member;
import dev.rumor.plugin.event.QueryEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HandlerContext} of one instance. Thread-safe: plugins may call it from any thread, including
 * threads of their own.
 */
final class InstanceContext implements HandlerContext {

    /** Loggers are {@code rumor.handler.<instance>}, so a log config can raise one instance's level. */
    static final String LOGGER_PREFIX = "rumor.handler.";

    private final String name;
    private final ClusterView view;
    private final Path dataDir;
    private final Logger logger;

    InstanceContext(String name, ClusterView view, Path dataRoot) {
        this.name = name;
        this.view = view;
        this.dataDir = dataRoot.resolve(safeDirName(name));
        this.logger = LoggerFactory.getLogger(LOGGER_PREFIX + name);
    }

    /** Instance names come from config ("event_handlers[0]"); keep them to one harmless path segment. */
    static String safeDirName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.equals(".") || s.equals("..") ? "_" + s : s;
    }

    @Override
    public String instanceName() {
        return name;
    }

    @Override
    public Member self() {
        return view.self();
    }

    @Override
    public List<Member> members() {
        return view.members();
    }

    @Override
    public Logger logger() {
        return logger;
    }

    @Override
    public Path dataDirectory() {
        try {
            return Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("handler '" + name + "': cannot create data directory " + dataDir, e);
        }
    }

    @Override
    public boolean respond(QueryEvent query, byte[] payload) {
        return view.respond(query, payload);
    }
}
