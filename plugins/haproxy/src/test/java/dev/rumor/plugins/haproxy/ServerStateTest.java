package dev.rumor.plugins.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerStateTest {
    /** Captured from haproxy 2.6.12: a config server (down) and a dynamic one in drain. */
    static final String STATE = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight "
            + "srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health "
            + "srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord "
            + "srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n"
            + "3 web 1 a 127.0.0.1 0 0 1 1 2 8 2 0 6 0 0 0 - 9 - 0 0 - - 0\n"
            + "3 web 2 b 127.0.0.2 2 8 1 1 0 1 0 2 6 0 0 0 - 11 - 0 0 - - 0\n\n";

    @Test
    void parsesByHeader() throws Exception {
        List<ServerState> s = ServerState.parse("show servers state web", STATE);
        assertEquals(new ServerState("a", "127.0.0.1", 9, 0, 0), s.get(0));
        assertEquals(new ServerState("b", "127.0.0.2", 11, 2, 8), s.get(1));
        assertTrue(s.get(1).inForcedDrain());
        assertFalse(s.get(1).inForcedMaint());
        assertTrue(new ServerState("c", "-", 0, 0, 1).inForcedMaint());
    }

    @Test
    void emptyBackend() throws Exception {
        assertEquals(List.of(), ServerState.parse("x", STATE.substring(0, STATE.indexOf("3 web 1"))));
    }

    @Test
    void errorsAreDetected() {
        RuntimeApiException e = assertThrows(RuntimeApiException.class,
                () -> ServerState.parse("show servers state nope", "Can't find backend.\n\n"));
        assertEquals("HAProxy rejected 'show servers state nope': Can't find backend.", e.getMessage());
        assertThrows(RuntimeApiException.class, () -> ServerState.parse("x", "Permission denied\n"));
    }
}
