package dev.rumor.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rumor.agent.config.AgentConfig;
import dev.rumor.agent.config.GoDuration;
import dev.rumor.agent.log.LogHub;
import dev.rumor.cluster.ClusterConfig;
import dev.rumor.membership.MembershipConfig;
import dev.rumor.security.Keyring;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The merged {@link AgentConfig} turned into what the agent runs with, validated with serf's messages
 * (agent/command.go readConfig/setupSerf). Pure apart from reading the keyring and tags files.
 */
public record AgentSettings(
        AgentConfig config,
        String nodeName,
        InetSocketAddress bind,
        InetSocketAddress advertise,
        String rpcAddr,
        String rpcAuth,
        String profile,
        int protocol,
        Keyring keyring,
        Path keyringFile,
        Map<String, String> tags,
        Path tagsFile,
        Path snapshotPath,
        Path pluginsDir,
        Path dataDir) {

    /**
     * @param home the installation directory (plugins/ and data/ default below it)
     * @throws IllegalArgumentException with a message for the operator
     */
    public static AgentSettings from(AgentConfig c, Path home) {
        String node = c.nodeName();
        if (node == null || node.isEmpty()) {
            node = hostname();
        }
        LogHub.severity(c.logLevel()); // "Invalid log level: ..."
        String profile = c.profile() == null ? "lan" : c.profile();
        if (!List.of("lan", "wan", "local").contains(profile)) {
            throw new IllegalArgumentException("Unknown profile: " + profile);
        }
        int protocol = c.protocol() == null ? ClusterConfig.PROTOCOL_MAX : c.protocol();
        if (protocol < ClusterConfig.PROTOCOL_MIN || protocol > ClusterConfig.PROTOCOL_MAX) {
            throw new IllegalArgumentException("Protocol version '" + protocol + "' not in range: ["
                    + ClusterConfig.PROTOCOL_MIN + ", " + ClusterConfig.PROTOCOL_MAX + "]");
        }
        InetSocketAddress bind = parseAddr(c.bind() == null ? "0.0.0.0" : c.bind(), MembershipConfig.DEFAULT_PORT, "bind");
        InetSocketAddress advertise = c.advertise() == null || c.advertise().isEmpty() ? null
                : parseAddr(c.advertise(), bind.getPort(), "advertise");

        Keyring keyring = null;
        Path keyringFile = c.keyringFile() == null || c.keyringFile().isEmpty() ? null : Path.of(c.keyringFile());
        if (c.encryptKey() != null && !c.encryptKey().isEmpty()) {
            if (keyringFile != null) {
                throw new IllegalArgumentException("Encryption key not allowed while using a keyring");
            }
            try {
                keyring = Keyring.of(decodeKey(c.encryptKey()));
            } catch (dev.rumor.security.KeyringException e) {
                throw new IllegalArgumentException("Invalid encryption key: " + e.getMessage(), e);
            }
        } else if (keyringFile != null && Files.exists(keyringFile)) {
            try {
                keyring = Keyring.readFile(keyringFile);
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        Map<String, String> tags = new LinkedHashMap<>(c.tags() == null ? Map.of() : c.tags());
        if (c.role() != null && !c.role().isEmpty()) {
            tags.put("role", c.role());
        }
        Path tagsFile = c.tagsFile() == null || c.tagsFile().isEmpty() ? null : Path.of(c.tagsFile());
        if (tagsFile != null) {
            if (!tags.isEmpty()) {
                throw new IllegalArgumentException("Tags config not allowed while using tag files");
            }
            if (Files.exists(tagsFile)) {
                tags.putAll(readTagsFile(tagsFile));
            }
        }
        Path snapshot = c.snapshotPath() == null || c.snapshotPath().isEmpty() ? null : Path.of(c.snapshotPath());
        Path plugins = c.pluginsDir() != null ? Path.of(c.pluginsDir()) : home.resolve("plugins");
        Path data = c.dataDir() != null ? Path.of(c.dataDir()) : home.resolve("data");
        return new AgentSettings(c, node, bind, advertise, c.rpcAddr() == null ? "127.0.0.1:7373" : c.rpcAddr(),
                c.rpcAuth() == null ? "" : c.rpcAuth(), profile, protocol, keyring, keyringFile, Map.copyOf(tags),
                tagsFile, snapshot, plugins, data);
    }

    /** serf decodes -encrypt with standard base64 and accepts 16, 24 or 32 bytes. */
    static byte[] decodeKey(String b64) {
        byte[] key;
        try {
            key = dev.rumor.security.GoBase64.decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid encryption key: " + e.getMessage(), e);
        }
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("Invalid encryption key: key size must be 16, 24 or 32 bytes");
        }
        return key;
    }

    static Map<String, String> readTagsFile(Path file) {
        try {
            return new ObjectMapper().readValue(file.toFile(), new TypeReference<Map<String, String>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("Failed to decode tags file: " + e.getMessage(), e);
        }
    }

    /** Writes the tags file as serf does: 0600, 2-space indented JSON. */
    static void writeTagsFile(Path file, Map<String, String> tags) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(new java.util.TreeMap<>(tags)));
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** "host", "host:port", "[v6]:port"; the port defaults to {@code defaultPort}. */
    static InetSocketAddress parseAddr(String s, int defaultPort, String what) {
        String host = s;
        int port = defaultPort;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("Invalid " + what + " address: " + s);
            }
            host = s.substring(1, end);
            if (end + 1 < s.length()) {
                if (s.charAt(end + 1) != ':') {
                    throw new IllegalArgumentException("Invalid " + what + " address: " + s);
                }
                port = parsePort(s.substring(end + 2), s, what);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = parsePort(s.substring(s.indexOf(':') + 1), s, what);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host.isEmpty() ? "0.0.0.0" : host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Invalid " + what + " address: " + s + ": " + e.getMessage(), e);
        }
    }

    private static int parsePort(String p, String s, String what) {
        try {
            int port = Integer.parseInt(p);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + what + " address: " + s + ": bad port");
        }
    }

    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "localhost" : env;
        }
    }

    /** The memberlist profile with our bind/advertise, keyring and compression. */
    public MembershipConfig membershipConfig(boolean compression) {
        MembershipConfig base = switch (profile) {
            case "wan" -> MembershipConfig.wan(nodeName);
            case "local" -> MembershipConfig.local(nodeName);
            default -> MembershipConfig.lan(nodeName);
        };
        return base.toBuilder().bindAddress(bind).advertiseAddress(advertise).keyring(keyring).compression(compression)
                .failOnRefusedProbe(config.failOnRefusedProbe() == null || config.failOnRefusedProbe())
                .build();
    }

    public ClusterConfig clusterConfig(MembershipConfig membership) {
        AgentConfig c = config;
        ClusterConfig d = ClusterConfig.defaults(membership);
        return new ClusterConfig(membership, tags, protocol,
                dur(c.broadcastTimeout(), d.broadcastTimeout(), Duration.ofSeconds(1)),
                d.leavePropagateDelay(), d.reapInterval(),
                dur(c.reconnectInterval(), d.reconnectInterval(), Duration.ZERO),
                dur(c.reconnectTimeout(), d.reconnectTimeout(), Duration.ZERO),
                dur(c.tombstoneTimeout(), d.tombstoneTimeout(), Duration.ZERO),
                d.recentIntentTimeout(), d.queueCheckInterval(), d.queueDepthWarning(), d.maxQueueDepth(),
                d.minQueueDepth(), d.eventBuffer(), d.queryBuffer(), d.queryTimeoutMult(),
                c.querySizeLimit() == null ? d.querySizeLimit() : c.querySizeLimit(),
                c.queryResponseSizeLimit() == null ? d.queryResponseSizeLimit() : c.queryResponseSizeLimit(),
                c.userEventSizeLimit() == null ? d.userEventSizeLimit() : c.userEventSizeLimit(),
                !Boolean.TRUE.equals(c.disableNameResolution()), d.coordinates(), keyring, keyringFile,
                Boolean.TRUE.equals(c.rejoinAfterLeave()), null);
    }

    private static Duration dur(GoDuration v, Duration dflt, Duration min) {
        Duration d = v == null ? dflt : v.value();
        return d.compareTo(min) < 0 ? min : d;
    }
}
