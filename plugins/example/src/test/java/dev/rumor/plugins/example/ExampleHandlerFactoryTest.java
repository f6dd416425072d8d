package dev.rumor.plugins.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.HandlerContext;
import dev.rumor.plugin.Member;
import dev.rumor.plugin.MemberStatus;
import dev.rumor.plugin.event.EventType;
import dev.rumor.plugin.event.MemberEvent;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.junit.jupiter.api.Test;

/** A plugin's factory is tested directly: no host, no jar, just a context. */
class ExampleHandlerFactoryTest {

    private final List<String> logged = new ArrayList<>();

    /** A logger that records info(format, args...) calls; built with a proxy to stay JDK-only. */
    private final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                if (method.getName().equals("info") && args != null && args.length == 2
                        && args[1] instanceof Object[] a) {
                    String s = (String) args[0];
                    for (Object o : a) {
                        s = s.replaceFirst("\\{}", java.util.regex.Matcher.quoteReplacement(String.valueOf(o)));
                    }
                    logged.add(s);
                }
                return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
            });

    private final Member self = new Member("n1", "10.0.0.1", 7946, Map.of("role", "web"), MemberStatus.ALIVE);

    private final HandlerContext context = new HandlerContext() {
        public String instanceName() {
            return "audit";
        }

        public Member self() {
            return self;
        }

        public List<Member> members() {
            return List.of(self);
        }

        public Logger logger() {
            return logger;
        }

        public java.nio.file.Path dataDirectory() {
            throw new UnsupportedOperationException();
        }

        public boolean respond(QueryEvent q, byte[] p) {
            return false;
        }
    };

    @Test
    void logsEveryKindOfEvent() throws Exception {
        EventHandler h = new ExampleHandlerFactory().create(context, Map.of("prefix", "seen"));
        h.handle(new MemberEvent(EventType.MEMBER_JOIN, List.of(self)));
        h.handle(new UserEvent(4, "deploy", "v2".getBytes(), true));
        h.handle(new QueryEvent(5, 1, "load", new byte[0], Instant.now()));
        assertEquals(List.of("seen: member-join n1 10.0.0.1:7946 {role=web}",
                "seen: user event 'deploy' ltime=4 payload=v2",
                "seen: query 'load' ltime=5 payload="), logged);
    }

    @Test
    void rejectsUnknownSettings() {
        assertEquals("unknown setting 'prefx' (known: prefix)", assertThrows(IllegalArgumentException.class,
                () -> new ExampleHandlerFactory().create(context, Map.of("prefx", "x"))).getMessage());
        assertEquals("example", new ExampleHandlerFactory().type());
    }
}
