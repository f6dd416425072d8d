package dev.rumor.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMergeTest {

    /** Builds a config whose every field is set to a distinct value derived from {@code seed}. */
    private static AgentConfig allSet(int seed) throws Exception {
        RecordComponent[] comps = AgentConfig.class.getRecordComponents();
        Object[] values = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            Class<?> t = comps[i].getType();
            types[i] = t;
            String v = comps[i].getName() + "-" + seed;
            if (t == String.class) {
                values[i] = v;
            } else if (t == Boolean.class) {
                values[i] = seed % 2 == 0;
            } else if (t == Integer.class) {
                values[i] = seed * 1000 + i;
            } else if (t == GoDuration.class) {
                values[i] = GoDuration.of(Duration.ofSeconds(seed * 100L + i));
            } else if (t == Map.class) {
                values[i] = Map.of("k" + seed, v);
            } else if (t == List.class) {
                values[i] = comps[i].getName().equals("handlers")
                        ? List.of(new HandlerConfig(v, "p", "*", null, null, null, null, null, null))
                        : List.of(v);
            } else {
                throw new AssertionError("add a value for " + t + " in this test");
            }
        }
        Constructor<AgentConfig> c = AgentConfig.class.getDeclaredConstructor(types);
        return c.newInstance(values);
    }

    @Test
    void everyFieldSurvivesAMerge() throws Exception {
        AgentConfig over = allSet(1);
        // Over an empty base, every field is taken as is.
        assertEquals(over, ConfigMerge.merge(AgentConfig.empty(), over));
        // An empty layer on top changes nothing.
        assertEquals(over, ConfigMerge.merge(over, AgentConfig.empty()));
    }

    @Test
    void laterScalarsWinListsConcatenateMapsMergeByKey() throws Exception {
        AgentConfig a = allSet(1);
        AgentConfig b = allSet(2);
        AgentConfig m = ConfigMerge.merge(a, b);
        for (RecordComponent rc : AgentConfig.class.getRecordComponents()) {
            Object va = rc.getAccessor().invoke(a);
            Object vb = rc.getAccessor().invoke(b);
            Object vm = rc.getAccessor().invoke(m);
            assertNotNull(vm, rc.getName());
            if (vm instanceof List<?> l) {
                assertEquals(((List<?>) va).size() + ((List<?>) vb).size(), l.size(), rc.getName());
                assertEquals(((List<?>) va).get(0), l.get(0), rc.getName());
                assertEquals(((List<?>) vb).get(0), l.get(1), rc.getName());
            } else if (vm instanceof Map<?, ?> mm) {
                assertEquals(2, mm.size(), rc.getName());
            } else {
                assertEquals(vb, vm, rc.getName());
            }
        }
    }

    @Test
    void tagOverrideReplacesOnlyThatKey() {
        AgentConfig base = withTags(Map.of("role", "web", "dc", "east"));
        AgentConfig over = withTags(Map.of("role", "db"));
        assertEquals(Map.of("role", "db", "dc", "east"), ConfigMerge.merge(base, over).tags());
    }

    private static AgentConfig withTags(Map<String, String> tags) {
        AgentConfig e = AgentConfig.empty();
        return new AgentConfig(e.nodeName(), e.role(), e.disableCoordinates(), tags, e.tagsFile(), e.bind(),
                e.advertise(), e.encryptKey(), e.keyringFile(), e.logLevel(), e.rpcAddr(), e.rpcAuth(), e.protocol(),
                e.replayOnJoin(), e.queryResponseSizeLimit(), e.querySizeLimit(), e.userEventSizeLimit(), e.startJoin(),
                e.eventHandlers(), e.profile(), e.snapshotPath(), e.leaveOnTerminate(), e.skipLeaveOnInterrupt(),
                e.discover(), e.iface(), e.reconnectInterval(), e.reconnectTimeout(), e.tombstoneTimeout(),
                e.disableNameResolution(), e.enableSyslog(), e.syslogFacility(), e.retryJoin(), e.retryMaxAttempts(),
                e.retryInterval(), e.rejoinAfterLeave(), e.enableCompression(), e.statsiteAddr(), e.statsdAddr(),
                e.broadcastTimeout(), e.pluginsDir(), e.dataDir(), e.handlerTimeout(), e.handlerQueueSize(),
                e.handlers(), e.failOnRefusedProbe());
    }

    @Test
    void defaultsAreSerfs() {
        AgentConfig d = AgentConfig.defaults();
        assertEquals("127.0.0.1:7373", d.rpcAddr());
        assertEquals("lan", d.profile());
        assertEquals(5, d.protocol());
        assertEquals(512, d.userEventSizeLimit());
        assertEquals(Duration.ofSeconds(5), d.broadcastTimeout().value());
        assertEquals(Duration.ofHours(24), d.reconnectTimeout().value());
    }
}
