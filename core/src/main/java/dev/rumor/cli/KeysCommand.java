package dev.rumor.cli;

import dev.rumor.rpc.KeyResponse;
import dev.rumor.rpc.RpcClient;
import dev.rumor.rpc.RpcCommand;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "keys", description = "Manipulates the encryption keyring of the cluster.")
final class KeysCommand extends ClientCommand {
    @Option(names = {"-install", "--install"}, defaultValue = "", description = "Install a new key")
    String install;

    @Option(names = {"-use", "--use"}, defaultValue = "", description = "Change the primary key")
    String use;

    @Option(names = {"-remove", "--remove"}, defaultValue = "", description = "Remove a key")
    String remove;

    @Option(names = {"-list", "--list"}, description = "List the keys in use in the cluster")
    boolean list;

    @Override
    Integer validate() {
        boolean found = list;
        for (String arg : new String[] {install, use, remove}) {
            if (found && !arg.isEmpty()) {
                println("Only one of -install, -use, -remove, or -list allowed");
                return 1;
            }
            found = found || !arg.isEmpty();
        }
        if (!found) {
            println(spec.commandLine().getUsageMessage());
            return 1;
        }
        return null;
    }

    @Override
    int run(RpcClient client) throws IOException {
        if (list) {
            println("==> Asking all members for installed keys...");
            KeyResponse r = client.keys(RpcCommand.LIST_KEYS, null);
            if (!r.error().isEmpty()) {
                return failed(r, "Failed to gather member keys: ");
            }
            println("==> Keys gathered, listing cluster keys...");
            println("");
            List<String> lines = new ArrayList<>();
            for (Map.Entry<String, Integer> e : r.keys().entrySet()) {
                lines.add(e.getKey() + " | [" + e.getValue() + "/" + r.numNodes() + "]");
            }
            println(Columnize.format(lines));
            return 0;
        }
        RpcCommand cmd;
        String key;
        String start;
        String ok;
        String errPrefix;
        if (!install.isEmpty()) {
            cmd = RpcCommand.INSTALL_KEY;
            key = install;
            start = "Installing key on all members...";
            ok = "Successfully installed key!";
            errPrefix = "Error installing key: ";
        } else if (!use.isEmpty()) {
            cmd = RpcCommand.USE_KEY;
            key = use;
            start = "Changing primary key on all members...";
            ok = "Successfully changed primary key!";
            errPrefix = "Error changing primary key: ";
        } else {
            cmd = RpcCommand.REMOVE_KEY;
            key = remove;
            start = "Removing key on all members...";
            ok = "Successfully removed key!";
            errPrefix = "Error removing key: ";
        }
        println("==> " + start);
        KeyResponse r = client.keys(cmd, key);
        if (!r.error().isEmpty()) {
            return failed(r, errPrefix);
        }
        println("==> " + ok);
        return 0;
    }

    private int failed(KeyResponse r, String prefix) {
        if (!r.messages().isEmpty()) {
            List<String> lines = new ArrayList<>();
            r.messages().forEach((node, msg) -> lines.add("failed: | " + node + " | " + msg));
            println(Columnize.format(lines));
        }
        println("");
        println(prefix + r.error());
        return 1;
    }
}
