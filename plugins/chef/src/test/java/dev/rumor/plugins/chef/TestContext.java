package dev.rumor.plugins.chef;

import dev.rumor.plugin.HandlerContext;
import dev.rumor.plugin.Member;
import dev.rumor.plugin.MemberStatus;
import dev.rumor.plugin.event.QueryEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/** A HandlerContext for one simulated node: tags the test controls, a data dir, recorded query answers. */
final class TestContext implements HandlerContext {
    private final String node;
    private final AtomicReference<Map<String, String>> tags;
    private final Path dataDir;
    private final RecordingLogger logger;
    private final Map<Long, byte[]> responses = new ConcurrentHashMap<>();

    TestContext(String node, Map<String, String> tags, Path dataDir) {
        this.node = node;
        this.tags = new AtomicReference<>(Map.copyOf(tags));
        this.dataDir = dataDir;
        this.logger = new RecordingLogger("chef@" + node);
    }

    void setTags(Map<String, String> newTags) {
        tags.set(Map.copyOf(newTags));
    }

    RecordingLogger log() {
        return logger;
    }

    byte[] response(long queryId) {
        return responses.get(queryId);
    }

    @Override
    public String instanceName() {
        return "chef-" + node;
    }

    @Override
    public Member self() {
        return new Member(node, "127.0.0.1", 7946, tags.get(), MemberStatus.ALIVE);
    }

    @Override
    public List<Member> members() {
        return List.of(self());
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
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean respond(QueryEvent query, byte[] payload) {
        return responses.putIfAbsent(query.id(), payload.clone()) == null;
    }
}
