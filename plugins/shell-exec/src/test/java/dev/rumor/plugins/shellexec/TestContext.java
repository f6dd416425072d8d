package dev.rumor.plugins.shellexec;

import dev.rumor.plugin.HandlerContext;
import dev.rumor.plugin.Member;
import dev.rumor.plugin.event.QueryEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link HandlerContext} for calling the handler directly; records query responses. */
final class TestContext implements HandlerContext {

    private final Member self;
    private final Path dataDir;
    final List<byte[]> responses = new CopyOnWriteArrayList<>();

    TestContext(Member self, Path dataDir) {
        this.self = self;
        this.dataDir = dataDir;
    }

    @Override
    public String instanceName() {
        return "test";
    }

    @Override
    public Member self() {
        return self;
    }

    @Override
    public List<Member> members() {
        return List.of(self);
    }

    @Override
    public Logger logger() {
        return LoggerFactory.getLogger("rumor.handler.test");
    }

    @Override
    public Path dataDirectory() {
        return dataDir;
    }

    @Override
    public boolean respond(QueryEvent query, byte[] payload) {
        responses.add(payload.clone());
        return true;
    }
}
