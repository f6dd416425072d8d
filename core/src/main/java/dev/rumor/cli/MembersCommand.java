package dev.rumor.cli;

import dev.rumor.rpc.RpcClient;
import dev.rumor.rpc.RpcException;
import dev.rumor.rpc.RpcMember;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "members", description = "Lists the members of a cluster (serf members).")
final class MembersCommand extends ClientCommand {
    @Option(names = {"-detailed", "--detailed"}, description = "Additional information such as protocol versions")
    boolean detailed;

    @Option(names = {"-format", "--format"}, defaultValue = "text", description = "text or json")
    String format;

    @Option(names = {"-name", "--name"}, defaultValue = "", description = "Only members whose name matches this regexp")
    String name;

    @Option(names = {"-role", "--role"}, defaultValue = "", description = "Deprecated: same as -tag role=REGEXP")
    String role;

    @Option(names = {"-status", "--status"}, defaultValue = "", description = "Only members whose status matches this regexp")
    String status;

    @Option(names = {"-tag", "--tag"}, paramLabel = "KEY=REGEXP", description = "Only members with this tag (repeatable)")
    List<String> tags = new ArrayList<>();

    @Override
    int run(RpcClient client) throws IOException {
        if (!role.isEmpty()) {
            println("Deprecation warning: 'Role' has been replaced with 'Tags'");
            tags.add("role=" + role);
        }
        Map<String, String> filter;
        try {
            filter = Tags.parse(tags);
        } catch (IllegalArgumentException e) {
            println("Error: " + e.getMessage());
            return 1;
        }
        List<RpcMember> members;
        try {
            members = client.membersFiltered(filter, status, name);
        } catch (RpcException e) {
            println("Error retrieving members: " + e.getMessage());
            return 1;
        }
        String output;
        if (format.equals("json")) {
            List<Object> list = new ArrayList<>();
            for (RpcMember m : members) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("name", m.name());
                o.put("addr", hostPort(m));
                o.put("port", m.port());
                o.put("tags", new TreeMap<>(m.tags()));
                o.put("status", m.status());
                Map<String, Object> proto = new TreeMap<>();
                proto.put("max", m.delegateMax());
                proto.put("min", m.delegateMin());
                proto.put("version", m.delegateCur());
                o.put("protocol", proto);
                list.add(o);
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("members", list.isEmpty() ? null : list);
            output = GoJson.write(root);
        } else if (format.equals("text")) {
            List<String> lines = new ArrayList<>();
            for (RpcMember m : members) {
                String line = m.name() + "|" + hostPort(m) + "|" + m.status() + "|" + String.join(",", Tags.marshal(m.tags()));
                if (detailed) {
                    line += "|Protocol Version: " + m.delegateCur() + "|Available Protocol Range: ["
                            + m.delegateMin() + ", " + m.delegateMax() + "]";
                }
                lines.add(line);
            }
            output = Columnize.format(lines);
        } else {
            println("Encoding error: Invalid output format \"" + format + "\"");
            return 1;
        }
        println(output.strip());
        return 0;
    }

    /** Go's net.TCPAddr.String(): "ip:port", IPv6 in brackets. */
    static String hostPort(RpcMember m) {
        String ip = m.addrString();
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + m.port();
    }
}
