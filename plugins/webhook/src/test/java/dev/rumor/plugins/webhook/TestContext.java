package dev.rumor.plugins.webhook;

import dev.rumor.plugin.HandlerContext;
import dev.rumor.plugin.Member;
import dev.rumor.plugin.MemberStatus;
import dev.rumor.plugin.event.QueryEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A host stand-in: a fixed local node, and a record of every query response the handler sent. */
final class TestContext implements HandlerContext {
    record Response(QueryEvent query, byte[] payload) {
    }

    static final Member SELF = new Member("lb1", "127.0.0.1", 7946, Map.of("role", "lb", "dc", "east"),
            MemberStatus.ALIVE);

    final List<Response> responses = new CopyOnWriteArrayList<>();
    private final Path dataDir;

    TestContext(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public String instanceName() {
        return "test-webhook";
    }

    @Override
    public Member self() {
        return SELF;
    }

    @Override
    public List<Member> members() {
        return List.of(SELF);
    }

    @Override
    public Logger logger() {
        return LoggerFactory.getLogger("webhook.test");
    }

    @Override
    public Path dataDirectory() {
        return dataDir;
    }

    @Override
    public boolean respond(QueryEvent query, byte[] payload) {
        for (Response r : responses) {
            if (r.query() == query) {
                return false; // first response only, like the host
            }
        }
        responses.add(new Response(query, payload.clone()));
        return true;
    }
}
