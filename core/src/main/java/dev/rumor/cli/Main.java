package dev.rumor.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rumor} command line. Commands, flags, output and exit codes follow serf's: single-dash long
 * options ({@code -rpc-addr=...}; {@code --rpc-addr} also works), results and errors on stdout, 0 on
 * success, 1 on failure, 127 (usage on stderr) when no or an unknown command is given.
 */
@Command(name = "rumor", description = "Rumor: decentralized cluster membership, failure detection and orchestration (serf-compatible).")
public final class Main {
    /**
     * The subcommands, in the order the usage message lists them. They are added programmatically rather than
     * through {@code @Command(subcommands = ...)} so that a run of one command builds the picocli model of that
     * command only: reflecting over all of them (and loading the agent's classes for {@code agent}'s options)
     * was about half of the start-up time of a client command such as {@code rumor members}.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    private Main() {
    }

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("members", MembersCommand::new);
        m.put("join", JoinCommand::new);
        m.put("leave", LeaveCommand::new);
        m.put("force-leave", ForceLeaveCommand::new);
        m.put("event", EventCommand::new);
        m.put("query", QueryCommand::new);
        m.put("tags", TagsCommand::new);
        m.put("keys", KeysCommand::new);
        m.put("keygen", KeygenCommand::new);
        m.put("info", InfoCommand::new);
        m.put("monitor", MonitorCommand::new);
        m.put("rtt", RttCommand::new);
        m.put("reachability", ReachabilityCommand::new);
        m.put("version", VersionCommand::new);
        m.put("agent", AgentCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return m;
    }

    /** The whole command line, every subcommand included (usage, help, completion, tests). */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line with only {@code command}'s subcommand when it names one; with every subcommand
     * otherwise (no command, an unknown one, or {@code help}, which must see all of them).
     */
    static CommandLine commandLine(String command) {
        CommandLine cl = new CommandLine(new Main());
        Supplier<Object> only = command == null || "help".equals(command) ? null : SUBCOMMANDS.get(command);
        if (only != null) {
            cl.addSubcommand(command, only.get());
        } else {
            SUBCOMMANDS.forEach((name, sub) -> cl.addSubcommand(name, sub.get()));
        }
        cl.setPosixClusteredShortOptionsAllowed(false);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println(ex.getMessage());
            if (c.getCommandSpec().parent() == null) {
                err.println(c.getUsageMessage());
                return 127;
            }
            c.getOut().println(c.getUsageMessage());
            c.getOut().flush();
            return 1;
        });
        return cl;
    }

    /** Runs the CLI and returns the exit code. */
    public static int run(String... args) {
        List<String> list = new ArrayList<>(Arrays.asList(args));
        if (list.contains("-v") || list.contains("--version") || list.contains("-version")) {
            list = List.of("version");
        }
        CommandLine cl = commandLine(list.isEmpty() ? null : list.get(0));
        if (list.isEmpty()) {
            cl.getErr().println(cl.getUsageMessage());
            cl.getErr().flush();
            return 127;
        }
        return cl.execute(list.toArray(String[]::new));
    }

    public static void main(String[] args) {
        int code = run(args);
        if (code != Integer.MIN_VALUE) {
            System.exit(code);
        }
    }
}
