package dev.rumor.cli;

import dev.rumor.rpc.RpcClient;
import dev.rumor.rpc.RpcException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

@Command(name = "monitor", description = "Streams log lines and events from a running agent until interrupted.")
final class MonitorCommand extends ClientCommand {
    @Option(names = {"-log-level", "--log-level"}, defaultValue = "INFO", description = "TRACE, DEBUG, INFO, WARN or ERR")
    String logLevel;

    @Override
    int run(RpcClient client) throws IOException {
        CountDownLatch ended = new CountDownLatch(1);
        AtomicBoolean quitting = new AtomicBoolean();
        RpcClient.RecordListener events = new RpcClient.RecordListener() {
            @Override
            public void record(Map<String, Object> body) {
                StringBuilder sb = new StringBuilder("==> Event Info:");
                body.forEach((k, v) -> sb.append("\n==> \t").append(k).append(": ").append(goSyntax(v)));
                println(sb.toString());
            }

            @Override
            public void closed() {
                ended.countDown();
            }
        };
        RpcClient.RecordListener logs = body -> println("==> " + dev.rumor.rpc.IpcCodec.str(body, "Log"));
        try {
            client.stream("*", events);
        } catch (RpcException e) {
            println("Error starting stream: " + e.getMessage());
            return 1;
        }
        try {
            client.monitor(logLevel, logs);
        } catch (RpcException e) {
            println("Error starting monitor: " + e.getMessage());
            return 1;
        }
        // Ctrl-C ends the monitor normally (exit 0), as in serf; the JVM default would exit 130.
        Signal.handle(new Signal("INT"), sig -> {
            quitting.set(true);
            ended.countDown();
        });
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (quitting.get()) {
            return 0;
        }
        println("==> ");
        println("Remote side ended the monitor! This usually means that the\nremote side has exited or crashed.");
        return 1;
    }

    /** Go's %#v for the values a stream record holds. */
    static String goSyntax(Object v) {
        if (v == null) {
            return "<nil>";
        }
        if (v instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
        }
        if (v instanceof byte[] b) {
            StringBuilder sb = new StringBuilder("[]byte{");
            for (int i = 0; i < b.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(String.format("0x%x", b[i] & 0xff));
            }
            return sb.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[]interface {}{");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(goSyntax(l.get(i)));
            }
            return sb.append('}').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("map[string]interface {}{");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(i++ == 0 ? "" : ", ").append(goSyntax(String.valueOf(e.getKey()))).append(':').append(goSyntax(e.getValue()));
            }
            return sb.append('}').toString();
        }
        return String.valueOf(v);
    }
}
