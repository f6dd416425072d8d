package dev.rumor.plugins.haproxy;

import dev.rumor.plugin.HandlerContext;
import dev.rumor.plugin.Member;
import dev.rumor.plugin.MemberStatus;
import dev.rumor.plugin.event.QueryEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;

/** A HandlerContext whose member list the test sets directly. */
final class TestContext implements HandlerContext {
    private final Map<String, Member> members = new ConcurrentSkipListMap<>();
    private final CapturingLogger logger = new CapturingLogger("haproxy-test");
    private final Path dataDir;

    TestContext(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Adds or replaces a member (same name). */
    Member put(String name, int port, MemberStatus status, Map<String, String> tags) {
        Member m = new Member(name, "127.0.0.1", port, tags, status);
        members.put(name, m);
        return m;
    }

    Member web(String name, int httpPort) {
        return put(name, 7946, MemberStatus.ALIVE, Map.of("role", "web", "port", Integer.toString(httpPort)));
    }

    Member withStatus(String name, MemberStatus status) {
        Member m = members.get(name);
        return put(name, m.port(), status, m.tags());
    }

    Member withTags(String name, Map<String, String> tags) {
        Member m = members.get(name);
        return put(name, m.port(), m.status(), tags);
    }

    CapturingLogger log() {
        return logger;
    }

    @Override
    public String instanceName() {
        return "lb";
    }

    @Override
    public Member self() {
        return new Member("lb", "127.0.0.1", 7946, Map.of("role", "lb"), MemberStatus.ALIVE);
    }

    @Override
    public List<Member> members() {
        return List.copyOf(members.values());
    }

    @Override
    public Logger logger() {
        return logger;
    }

    @Override
    public Path dataDirectory() {
        return dataDir;
    }

    @Override
    public boolean respond(QueryEvent query, byte[] payload) {
        return false;
    }
}
