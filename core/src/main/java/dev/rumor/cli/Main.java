package dev.rumor.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rumor} command line. Commands, flags, output and exit codes follow serf's: single-dash long
 * options ({@code -rpc-addr=...}; {@code --rpc-addr} also works), results and errors on stdout, 0 on
 * success, 1 on failure, 127 (usage on stderr) when no or an unknown command is given.
 */
@Command(name = "rumor", description = "Rumor: decentralized cluster membership, failure detection and orchestration (serf-compatible).",
        subcommands = {
            MembersCommand.class, JoinCommand.class, LeaveCommand.class, ForceLeaveCommand.class,
            EventCommand.class, QueryCommand.class, TagsCommand.class, KeysCommand.class, KeygenCommand.class,
            InfoCommand.class, MonitorCommand.class, RttCommand.class, ReachabilityCommand.class,
            VersionCommand.class, AgentCommand.class, CommandLine.HelpCommand.class
        })
public final class Main {

    private Main() {
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
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
        CommandLine cl = commandLine();
        List<String> list = new ArrayList<>(Arrays.asList(args));
        if (list.contains("-v") || list.contains("--version") || list.contains("-version")) {
            list = List.of("version");
        }
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
