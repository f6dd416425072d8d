package dev.rumor.cli;

import dev.rumor.rpc.RpcClient;
import dev.rumor.rpc.RpcException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "join", description = "Tells a running agent to join the cluster by contacting ADDRESS...", mixinStandardHelpOptions = true)
final class JoinCommand extends ClientCommand {
    @Option(names = {"-replay", "--replay"}, description = "Replay past user events")
    boolean replay;

    @Parameters(paramLabel = "ADDRESS", arity = "0..*")
    List<String> addresses = new ArrayList<>();

    @Override
    Integer validate() {
        if (addresses.isEmpty()) {
            return usageError("At least one address to join must be specified.");
        }
        return null;
    }

    @Override
    int run(RpcClient client) throws IOException {
        try {
            int n = client.join(addresses, replay);
            println("Successfully joined cluster by contacting " + n + " nodes.");
            return 0;
        } catch (RpcException e) {
            println("Error joining the cluster: " + e.getMessage());
            return 1;
        }
    }
}
