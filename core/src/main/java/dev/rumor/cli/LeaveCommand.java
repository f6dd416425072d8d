package dev.rumor.cli;

import dev.rumor.rpc.RpcClient;
import dev.rumor.rpc.RpcException;
import java.io.IOException;
import picocli.CommandLine.Command;

@Command(name = "leave", description = "Causes the agent to gracefully leave the cluster and shut down.")
final class LeaveCommand extends ClientCommand {
    @Override
    int run(RpcClient client) throws IOException {
        try {
            client.leave();
            println("Graceful leave complete");
            return 0;
        } catch (RpcException e) {
            println("Error leaving: " + e.getMessage());
            return 1;
        }
    }
}
