package dev.rumor.plugins.chef;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PayloadPolicyTest {
    private static final PayloadPolicy RUN_LISTS =
            new PayloadPolicy(List.of(), "env", true, PayloadPolicy.DEFAULT_RUN_LIST_ALLOW);
    private static final PayloadPolicy ENVS =
            new PayloadPolicy(List.of("prod", "/prod-(eu|us)-\\d+/"), "env", false,
                    PayloadPolicy.DEFAULT_RUN_LIST_ALLOW);

    private static PayloadPolicy.Decision decide(PayloadPolicy p, String payload) {
        return p.decide(payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void allowedRunListsBecomeTheOverride() {
        Map<String, String> cases = Map.of(
                "recipe[app::deploy]", "recipe[app::deploy]",
                "  role[web]\n", "role[web]",
                "recipe[app::deploy],role[web],recipe[nginx]", "recipe[app::deploy],role[web],recipe[nginx]",
                "run_list=recipe[a.b-c_d] env=prod", "recipe[a.b-c_d]");
        cases.forEach((payload, runList) -> assertEquals(new PayloadPolicy.Run(runList), decide(RUN_LISTS, payload),
                payload));
    }

    @Test
    void emptyPayloadRunsTheNodesOwnRunList() {
        assertEquals(new PayloadPolicy.Run(null), decide(RUN_LISTS, "  "));
        assertEquals(new PayloadPolicy.Run(null), decide(RUN_LISTS, "env=prod"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "recipe[a]; rm -rf /", "$(reboot)", "recipe[a]$(reboot)", "`reboot`", "recipe[a`id`]",
            "recipe[a]|sh", "recipe[a]&&reboot", "recipe[a]>/etc/passwd", "recipe[a],", ",recipe[a]",
            "cookbook[a]", "recipe[]", "recipe[a] role[b]", "-j/etc/shadow", "--help", "recipe[a]\u0000",
            "run_list=recipe[a];reboot", "run_list=recipe[a] ; reboot", "run_list=recipe[a] run_list=recipe[b]",
            "run_list=-x", "recipe[ä]", "recipe[a]\r\nrecipe[b]"})
    void unsafeOrDisallowedRunListsAreRefused(String payload) {
        assertInstanceOf(PayloadPolicy.Refuse.class, decide(RUN_LISTS, payload), payload);
    }

    @Test
    void invalidUtf8IsRefused() {
        assertInstanceOf(PayloadPolicy.Refuse.class, RUN_LISTS.decide(new byte[] {(byte) 0xc3, (byte) 0x28}));
    }

    @Test
    void runListInPayloadIsRefusedWhenTheSettingIsOff() {
        assertInstanceOf(PayloadPolicy.Refuse.class, decide(ENVS, "env=prod run_list=recipe[a]"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "prod|run", "  prod  |run", "env=prod|run", "env=prod-eu-12 version=3|run", "prod-us-1|run",
            "staging|skip", "production|skip", "prod; rm -rf /|skip", "env=staging|skip", "version=3|skip",
            "''|skip", "prod-eu-x|skip"})
    void payloadFilterMatchesTheWholeValue(String payload, String expected) {
        PayloadPolicy.Decision d = decide(ENVS, payload);
        assertEquals(expected, d instanceof PayloadPolicy.Run ? "run" : d instanceof PayloadPolicy.Skip ? "skip"
                : "refuse", payload + " -> " + d);
    }

    @Test
    void aCustomAllowListIsStillNoWayAroundTheHardChecks() {
        PayloadPolicy anything = new PayloadPolicy(List.of(), "env", true, ".*");
        assertEquals(new PayloadPolicy.Run("recipe[x]"), decide(anything, "recipe[x]"));
        assertInstanceOf(PayloadPolicy.Refuse.class, decide(anything, "--config=/tmp/evil.rb"));
        assertInstanceOf(PayloadPolicy.Refuse.class, decide(anything, "recipe[x] -j /tmp/a"));
    }

    @Test
    void badSettingsAreReportedByKey() {
        assertEquals("run_list_allow is not a valid regular expression: Unclosed group",
                assertThrows(IllegalArgumentException.class,
                        () -> new PayloadPolicy(List.of(), "env", true, "(")).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new PayloadPolicy(List.of(), "run_list", true, ".*"));
        assertThrows(IllegalArgumentException.class,
                () -> new PayloadPolicy(List.of("/(/"), "env", false, ".*"));
    }
}
