package dev.rumor.cli;

import dev.rumor.rpc.IpcCodec;
import dev.rumor.rpc.RpcClient;
import dev.rumor.rpc.RpcException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "rtt", description = "Estimates the round trip time between two nodes from their network coordinates: rtt NODE1 [NODE2]",
        mixinStandardHelpOptions = true)
final class RttCommand extends ClientCommand {
    @Parameters(paramLabel = "NODE", arity = "0..*")
    List<String> nodes = new ArrayList<>();

    @Override
    int run(RpcClient client) throws IOException {
        // serf connects first and validates afterwards (it needs the agent's own name for one argument).
        List<String> pair = new ArrayList<>(nodes);
        if (pair.size() == 1) {
            try {
                Map<String, Object> stats = client.stats();
                pair.add(IpcCodec.str(IpcCodec.map(stats, "agent"), "name"));
            } catch (RpcException e) {
                println("Error querying agent: " + e.getMessage());
                return 1;
            }
        } else if (pair.size() != 2) {
            return usageError("One or two node names must be specified");
        }
        double[][] vec = new double[2][];
        double[] height = new double[2];
        double[] adjustment = new double[2];
        for (int i = 0; i < 2; i++) {
            Map<String, Object> resp;
            try {
                resp = client.getCoordinate(pair.get(i));
            } catch (RpcException e) {
                println("Error getting coordinates: " + e.getMessage());
                return 1;
            }
            if (!IpcCodec.bool(resp, "Ok")) {
                println("Could not find a coordinate for node \"" + pair.get(i) + "\"");
                return 1;
            }
            Map<String, Object> c = IpcCodec.map(resp, "Coord");
            List<Object> v = IpcCodec.list(c, "Vec");
            vec[i] = new double[v.size()];
            for (int j = 0; j < v.size(); j++) {
                vec[i][j] = ((Number) v.get(j)).doubleValue();
            }
            height[i] = number(c.get("Height"));
            adjustment[i] = number(c.get("Adjustment"));
        }
        if (vec[0].length != vec[1].length) {
            println("Error getting coordinates: coordinate dimensionality does not match");
            return 1;
        }
        // Vivaldi distance as serf computes it (coordinate.DistanceTo): Euclidean distance plus both
        // heights, plus both adjustments when that stays positive; in seconds.
        double sum = 0;
        for (int j = 0; j < vec[0].length; j++) {
            double d = vec[0][j] - vec[1][j];
            sum += d * d;
        }
        double dist = Math.sqrt(sum) + height[0] + height[1];
        double adjusted = dist + adjustment[0] + adjustment[1];
        if (adjusted > 0) {
            dist = adjusted;
        }
        long nanos = (long) (dist * 1e9);
        println(String.format(Locale.ROOT, "Estimated %s <-> %s rtt: %.3f ms", pair.get(0), pair.get(1), nanos / 1e6));
        return 0;
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }
}
