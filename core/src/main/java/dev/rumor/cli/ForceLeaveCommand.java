package dev.rumor.cli;

import dev.rumor.rpc.RpcClient;
import dev.rumor.rpc.RpcException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "force-leave", description = "Forces a failed member into the left state.", mixinStandardHelpOptions = true)
final class ForceLeaveCommand extends ClientCommand {
    @Option(names = {"-prune", "--prune"}, description = "Remove the member from the member list entirely")
    boolean prune;

    @Parameters(paramLabel = "NODE", arity = "0..*")
    List<String> nodes = new ArrayList<>();

    @Override
    Integer validate() {
        if (nodes.size() != 1) {
            return usageError("A node name must be specified to force leave.");
        }
        return null;
    }

    @Override
    int run(RpcClient client) throws IOException {
        try {
            client.forceLeave(nodes.get(0), prune);
            return 0;
        } catch (RpcException e) {
            println("Error force leaving: " + e.getMessage());
            return 1;
        }
    }
}
