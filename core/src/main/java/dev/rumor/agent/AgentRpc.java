package dev.rumor.agent;

import dev.rumor.agent.log.LogHub;
import dev.rumor.agent.plugin.EventFilter;
import dev.rumor.cluster.ClusterEvent;
import dev.rumor.cluster.KeyManager;
import dev.rumor.cluster.Member;
import dev.rumor.cluster.QueryParams;
import dev.rumor.cluster.QueryResponses;
import dev.rumor.coordinate.Coordinate;
import dev.rumor.rpc.KeyResponse;
import dev.rumor.rpc.QueryRequest;
import dev.rumor.rpc.RpcBackend;
import dev.rumor.rpc.RpcCommand;
import dev.rumor.rpc.RpcException;
import dev.rumor.rpc.RpcMember;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The agent seen through the RPC protocol: adapts cluster calls and types to serf's IPC shapes and
 * error strings.
 */
final class AgentRpc implements RpcBackend {
    private final Agent agent;

    AgentRpc(Agent agent) {
        this.agent = agent;
    }

    static RpcMember toRpc(Member m) {
        return new RpcMember(m.name(), m.addr(), m.port(), m.tags(), m.status().wireName(), m.protocolMin(),
                m.protocolMax(), m.protocolCur(), m.delegateMin(), m.delegateMax(), m.delegateCur());
    }

    /** A member or user event as a {@code stream} record (keys sorted as Go writes them). */
    static Map<String, Object> streamRecord(ClusterEvent e) {
        Map<String, Object> r = new TreeMap<>();
        if (e instanceof ClusterEvent.MemberEvent me) {
            List<Object> members = new ArrayList<>();
            for (Member m : me.members()) {
                members.add(toRpc(m).toWire());
            }
            r.put("Event", me.type().wireName());
            r.put("Members", members);
        } else if (e instanceof ClusterEvent.UserEvent u) {
            r.put("Coalesce", u.coalesce());
            r.put("Event", "user");
            r.put("LTime", u.ltime());
            r.put("Name", u.name());
            r.put("Payload", u.payload());
        }
        return r;
    }

    private static <T> T await(CompletableFuture<T> f, long seconds) throws RpcException {
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new RpcException(c.getMessage() == null ? c.toString() : c.getMessage());
        } catch (TimeoutException e) {
            throw new RpcException("timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException("interrupted");
        }
    }

    @Override
    public List<RpcMember> members() {
        List<RpcMember> out = new ArrayList<>();
        for (Member m : agent.cluster().members()) {
            out.add(toRpc(m));
        }
        return out;
    }

    @Override
    public int join(List<String> addresses, boolean replay) throws RpcException {
        return agent.join(addresses, replay);
    }

    @Override
    public void leave() throws RpcException {
        try {
            agent.leave();
        } catch (Exception e) {
            throw new RpcException(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    @Override
    public void shutdownAfterLeave() {
        agent.requestExit(0);
    }

    @Override
    public void forceLeave(String node, boolean prune) throws RpcException {
        await(agent.cluster().forceLeave(node, prune), 30);
    }

    @Override
    public void userEvent(String name, byte[] payload, boolean coalesce) throws RpcException {
        await(agent.cluster().userEvent(name, payload, coalesce), 10);
    }

    @Override
    public void updateTags(Map<String, String> set, List<String> delete) throws RpcException {
        Map<String, String> tags = new LinkedHashMap<>(agent.cluster().tags());
        delete.forEach(tags::remove);
        tags.putAll(set);
        try {
            agent.setTags(tags);
        } catch (ExecutionException e) {
            throw new RpcException(e.getCause().getMessage());
        } catch (Exception e) {
            throw new RpcException(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    @Override
    public void query(QueryRequest q, QueryListener listener) throws RpcException {
        if (q.name().startsWith("_serf_") && !q.name().equals("_serf_ping")) {
            throw new RpcException("Queries cannot contain the '_serf_' prefix");
        }
        QueryParams params = new QueryParams(q.filterNodes(), q.filterTags(), q.requestAck(), q.relayFactor(),
                q.timeout());
        QueryResponses r;
        try {
            r = await(agent.cluster().query(q.name(), q.payload(), params), 10);
        } catch (IllegalArgumentException e) {
            throw new RpcException(e.getMessage());
        }
        r.subscribe(listener::ack, resp -> listener.response(resp.from(), resp.payload()), listener::done);
    }

    @Override
    public KeyResponse keys(RpcCommand command, String key) {
        KeyManager km = agent.cluster().keyManager();
        CompletableFuture<KeyManager.Result> f = switch (command) {
            case INSTALL_KEY -> km.installKey(key);
            case USE_KEY -> km.useKey(key);
            case REMOVE_KEY -> km.removeKey(key);
            default -> km.listKeys();
        };
        try {
            KeyManager.Result r = f.get(60, TimeUnit.SECONDS);
            return new KeyResponse(r.error() == null ? "" : r.error(), r.messages(), r.keys() == null ? Map.of() : r.keys(),
                    r.numNodes(), r.numErr(), r.numResp());
        } catch (ExecutionException e) {
            return new KeyResponse(String.valueOf(e.getCause().getMessage()), Map.of(), Map.of(), 0, 0, 0);
        } catch (TimeoutException e) {
            return new KeyResponse("timed out", Map.of(), Map.of(), 0, 0, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new KeyResponse("interrupted", Map.of(), Map.of(), 0, 0, 0);
        }
    }

    @Override
    public Map<String, Map<String, String>> stats() {
        return agent.stats();
    }

    @Override
    public Map<String, Object> coordinate(String node) {
        Coordinate c = node.equals(agent.settings().nodeName()) ? agent.cluster().coordinate()
                : agent.cluster().cachedCoordinate(node);
        if (c == null) {
            return null;
        }
        List<Object> vec = new ArrayList<>();
        for (double d : c.vec()) {
            vec.add(d);
        }
        Map<String, Object> m = new TreeMap<>();
        m.put("Adjustment", c.adjustment());
        m.put("Error", c.error());
        m.put("Height", c.height());
        m.put("Vec", vec);
        return m;
    }

    @Override
    public Subscription subscribe(String filter, EventSink sink) throws RpcException {
        EventFilter f;
        try {
            f = EventFilter.parse(filter);
        } catch (IllegalArgumentException e) {
            throw new RpcException(RpcCommand.ERR_INVALID_FILTER);
        }
        Runnable cancel = agent.subscribe(f, sink);
        return cancel::run;
    }

    @Override
    public Subscription subscribeLogs(String level, Consumer<String> sink) {
        LogHub hub = LogHub.installed();
        if (hub == null) {
            return () -> { };
        }
        AutoCloseable h = hub.subscribe(level, sink);
        return () -> {
            try {
                h.close();
            } catch (Exception ignored) {
                // removing from a list cannot fail
            }
        };
    }
}
