package dev.rumor.cli;

import picocli.CommandLine.Option;

/**
 * {@code -rpc-addr} and {@code -rpc-auth}, shared by every client command. Defaults come from
 * {@code RUMOR_RPC_ADDR}/{@code RUMOR_RPC_AUTH}, then serf's {@code SERF_RPC_ADDR}/{@code SERF_RPC_AUTH},
 * then 127.0.0.1:7373, so scripts written for serf keep working.
 */
public final class RpcOptions {
    @Option(names = {"-rpc-addr", "--rpc-addr"}, paramLabel = "ADDR",
            description = "RPC address of the agent (env RUMOR_RPC_ADDR or SERF_RPC_ADDR, default 127.0.0.1:7373)")
    String rpcAddr;

    @Option(names = {"-rpc-auth", "--rpc-auth"}, paramLabel = "TOKEN",
            description = "RPC auth token of the agent (env RUMOR_RPC_AUTH or SERF_RPC_AUTH)")
    String rpcAuth;

    public String address() {
        return firstNonEmpty(rpcAddr, System.getenv("RUMOR_RPC_ADDR"), System.getenv("SERF_RPC_ADDR"), "127.0.0.1:7373");
    }

    public String auth() {
        return firstNonEmpty(rpcAuth, System.getenv("RUMOR_RPC_AUTH"), System.getenv("SERF_RPC_AUTH"), "");
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return "";
    }
}
