package dev.rumor.cli;

import dev.rumor.rpc.RpcClient;
import dev.rumor.rpc.RpcException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that talk to an agent over RPC: connects (handshake + auth) and maps failures to
 * serf's messages and exit codes. As in serf, results and errors both go to stdout; 0 = success, 1 = failure.
 */
abstract class ClientCommand implements Callable<Integer> {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    RpcOptions rpc;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints a line to stdout (serf's Ui.Output and Ui.Error both write there). */
    void println(String s) {
        out().println(s);
        out().flush();
    }

    @Override
    public final Integer call() {
        Integer invalid = validate();
        if (invalid != null) {
            return invalid;
        }
        RpcClient client;
        try {
            client = RpcClient.connect(rpc.address(), rpc.auth(), TIMEOUT);
        } catch (IOException | RpcException e) {
            println("Error connecting to Serf agent: " + e.getMessage());
            return 1;
        }
        try (client) {
            return run(client);
        } catch (IOException e) {
            println("Error: " + e.getMessage());
            return 1;
        }
    }

    /** serf's argument error: the message, a blank line and the command's help, exit 1. */
    int usageError(String message) {
        println(message);
        println("");
        println(spec.commandLine().getUsageMessage());
        return 1;
    }

    /** Checks arguments before connecting; returns an exit code to stop, or null to go on. */
    Integer validate() {
        return null;
    }

    abstract int run(RpcClient client) throws IOException;
}
