package dev.rumor.cli;

import dev.rumor.rpc.IpcCodec;
import dev.rumor.rpc.QueryRequest;
import dev.rumor.rpc.RpcClient;
import dev.rumor.rpc.RpcException;
import dev.rumor.rpc.RpcMember;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reachability", description = "Tests the network reachability of this node (serf's _serf_ping query).",
        mixinStandardHelpOptions = true)
final class ReachabilityCommand extends ClientCommand {
    static final String TOO_MANY_ACKS = "This could mean Serf is detecting false-failures due to a misconfiguration or network issue.";
    static final String TOO_FEW_ACKS = "This could mean Serf gossip packets are being lost due to a misconfiguration or network issue.";
    static final String DUPLICATES = "Duplicate responses means there is a misconfiguration. Verify that node names are unique.";
    static final String TROUBLESHOOTING = """

            Troubleshooting tips:
            * Ensure that the bind addr:port is accessible by all other nodes
            * If an advertise address is set, ensure it routes to the bind address
            * Check that no nodes are behind a NAT
            * If nodes are behind firewalls or iptables, check that Serf traffic is permitted (UDP and TCP)
            * Verify networking equipment is functional""";

    @Option(names = {"-verbose", "--verbose"}, description = "Print every ack")
    boolean verbose;

    @Override
    int run(RpcClient client) throws IOException {
        List<RpcMember> members;
        try {
            members = client.members();
        } catch (RpcException e) {
            println("Error getting members: " + e.getMessage());
            return 1;
        }
        Set<String> live = new LinkedHashSet<>();
        for (RpcMember m : members) {
            if (m.status().equals("alive")) {
                live.add(m.name());
            }
        }
        println("Total members: " + members.size() + ", live members: " + live.size());
        Set<String> acksFrom = new LinkedHashSet<>();
        int[] numAcks = {0};
        boolean[] dups = {false};
        long start = System.nanoTime();
        long[] last = {start};
        CountDownLatch done = new CountDownLatch(1);
        RpcClient.RecordListener l = new RpcClient.RecordListener() {
            @Override
            public void record(Map<String, Object> body) {
                String type = IpcCodec.str(body, "Type");
                if (type.equals("done") || IpcCodec.str(body, "From").isEmpty()) {
                    // an empty name ends the query, as in serf's CLI (see QueryCommand)
                    done.countDown();
                } else if (type.equals("ack")) {
                    String a = IpcCodec.str(body, "From");
                    if (verbose) {
                        println("\tAck from '" + a + "'");
                    }
                    numAcks[0]++;
                    if (!acksFrom.add(a)) {
                        dups[0] = true;
                        println("Duplicate response from '" + a + "'");
                    }
                    last[0] = System.nanoTime();
                }
            }

            @Override
            public void closed() {
                done.countDown();
            }
        };
        try {
            client.query(new QueryRequest(List.of(), Map.of(), true, 0, Duration.ZERO, "_serf_ping", null), l);
        } catch (RpcException e) {
            println("Error sending query: " + e.getMessage());
            return 1;
        }
        println("Starting reachability test...");
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            println("Test interrupted");
            return 1;
        }
        if (verbose) {
            double total = (System.nanoTime() - start) / 1e9;
            double toLast = (last[0] - start) / 1e9;
            println(String.format(Locale.ROOT, "Query time: %.2f sec, time to last response: %.2f sec", total, toLast));
        }
        int exit = 0;
        if (dups[0]) {
            println(DUPLICATES);
            exit = 1;
        }
        int n = live.size();
        if (numAcks[0] == n) {
            println("Successfully contacted all live nodes");
        } else if (numAcks[0] > n) {
            println("Received more acks than live nodes! Acks from non-live nodes:");
            for (String m : acksFrom) {
                if (!live.contains(m)) {
                    println("\t" + m);
                }
            }
            println(TOO_MANY_ACKS);
            println(TROUBLESHOOTING);
            return 1;
        } else {
            println("Received less acks than live nodes! Missing acks from:");
            for (String m : live) {
                if (!acksFrom.contains(m)) {
                    println("\t" + m);
                }
            }
            println(TOO_FEW_ACKS);
            println(TROUBLESHOOTING);
            return 1;
        }
        return exit;
    }
}
