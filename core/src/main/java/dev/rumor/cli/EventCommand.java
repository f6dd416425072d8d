package dev.rumor.cli;

import dev.rumor.rpc.RpcClient;
import dev.rumor.rpc.RpcException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "event", description = "Dispatches a custom user event to the cluster: event NAME [PAYLOAD]", mixinStandardHelpOptions = true)
final class EventCommand extends ClientCommand {
    @Option(names = {"-coalesce", "--coalesce"}, arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Whether handlers may coalesce this event (default true)")
    boolean coalesce;

    @Parameters(paramLabel = "ARG", arity = "0..*")
    List<String> args = new ArrayList<>();

    @Override
    Integer validate() {
        if (args.isEmpty()) {
            return usageError("An event name must be specified.");
        }
        if (args.size() > 2) {
            return usageError("Too many command line arguments. Only a name and payload must be specified.");
        }
        return null;
    }

    @Override
    int run(RpcClient client) throws IOException {
        String name = args.get(0);
        byte[] payload = args.size() > 1 ? args.get(1).getBytes(StandardCharsets.UTF_8) : null;
        try {
            client.userEvent(name, payload, coalesce);
        } catch (RpcException e) {
            println("Error sending event: " + e.getMessage());
            return 1;
        }
        println("Event '" + name + "' dispatched! Coalescing enabled: " + coalesce);
        return 0;
    }
}
