package dev.rumor.testing;

import dev.rumor.agent.plugin.ClusterView;
import dev.rumor.plugin.Member;
import dev.rumor.plugin.event.QueryEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link ClusterView} with a settable local member that records query responses. Thread-safe. */
public final class FixedClusterView implements ClusterView {

    /** One response a handler sent. */
    public record Response(QueryEvent query, byte[] payload) {
    }

    private volatile Member self;
    private volatile List<Member> members;
    private final List<Response> responses = new CopyOnWriteArrayList<>();

    public FixedClusterView(Member self) {
        this.self = self;
        this.members = List.of(self);
    }

    public void setSelf(Member m) {
        this.self = m;
    }

    public void setMembers(List<Member> m) {
        this.members = List.copyOf(m);
    }

    public List<Response> responses() {
        return responses;
    }

    @Override
    public Member self() {
        return self;
    }

    @Override
    public List<Member> members() {
        return members;
    }

    @Override
    public boolean respond(QueryEvent query, byte[] payload) {
        responses.add(new Response(query, payload.clone()));
        return true;
    }
}
