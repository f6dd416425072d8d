package dev.rumor.cli;

import dev.rumor.rpc.RpcClient;
import dev.rumor.rpc.RpcException;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "info", description = "Provides debugging information for operators.")
final class InfoCommand extends ClientCommand {
    @Option(names = {"-format", "--format"}, defaultValue = "text", description = "text or json")
    String format;

    @Override
    int run(RpcClient client) throws IOException {
        Map<String, Object> stats;
        try {
            stats = client.stats();
        } catch (RpcException e) {
            println("Error querying agent: " + e.getMessage());
            return 1;
        }
        TreeMap<String, Object> sorted = new TreeMap<>();
        stats.forEach((k, v) -> {
            if (!k.startsWith("__")) {
                sorted.put(k, v instanceof Map<?, ?> m ? new TreeMap<>(m) : v);
            }
        });
        if (format.equals("json")) {
            println(GoJson.write(sorted).strip());
        } else if (format.equals("text")) {
            StringBuilder sb = new StringBuilder();
            sorted.forEach((section, values) -> {
                sb.append(section).append(":\n");
                if (values instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> sb.append('\t').append(k).append(" = ").append(str(v)).append('\n'));
                }
            });
            println(sb.toString().strip());
        } else {
            println("Encoding error: Invalid output format \"" + format + "\"");
            return 1;
        }
        return 0;
    }

    private static String str(Object v) {
        return v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(v);
    }
}
