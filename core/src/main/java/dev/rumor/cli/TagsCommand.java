package dev.rumor.cli;

import dev.rumor.rpc.RpcClient;
import dev.rumor.rpc.RpcException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "tags", description = "Modifies the tags of a running agent.")
final class TagsCommand extends ClientCommand {
    @Option(names = {"-set", "--set"}, paramLabel = "KEY=VALUE", description = "Set a tag (repeatable)")
    List<String> set = new ArrayList<>();

    @Option(names = {"-delete", "--delete"}, paramLabel = "KEY", description = "Delete a tag (repeatable)")
    List<String> delete = new ArrayList<>();

    @Override
    Integer validate() {
        if (set.isEmpty() && delete.isEmpty()) {
            println(spec.commandLine().getUsageMessage());
            return 1;
        }
        return null;
    }

    @Override
    int run(RpcClient client) throws IOException {
        Map<String, String> tags;
        try {
            tags = Tags.parse(set);
        } catch (IllegalArgumentException e) {
            println("Error: " + e.getMessage());
            return 1;
        }
        try {
            client.updateTags(tags, delete);
        } catch (RpcException e) {
            println("Error setting tags: " + e.getMessage());
            return 1;
        }
        println("Successfully updated agent tags");
        return 0;
    }
}
