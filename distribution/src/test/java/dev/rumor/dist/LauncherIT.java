package dev.rumor.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.CliResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/rumor} itself, without an agent: finding its home through symlinks, choosing and checking the
 * Java, the JVM options it passes, and the class-data-sharing archive.
 */
class LauncherIT {
    private static final String VERSION_LINE = "Rumor v";

    @TempDir
    Path tmp;

    @Test
    void runsThroughASymlinkChainFromAnotherDirectory() throws IOException {
        Path links = Files.createDirectories(tmp.resolve("links"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path absolute = Files.createSymbolicLink(links.resolve("rumor-abs"), Dist.BIN);
        // a relative link to a link: the launcher must resolve each hop against the directory of the last one
        Path relative = Files.createSymbolicLink(links.resolve("rumor"), Path.of("rumor-abs"));
        Path usrBin = Files.createDirectories(tmp.resolve("usr/bin"));
        Path viaDirLink = Files.createSymbolicLink(usrBin.resolve("rumor"), Path.of("../../links/rumor"));

        for (Path link : List.of(absolute, relative, viaDirLink)) {
            CliResult r = Dist.run(List.of(link.toString(), "version"), Map.of(), elsewhere, Dist.CLI_TIMEOUT);
            assertEquals(0, r.exitCode(), link + ": " + r.output());
            assertTrue(r.output().contains(VERSION_LINE), r.output());
        }
        // and found on PATH by name, as an operator would after `ln -s /opt/rumor/bin/rumor /usr/local/bin`
        Map<String, String> env = Map.of("PATH", usrBin + ":/usr/bin:/bin");
        CliResult r = Dist.run(List.of("/bin/sh", "-c", "exec rumor version"), env, elsewhere, Dist.CLI_TIMEOUT);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains(VERSION_LINE), r.output());
    }

    @Test
    void usesJavaHomeEvenWithSpacesInIt() throws IOException {
        // A JDK under a directory with spaces whose java records that it was the one started.
        Path home = Files.createDirectories(tmp.resolve("Program Files/my jdk"));
        Path marker = home.resolve("started by launcher");
        Dist.script(home.resolve("bin/java"),
                "touch \"$(dirname \"$0\")/../started by launcher\"\nexec '" + Dist.JAVA_HOME + "/bin/java' \"$@\"");
        Files.copy(Path.of(Dist.JAVA_HOME, "release"), home.resolve("release"));

        CliResult r = Dist.rumor(Map.of("JAVA_HOME", home.toString()), tmp, "version");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains(VERSION_LINE), r.output());
        assertTrue(Files.exists(marker), "the launcher did not start $JAVA_HOME/bin/java");

        // the real JDK reached through a symlinked directory with a space in its name
        Path linked = Files.createSymbolicLink(tmp.resolve("linked jdk"), Path.of(Dist.JAVA_HOME));
        r = Dist.rumor(Map.of("JAVA_HOME", linked.toString()), tmp, "version");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains(VERSION_LINE), r.output());
    }

    @Test
    void noJavaAnywhereFailsWithAClearMessage() throws IOException {
        Path emptyPath = Files.createDirectories(tmp.resolve("empty-path"));
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", null);
        env.put("PATH", emptyPath.toString());
        CliResult r = Dist.rumor(env, tmp, "members");
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("no Java found"), r.output());
        assertTrue(r.output().contains("Java 17 or newer"), r.output());
        assertTrue(r.output().contains("JAVA_HOME"), r.output());
    }

    @Test
    void javaHomeWithoutJavaFailsWithAClearMessage() {
        Path bogus = tmp.resolve("not a jdk");
        CliResult r = Dist.rumor(Map.of("JAVA_HOME", bogus.toString()), tmp, "version");
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("JAVA_HOME is '" + bogus + "'"), r.output());
        assertTrue(r.output().contains("not an executable"), r.output());
    }

    @Test
    void javaOlderThan17IsRefusedFromItsVersionOutput() throws IOException {
        // No `release` file: the launcher must parse `java -version`, in both numbering schemes.
        Map<String, String> versions = Map.of(
                "1.8.0_392", "openjdk version \"1.8.0_392\"\nOpenJDK Runtime Environment (build 1.8.0_392-b08)",
                "11.0.21", "Picked up JAVA_TOOL_OPTIONS: -Dx=\"1\"\nopenjdk version \"11.0.21\" 2023-10-17",
                "16", "java version \"16\" 2021-03-16");
        for (Map.Entry<String, String> v : versions.entrySet()) {
            Path home = tmp.resolve("jdk-" + v.getKey());
            Dist.script(home.resolve("bin/java"), "cat >&2 <<'EOF'\n" + v.getValue() + "\nEOF\nexit 0");
            CliResult r = Dist.rumor(Map.of("JAVA_HOME", home.toString()), tmp, "version");
            assertEquals(1, r.exitCode(), v.getKey() + ": " + r.output());
            assertTrue(r.output().contains("Java 17 or newer is required"), r.output());
            assertTrue(r.output().contains("version " + v.getKey()), r.output());
        }
    }

    @Test
    void java17FoundFromItsVersionOutputRuns() throws IOException {
        // No `release` file and a noisy first line: `java -version` is parsed, then the same java runs Rumor.
        Path home = tmp.resolve("jdk");
        Dist.script(home.resolve("bin/java"), String.join("\n",
                "if [ \"$1\" = -version ]; then",
                "  echo 'Picked up JAVA_TOOL_OPTIONS: -Dfoo=\"bar\"' >&2",
                "  echo 'openjdk version \"17.0.15\" 2025-04-15' >&2",
                "  exit 0",
                "fi",
                "exec '" + Dist.JAVA_HOME + "/bin/java' \"$@\""));
        CliResult r = Dist.rumor(Map.of("JAVA_HOME", home.toString()), tmp, "version");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains(VERSION_LINE), r.output());
    }

    @Test
    void rumorOptsComeAfterTheDefaultsSoTheyWin() {
        CliResult r = Dist.rumor(Map.of("RUMOR_OPTS", "-Xmx100m -XX:+PrintCommandLineFlags"), tmp, "version");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("-XX:MaxHeapSize=104857600"), r.output());
        // the client defaults: serial GC, C1 only, no perf-data file
        assertTrue(r.output().contains("-XX:+UseSerialGC"), r.output());
        assertTrue(r.output().contains("-XX:TieredStopAtLevel=1"), r.output());
        assertTrue(r.output().contains("-XX:-UsePerfData"), r.output());
    }

    @Test
    void clientCommandsMapTheBuildTimeClassDataSharingArchive() {
        assertTrue(Files.isRegularFile(Dist.HOME.resolve("lib/rumor.jsa")), "no lib/rumor.jsa in " + Dist.HOME);
        CliResult r = Dist.rumor(Map.of("RUMOR_OPTS", "-Xlog:class+load=info"), tmp, "version");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("dev.rumor.cli.Main source: shared objects file"),
                "Main was not loaded from the archive:\n" + grep(r.output(), "dev.rumor.cli.Main "));
        // picocli (compiled for Java 5) is archived too, which only a static archive can do in JDK 17
        assertTrue(r.output().contains("picocli.CommandLine source: shared objects file"),
                "picocli was not loaded from the archive:\n" + grep(r.output(), "picocli.CommandLine "));
    }

    @Test
    void tarballUnpackedElsewhereIsCompleteRunsAndMakesItsOwnArchive() throws IOException {
        Path tarball;
        try (Stream<Path> files = Files.list(Dist.HOME.getParent())) {
            tarball = files.filter(p -> p.getFileName().toString().matches("rumor-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no rumor-*.tar.gz next to " + Dist.HOME));
        }
        Path opt = Files.createDirectories(tmp.resolve("opt with space"));
        CliResult untar = Dist.run(List.of("tar", "xzf", tarball.toString(), "-C", opt.toString()), Map.of(), tmp,
                Dist.CLI_TIMEOUT);
        assertEquals(0, untar.exitCode(), untar.output());
        Path home;
        try (Stream<Path> dirs = Files.list(opt)) {
            home = dirs.findFirst().orElseThrow();
        }
        for (String f : List.of("LICENSE", "NOTICE", "conf/rumor.yaml", "conf/examples/rumor.json",
                "systemd/rumor.service", "completion/rumor.bash")) {
            assertTrue(Files.isRegularFile(home.resolve(f)), f + " missing from the tarball");
        }
        assertTrue(Files.isExecutable(home.resolve("bin/rumor")), "bin/rumor is not executable in the tarball");
        for (String plugin : List.of("shell-exec", "haproxy", "webhook", "chef", "example")) {
            try (Stream<Path> jars = Files.list(home.resolve("plugins"))) {
                assertTrue(jars.anyMatch(j -> j.getFileName().toString().startsWith("rumor-plugin-" + plugin + "-")),
                        plugin + " plugin missing from the tarball");
            }
        }
        assertFalse(Files.exists(home.resolve("lib/rumor.jsa")), "the build's CDS archive only fits target/rumor");
        assertFalse(Files.exists(home.resolve("lib/rumor-agent.jsa")), "the build's CDS archive only fits target/rumor");

        // Under a path with a space it runs, without an archive (JDK 17 would archive the jars' classes under
        // their percent-encoded URLs and never use them).
        CliResult r = Dist.run(List.of(home.resolve("bin/rumor").toString(), "version"), Map.of(), tmp,
                Dist.CLI_TIMEOUT);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains(VERSION_LINE), r.output());
        assertFalse(Files.exists(home.resolve("lib/rumor.jsa")), "archive made under a path with a space");

        // Moved to a plain path, its first run makes the archive for that location, then maps it.
        Path moved = Files.move(home, Files.createDirectories(tmp.resolve("opt")).resolve("rumor"));
        Path bin = moved.resolve("bin/rumor");
        Path cdsLog = tmp.resolve("cds.log");
        r = Dist.run(List.of(bin.toString(), "version"),
                Map.of("RUMOR_OPTS", "-Xlog:class+load=info", "RUMOR_CDS_LOG", cdsLog.toString()),
                tmp, Duration.ofSeconds(120));
        assertEquals(0, r.exitCode(), r.output());
        for (String archive : List.of("lib/rumor.jsa", "lib/rumor-agent.jsa")) {
            assertTrue(Files.isRegularFile(moved.resolve(archive)), "no " + archive + " made in " + moved + ":\n"
                    + grep(Files.readString(cdsLog, StandardCharsets.UTF_8), "[cds"));
            String stamp = Files.readString(moved.resolve(archive + ".stamp"), StandardCharsets.UTF_8);
            assertTrue(stamp.contains(moved.resolve("lib").toString()), stamp);
        }
        assertTrue(r.output().contains("dev.rumor.cli.Main source: shared objects file"),
                grep(r.output(), "dev.rumor.cli.Main ") + "\ntraining run (RUMOR_CDS_LOG):\n"
                        + grep(Files.readString(cdsLog, StandardCharsets.UTF_8), "[cds"));
        assertFalse(r.output().contains("[cds"), "CDS noise in the output:\n" + grep(r.output(), "[cds"));

        // RUMOR_CDS=off: never mapped
        r = Dist.run(List.of(bin.toString(), "version"),
                Map.of("RUMOR_OPTS", "-Xlog:class+load=info", "RUMOR_CDS", "off"), tmp, Dist.CLI_TIMEOUT);
        assertEquals(0, r.exitCode(), r.output());
        assertFalse(r.output().contains("dev.rumor.cli.Main source: shared objects file"),
                grep(r.output(), "dev.rumor.cli.Main "));
    }

    @Test
    void bashCompletionGeneratedAtBuildCompletesCommandsAndFlags() {
        Path script = Dist.HOME.resolve("completion/rumor.bash");
        assertTrue(Files.isRegularFile(script), "no " + script);
        assertEquals("members", complete(script, "rumor", "mem"));
        assertEquals("-rpc-addr -rpc-auth", complete(script, "rumor", "members", "-rpc"));
        // the agent command and its flags are in the tree the script was generated from
        assertEquals("-snapshot", complete(script, "rumor", "agent", "-snap"));
    }

    /** Runs the completion function as bash would for the words typed so far; the candidates it offers. */
    private String complete(Path script, String... words) {
        String line = String.join(" ", words);
        String bash = "source '" + script + "' && COMP_WORDS=(" + line + ") && COMP_CWORD=" + (words.length - 1)
                + " && COMP_LINE='" + line + "' && COMP_POINT=" + line.length()
                + " && _complete_rumor 2>/dev/null; echo \"${COMPREPLY[*]}\"";
        CliResult r = Dist.run(List.of("bash", "-c", bash), Map.of(), tmp, Dist.CLI_TIMEOUT);
        assertEquals(0, r.exitCode(), r.output());
        return r.output().strip();
    }

    private static String grep(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).reduce("", (a, b) -> a + b + "\n");
    }
}
