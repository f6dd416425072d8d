package dev.rumor.plugins.haproxy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A web node: answers every request with its own name. {@code /slow} blocks until {@link #releaseSlow()},
 * so a test can hold a session open on this server while it is drained.
 */
final class WebServer implements AutoCloseable {
    private final String name;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final CountDownLatch slow = new CountDownLatch(1);
    private final AtomicInteger slowHeld = new AtomicInteger();

    WebServer(String name) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/slow")) {
                slowHeld.incrementAndGet();
                try {
                    slow.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(pool);
        server.start();
    }

    String name() {
        return name;
    }

    int port() {
        return server.getAddress().getPort();
    }

    int slowHeld() {
        return slowHeld.get();
    }

    void releaseSlow() {
        slow.countDown();
    }

    @Override
    public void close() {
        slow.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
