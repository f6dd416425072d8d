package dev.rumor.cli;

import dev.rumor.agent.config.GoDuration;
import dev.rumor.rpc.IpcCodec;
import dev.rumor.rpc.QueryRequest;
import dev.rumor.rpc.RpcClient;
import dev.rumor.rpc.RpcException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "query", description = "Sends a query to the cluster and prints acks and responses: query NAME [PAYLOAD]",
        mixinStandardHelpOptions = true)
final class QueryCommand extends ClientCommand {
    @Option(names = {"-node", "--node"}, description = "Only this node answers (repeatable)")
    List<String> nodes = new ArrayList<>();

    @Option(names = {"-tag", "--tag"}, paramLabel = "KEY=REGEXP", description = "Only nodes with this tag answer (repeatable)")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-timeout", "--timeout"}, defaultValue = "0", description = "Query timeout, e.g. 5s (0 = agent default)")
    String timeout;

    @Option(names = {"-no-ack", "--no-ack"}, description = "Do not ask nodes for acks")
    boolean noAck;

    @Option(names = {"-relay-factor", "--relay-factor"}, defaultValue = "0", description = "Extra relays per response (0-255)")
    int relayFactor;

    @Option(names = {"-format", "--format"}, defaultValue = "text", description = "text or json")
    String format;

    @Parameters(paramLabel = "ARG", arity = "0..*")
    List<String> args = new ArrayList<>();

    private Map<String, String> filterTags;
    private Duration timeoutValue;

    @Override
    Integer validate() {
        try {
            filterTags = Tags.parse(tags);
        } catch (IllegalArgumentException e) {
            println("Error: " + e.getMessage());
            return 1;
        }
        try {
            timeoutValue = GoDuration.parse(timeout).value();
        } catch (IllegalArgumentException e) {
            println(e.getMessage());
            return 1;
        }
        if (args.isEmpty() || args.size() > 2) {
            return usageError(args.isEmpty() ? "A query name must be specified."
                    : "Too many command line arguments. Only a name and payload must be specified.");
        }
        if (relayFactor > 255 || relayFactor < 0) {
            println("Relay factor must be between 0 and 255");
            return 1;
        }
        if (!format.equals("text") && !format.equals("json")) {
            println("Invalid format: " + format);
            return 1;
        }
        return null;
    }

    @Override
    int run(RpcClient client) throws IOException {
        String name = args.get(0);
        byte[] payload = args.size() > 1 ? args.get(1).getBytes(StandardCharsets.UTF_8) : null;
        boolean json = format.equals("json");
        List<String> acks = new ArrayList<>();
        Map<String, String> responses = new TreeMap<>();
        CountDownLatch done = new CountDownLatch(1);
        RpcClient.RecordListener listener = new RpcClient.RecordListener() {
            @Override
            public void record(Map<String, Object> body) {
                String type = IpcCodec.str(body, "Type");
                String from = IpcCodec.str(body, "From");
                if (from.isEmpty() && !type.equals("done")) {
                    // serf's agent sometimes streams zero-valued records after its query channels close; serf's
                    // CLI takes an empty name as the end of the query, and so do we.
                    type = "done";
                }
                switch (type) {
                    case "ack" -> {
                        acks.add(from);
                        if (!json) {
                            println("Ack from '" + from + "'");
                        }
                    }
                    case "response" -> {
                        byte[] p = IpcCodec.bytes(body, "Payload");
                        String text = p == null ? "" : new String(p, StandardCharsets.UTF_8);
                        responses.put(from, text);
                        if (!json) {
                            println("Response from '" + from + "': " + (text.endsWith("\n") ? text.substring(0, text.length() - 1) : text));
                        }
                    }
                    case "done" -> done.countDown();
                    default -> { }
                }
            }

            @Override
            public void closed() {
                done.countDown();
            }
        };
        try {
            client.query(new QueryRequest(nodes, filterTags, !noAck, relayFactor, timeoutValue, name, payload), listener);
        } catch (RpcException e) {
            println("Error sending query: " + e.getMessage());
            return 1;
        }
        if (!json) {
            println("Query '" + name + "' dispatched");
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("Acks", acks.isEmpty() ? null : new ArrayList<Object>(acks));
            root.put("Responses", new TreeMap<String, Object>(responses));
            println(GoJson.write(root));
        } else {
            if (!noAck) {
                println("Total Acks: " + acks.size());
            }
            println("Total Responses: " + responses.size());
        }
        return 0;
    }
}
