package dev.rumor.plugins.haproxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Keeps the managed blocks of the HAProxy config file equal to the wanted servers, so the servers survive
 * any reload of HAProxy. A new file is written next to the old one, checked with {@code haproxy -c -f TMP}
 * and only then renamed over it (atomic within one directory), so HAProxy never sees a half-written or
 * invalid file. A rejected text is remembered and not re-validated until it changes.
 *
 * <p>Thread contract: used by the handler's single worker thread only.
 */
final class ConfigInstaller {

    /**
     * @param kind         what happened
     * @param needsReload  true when the installed file differs from the old one in a way the runtime API
     *                     can't express (an existing server's line changed, or a block was created)
     */
    record Outcome(Kind kind, boolean needsReload) {
        enum Kind { UNCHANGED, INSTALLED, REJECTED }
    }

    private final HaproxySettings settings;
    private final Logger log;
    private String lastRejected;

    ConfigInstaller(HaproxySettings settings, Logger log) {
        this.settings = settings;
        this.log = log;
    }

    /** The config file's current text ("" when it doesn't exist yet). */
    String currentText() throws IOException {
        try {
            return Files.readString(settings.configFile(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    Outcome sync(Map<String, ? extends Map<String, ServerSpec>> servers) throws IOException {
        Path file = settings.configFile();
        String current = currentText();
        String wanted;
        try {
            if (settings.templateFile() != null) {
                wanted = ManagedConfig.renderTemplate(
                        Files.readString(settings.templateFile(), StandardCharsets.UTF_8), servers);
            } else {
                if (current.isEmpty() && !Files.exists(file)) {
                    throw new NoSuchFileException(file + " (config_file does not exist and no template_file is set)");
                }
                wanted = ManagedConfig.apply(current, servers);
            }
        } catch (ManagedConfig.EditException e) {
            if (!Objects.equals(lastRejected, e.getMessage())) {
                log.error("haproxy config {}: {}; leaving the file unchanged", file, e.getMessage());
                lastRejected = e.getMessage();
            }
            return new Outcome(Outcome.Kind.REJECTED, false);
        }
        if (wanted.equals(current)) {
            lastRejected = null;
            return new Outcome(Outcome.Kind.UNCHANGED, false);
        }
        if (wanted.equals(lastRejected)) {
            log.debug("haproxy config {}: wanted text was already rejected; still keeping the old file", file);
            return new Outcome(Outcome.Kind.REJECTED, false);
        }
        Path dir = file.toAbsolutePath().getParent();
        // Hidden and not *.cfg: HAProxy loading a conf.d directory must never pick the temp file up.
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".rumor-tmp");
        try {
            Files.writeString(tmp, wanted, StandardCharsets.UTF_8);
            copyPermissions(file, tmp);
            if (settings.validate()) {
                ProcessRunner.Result r = ProcessRunner.run(
                        List.of(settings.haproxyBinary(), "-c", "-f", tmp.toString()), settings.commandTimeout());
                if (r.exitCode() != 0) {
                    lastRejected = wanted;
                    log.error("haproxy config {}: the new config failed validation ({} -c exited {}); keeping "
                                    + "the old file. HAProxy said:\n{}", file, settings.haproxyBinary(),
                            r.exitCode(), r.output());
                    return new Outcome(Outcome.Kind.REJECTED, false);
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        lastRejected = null;
        boolean needsReload = optionsChanged(current, wanted);
        log.info("haproxy config {} updated{}", file, needsReload ? " (server options changed)" : "");
        return new Outcome(Outcome.Kind.INSTALLED, needsReload);
    }

    /** A server present in both versions with a different line, or a block that didn't exist before. */
    static boolean optionsChanged(String before, String after) {
        Map<String, Map<String, String>> old = ManagedConfig.managedServers(before);
        Map<String, Map<String, String>> now = ManagedConfig.managedServers(after);
        for (Map.Entry<String, Map<String, String>> e : now.entrySet()) {
            Map<String, String> previous = old.get(e.getKey());
            if (previous == null) {
                continue;
            }
            for (Map.Entry<String, String> s : e.getValue().entrySet()) {
                String line = previous.get(s.getKey());
                // An address change alone is applied at runtime (set server addr); anything else needs a reload.
                if (line != null && !withoutAddress(line).equals(withoutAddress(s.getValue()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String withoutAddress(String line) {
        String[] f = line.split("\\s+");
        if (f.length >= 3) {
            f[2] = "";
        }
        return String.join(" ", f);
    }

    private static void copyPermissions(Path from, Path to) {
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
            if (view == null) {
                return;
            }
            if (Files.exists(from)) {
                view.setPermissions(Files.getPosixFilePermissions(from));
            } else {
                view.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: the temp file's default 0600 is safe, just stricter
        }
    }
}
