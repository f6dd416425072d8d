package dev.rumor.plugins.chef;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Tells whether another chef-client run holds chef's run lock ({@code lockfile}, by default
 * {@code /var/chef/cache/chef-client-running.pid}), so that a deploy trigger waits for a cron or daemon run
 * instead of starting a second converge.
 *
 * <p><b>Why two checks.</b> chef-client takes the lock with Ruby's {@code File#flock}, i.e. flock(2), and
 * leaves the file behind after the run (chef's {@code run_lock.rb}). Java's {@link FileChannel#tryLock}
 * takes a POSIX record lock (fcntl), and on Linux the two kinds do not see each other (flock(2) man page;
 * verified on this project's build machine: a shared {@code tryLock} succeeds while {@code flock(1)} holds
 * the file). So:
 * <ol>
 *   <li>a shared {@code FileChannel.tryLock} probe catches record locks: chef on NFS (where Linux emulates
 *       flock with record locks), platforms whose Ruby falls back to fcntl, and other tools using fcntl;</li>
 *   <li>on Linux, {@code /proc/locks} is read and any FLOCK or POSIX lock on the file's device and inode
 *       counts as held.</li>
 * </ol>
 * The probe only looks: it releases at once and never holds the lock while chef runs, because chef must take
 * the lock itself (it would otherwise wait for us). Between the probe and chef's own attempt a cron run can
 * still win the race; chef then waits for the lock on its own, inside this handler's {@code timeout}.
 *
 * <p>Thread contract: stateless apart from the path; safe from any thread.
 */
final class ChefRunLock {
    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private final Path file;

    ChefRunLock(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /**
     * @return who holds the lock ("flock by pid 123"), or null when it is free or the file does not exist
     *         (chef creates it on its first run, so no file means no run)
     */
    String holder() {
        if (!Files.exists(file)) {
            return null;
        }
        String fromProc = procLocksHolder();
        if (fromProc != null) {
            return fromProc + pidNote();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock probe = ch.tryLock(0, Long.MAX_VALUE, true);
            if (probe == null) {
                return "record lock held by another process" + pidNote();
            }
            probe.release();
        } catch (OverlappingFileLockException e) {
            return "record lock held inside this JVM";
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // Unreadable lock file (permissions): we cannot tell, and refusing to run forever would be
            // worse than letting chef decide with its own lock.
            return null;
        }
        return null;
    }

    private String procLocksHolder() {
        long dev;
        long ino;
        try {
            dev = (Long) Files.getAttribute(file, "unix:dev");
            ino = (Long) Files.getAttribute(file, "unix:ino");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(PROC_LOCKS, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
        // glibc's gnu_dev_major/minor: /proc/locks prints MAJOR:MINOR in hex and the inode in decimal.
        long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xffL) | ((dev >>> 12) & ~0xffL);
        for (String line : lines) {
            String holder = matchProcLine(line, major, minor, ino);
            if (holder != null) {
                return holder;
            }
        }
        return null;
    }

    /**
     * One {@code /proc/locks} line, e.g. {@code 4: FLOCK  ADVISORY  WRITE 8602 fe:00:2146837 0 EOF}; lines
     * with {@code ->} are waiters, not holders.
     */
    static String matchProcLine(String line, long major, long minor, long ino) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 6 || f[1].equals("->")) {
            return null;
        }
        String[] id = f[5].split(":");
        if (id.length != 3) {
            return null;
        }
        try {
            if (Long.parseLong(id[0], 16) != major || Long.parseLong(id[1], 16) != minor
                    || Long.parseLong(id[2]) != ino) {
                return null;
            }
        } catch (NumberFormatException e) {
            return null;
        }
        String kind = f[1].equals("FLOCK") ? "flock" : f[1].toLowerCase(java.util.Locale.ROOT) + " lock";
        return kind + " by pid " + f[4];
    }

    /** chef writes its pid into the lock file; worth a mention in the log. */
    private String pidNote() {
        try {
            byte[] b = Files.readAllBytes(file);
            String pid = new String(b, 0, Math.min(b.length, 16), StandardCharsets.US_ASCII).trim();
            return pid.matches("\\d+") ? " (file names pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }
}
