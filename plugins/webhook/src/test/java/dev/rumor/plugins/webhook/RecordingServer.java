package dev.rumor.plugins.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A webhook receiver on 127.0.0.1 with an ephemeral port that records every request before answering. */
final class RecordingServer implements AutoCloseable {

    /** One received request. */
    record Hit(String protocol, String method, com.sun.net.httpserver.Headers headers, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Answers hit number {@code n} (1-based). */
    interface Responder {
        void respond(HttpExchange ex, int n, Hit hit) throws Exception;
    }

    final List<Hit> hits = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Responder responder;

    RecordingServer(Responder responder) throws IOException {
        this.responder = responder;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            try (ex) {
                Hit hit = new Hit(ex.getProtocol(), ex.getRequestMethod(), ex.getRequestHeaders(),
                        ex.getRequestBody().readAllBytes());
                int n;
                synchronized (hits) {
                    hits.add(hit);
                    n = hits.size();
                }
                this.responder.respond(ex, n, hit);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** A responder that answers with {@code status} and no body. */
    static Responder status(int status) {
        return (ex, n, hit) -> ex.sendResponseHeaders(status, -1);
    }

    static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** A server that never answers (until it is closed). */
    static RecordingServer hanging() throws IOException {
        RecordingServer s = new RecordingServer(null);
        s.responder = (ex, n, hit) -> s.released.await();
        return s;
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
