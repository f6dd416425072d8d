package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.security.Keyring;
import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.RumorNode;
import dev.rumor.testing.SerfAgent;
import dev.rumor.testing.SerfMember;
import dev.rumor.testing.WorkDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Gossip key rotation on a mixed encrypted cluster (two real serf agents and a Rumor node): first driven by
 * {@code serf keys} on an agent, then by the Rumor node's {@link KeyManager}. After each rotation the cluster
 * must still talk (a user event crosses it), which proves every node really encrypts with the new primary.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyRotationIT {
    private static final Duration CONVERGE = Duration.ofSeconds(20);
    private static final String K1 = newKey();
    private static final String K2 = newKey();
    private static final String K3 = newKey();

    private Path dir;
    private SerfAgent alpha;
    private SerfAgent beta;
    private RumorNode rumor;
    private Keyring keyring;
    private Path keyringFile;
    private int events;

    private static String newKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    @BeforeAll
    void startCluster() throws Exception {
        dir = WorkDir.create("key-rotation-");
        alpha = SerfAgent.builder("alpha", dir).encrypt(K1).logLevel("info").start();
        beta = SerfAgent.builder("beta", dir).encrypt(K1).logLevel("info").join(alpha.gossipAddress()).start();
        keyring = Keyring.of(Keyring.decodeKey(K1));
        keyringFile = dir.resolve("rumor-keyring.json");
        keyring.writeFile(keyringFile);
        rumor = RumorNode.builder("rumor").keyring(keyring, keyringFile).start();
        rumor.join(alpha);
        Eventually.await(CONVERGE, () -> alive(alpha) && alive(beta), this::describe);
    }

    @AfterAll
    void stopCluster() {
        if (rumor != null) {
            rumor.close();
        }
        for (SerfAgent a : new SerfAgent[] {beta, alpha}) {
            if (a != null) {
                a.close();
            }
        }
        WorkDir.delete(dir);
    }

    private static boolean alive(SerfAgent a) {
        return a.members().stream().filter(SerfMember::isAlive).map(SerfMember::name).collect(Collectors.toSet())
                .equals(Set.of("alpha", "beta", "rumor"));
    }

    private String describe() {
        return "alpha sees " + alpha.members() + "\nbeta sees " + beta.members() + "\n" + rumor;
    }

    private Set<String> rumorKeys() {
        return keyring.keys().stream().map(Keyring::encodeKey).collect(Collectors.toSet());
    }

    private List<String> keyringFileKeys() throws IOException {
        return Keyring.readFile(keyringFile).keys().stream().map(Keyring::encodeKey).toList();
    }

    /** A user event from beta reaches the Rumor node, so gossip between them decrypts. */
    private void clusterStillTalks() {
        String name = "after-rotation-" + (++events);
        CliResult r = beta.cli("event", "-coalesce=false", name, "x");
        assertTrue(r.ok(), r.output());
        Eventually.await(CONVERGE, () -> rumor.userEvents().stream().anyMatch(e -> e.name().equals(name)),
                () -> "no " + name + " at rumor: " + rumor.events());
    }

    @Test
    @Order(1)
    void serfListsTheKeyOfEveryNodeIncludingRumor() {
        CliResult r = alpha.cli("keys", "-list");
        assertTrue(r.ok(), r.output());
        assertTrue(r.output().contains(K1 + "  [3/3]"), r.output());
    }

    @Test
    @Order(2)
    void serfKeysRotateTheRumorNodesKeyring() throws IOException {
        CliResult install = alpha.cli("keys", "-install=" + K2);
        assertTrue(install.ok(), install.output());
        assertTrue(install.output().contains("Successfully installed key!"), install.output());
        assertEquals(Set.of(K1, K2), rumorKeys());
        assertEquals(Set.of(K1, K2), Set.copyOf(keyringFileKeys()));
        CliResult list = alpha.cli("keys", "-list");
        assertTrue(list.output().contains(K1 + "  [3/3]") && list.output().contains(K2 + "  [3/3]"), list.output());

        CliResult use = alpha.cli("keys", "-use=" + K2);
        assertTrue(use.ok(), use.output());
        assertTrue(use.output().contains("Successfully changed primary key!"), use.output());
        assertEquals(K2, Keyring.encodeKey(keyring.primaryKey()));
        assertEquals(K2, keyringFileKeys().get(0), "the primary key comes first in the keyring file");

        CliResult removePrimary = alpha.cli("keys", "-remove=" + K2);
        assertFalse(removePrimary.ok(), removePrimary.output());
        assertTrue(removePrimary.output().matches("(?s).*failed:\\s+rumor\\s+Removing the primary key is not allowed.*"),
                removePrimary.output());
        assertTrue(removePrimary.output().contains("3/3 nodes reported failure"), removePrimary.output());

        CliResult remove = alpha.cli("keys", "-remove=" + K1);
        assertTrue(remove.ok(), remove.output());
        assertTrue(remove.output().contains("Successfully removed key!"), remove.output());
        assertEquals(Set.of(K2), rumorKeys());
        assertEquals(List.of(K2), keyringFileKeys());

        clusterStillTalks();
        assertTrue(alive(alpha) && alive(beta), this::describe);
    }

    @Test
    @Order(3)
    void rumorKeyManagerRotatesTheSerfAgentsKeyrings() {
        KeyManager km = rumor.cluster().keyManager();
        KeyManager.Result install = RumorNode.await(km.installKey(K3));
        assertNull(install.error(), install.toString());
        assertEquals(3, install.numResp());
        CliResult list = beta.cli("keys", "-list");
        assertTrue(list.output().contains(K3 + "  [3/3]") && list.output().contains(K2 + "  [3/3]"), list.output());

        KeyManager.Result use = RumorNode.await(km.useKey(K3));
        assertNull(use.error(), use.toString());
        assertEquals(K3, Keyring.encodeKey(keyring.primaryKey()));

        KeyManager.Result removePrimary = RumorNode.await(km.removeKey(K3));
        assertEquals("3/3 nodes reported failure", removePrimary.error());
        assertEquals(Map.of("alpha", "Removing the primary key is not allowed", "beta",
                "Removing the primary key is not allowed", "rumor", "Removing the primary key is not allowed"),
                removePrimary.messages());

        KeyManager.Result remove = RumorNode.await(km.removeKey(K2));
        assertNull(remove.error(), remove.toString());

        KeyManager.Result listed = RumorNode.await(km.listKeys());
        assertNull(listed.error(), listed.toString());
        assertEquals(3, listed.numNodes());
        assertEquals(Map.of(K3, 3), listed.keys());
        assertEquals(Map.of(K3, 3), listed.primaryKeys());
        CliResult serfList = alpha.cli("keys", "-list");
        assertTrue(serfList.ok(), serfList.output());
        assertTrue(serfList.output().contains(K3 + "  [3/3]"), serfList.output());
        assertFalse(serfList.output().contains(K2), serfList.output());

        clusterStillTalks();
        assertTrue(alive(alpha) && alive(beta), this::describe);
        for (SerfAgent a : List.of(alpha, beta)) {
            List<String> bad = a.log().lines().filter(l -> l.contains("[ERR]") || l.contains("[WARN]"))
                    .filter(l -> !l.contains("Removing the primary key is not allowed")) // asked for above
                    .toList();
            assertEquals(List.of(), bad, a.name() + " complained during the rotations");
        }
    }

    @Test
    @Order(4)
    void joinsAcrossMismatchedEncryptionFailWithSerfsErrors() throws Exception {
        try (RumorNode plain = RumorNode.builder("plain").start()) {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> plain.join(alpha));
            assertTrue(e.getMessage().contains("Remote state is encrypted and encryption is not configured"),
                    e.getMessage());
        }
        try (RumorNode wrongKey = RumorNode.builder("wrong-key")
                .keyring(Keyring.of(Keyring.decodeKey(newKey())), null).start()) {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> wrongKey.join(alpha));
            assertTrue(e.getMessage().contains("No installed keys could decrypt the message"), e.getMessage());
        }
        // a plain serf agent cannot join the encrypted Rumor node either
        try (SerfAgent plainAgent = SerfAgent.builder("plain-agent", dir).logLevel("info").start()) {
            CliResult r = plainAgent.cli("join", rumor.gossipAddress());
            assertFalse(r.ok(), r.output());
            assertTrue(r.output().contains("Remote state is encrypted and encryption is not configured"), r.output());
            assertEquals(List.of("plain-agent"), plainAgent.members().stream().map(SerfMember::name).toList());
        }
        assertTrue(alive(alpha), this::describe);
        assertEquals(Set.of("alpha", "beta", "rumor"), rumor.cluster().members().stream()
                .filter(m -> m.status() == MemberStatus.ALIVE).map(Member::name).collect(Collectors.toSet()));
    }

    @Test
    @Order(5)
    void gracefulLeaveAfterRotationShowsLeft() {
        rumor.leave();
        for (SerfAgent a : List.of(alpha, beta)) {
            Eventually.await(CONVERGE, () -> a.statusOf("rumor").equals("left"), this::describe);
            assertFalse(a.log().contains("EventMemberFailed: rumor"), a.log());
        }
    }
}
