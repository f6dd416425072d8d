package dev.rumor.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What the membership layer needs from the network (cf. memberlist {@code transport.go}): best-effort
 * packets and reliable request/response streams on one advertised address.
 *
 * <p>Streams are message-level: memberlist's TCP protocol carries exactly one request message and at
 * most one response per connection, so a stream is an exchange of two byte arrays. A real transport
 * finds message boundaries with the {@link FrameReader} the membership layer gives it; an in-memory
 * transport passes the arrays as they are, which keeps simulations deterministic.
 *
 * <p>Thread contract: methods may be called from any thread. Handlers are called on transport threads
 * (or, in memory, on the simulation's scheduler thread); they must not block and should hand work to the
 * protocol thread.
 */
public interface Transport extends AutoCloseable {

    /** The address and port peers should use to reach this node (port resolved when bound to 0). */
    InetSocketAddress advertiseAddress();

    /**
     * Sends one datagram, best effort.
     *
     * @return the send time on the transport's clock, in nanoseconds
     */
    long sendPacket(InetSocketAddress to, byte[] packet) throws IOException;

    /** Where received datagrams go. Set once before traffic starts. */
    void onPacket(PacketHandler handler);

    /**
     * Opens a reliable stream to {@code to}, writes {@code request} and, if {@code expectReply}, reads one
     * reply message. The callback is called exactly once, with the reply (null when none was expected)
     * or with the failure (connect error, timeout, closed before a whole message arrived).
     */
    void exchange(InetSocketAddress to, byte[] request, boolean expectReply, Duration timeout, ExchangeCallback callback);

    /** Where inbound streams go. Set once before traffic starts. */
    void onStream(StreamHandler handler);

    /** Tells a real transport how to find where one stream message ends. In-memory transports ignore it. */
    default void frameReader(FrameReader reader) {
    }

    @Override
    void close();

    @FunctionalInterface
    interface PacketHandler {
        void handle(Packet packet);
    }

    @FunctionalInterface
    interface ExchangeCallback {
        void done(byte[] reply, Throwable error);
    }

    /**
     * An inbound stream request. The handler must eventually call {@code reply.send(bytes)} (or
     * {@code reply.close()} to answer nothing); the transport closes the connection afterwards.
     */
    @FunctionalInterface
    interface StreamHandler {
        void handle(byte[] request, InetSocketAddress from, StreamReply reply);
    }

    /** The answering side of an inbound stream. Either method may be called once, from any thread. */
    interface StreamReply {
        void send(byte[] reply);

        void close();
    }
}
