package dev.nsdp.control.api;

import dev.nsdp.control.model.ControlException;
import dev.nsdp.control.model.JsonWriter;
import dev.nsdp.control.model.Reply;
import dev.nsdp.control.model.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain, blocking client of the control API, for the {@code nsdp} command line and for tests: no
 * Netty, just a JDK socket channel. One request at a time per client ({@link #call}), or any number
 * sent before reading their replies ({@link #send}/{@link #receive}); replies come back in request
 * order. Not thread-safe: one client per thread.
 *
 * <pre>{@code
 * try (ControlClient nsdp = ControlClient.connect(Path.of("/run/nsdp/nsdp.sock"))) {
 *     nsdp.call(new Request.AddNamespace("red", Level.L2, null, null)).orThrow();
 * }
 * }</pre>
 */
public final class ControlClient implements AutoCloseable {
    private final SocketChannel channel;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream pendingLine = new ByteArrayOutputStream(256);
    private long nextId = 1;

    private ControlClient(final SocketChannel channel) {
        this.channel = channel;
        readBuffer.flip();
    }

    /** Connects to the Unix socket at {@code socket} ({@value ControlServerConfig#DEFAULT_SOCKET} by default). */
    public static ControlClient connect(final Path socket) throws IOException {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (final IOException e) {
            channel.close();
            throw new IOException("cannot connect to the nsdp control socket " + socket + ": " + e.getMessage()
                + " (is the forwarder running, and are you in its group?)", e);
        }
        return new ControlClient(channel);
    }

    /** Connects to the control API on TCP 127.0.0.1:{@code port}. */
    public static ControlClient connectTcp(final int port) throws IOException {
        final SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new ControlClient(channel);
    }

    /** Sends {@code request} and waits for its reply. */
    public Reply call(final Request request) throws IOException {
        return call(request.toJson());
    }

    /** Sends a request given as a JSON object (verb and fields) and waits for its reply. */
    public Reply call(final Map<String, Object> request) throws IOException {
        send(request);
        return receive();
    }

    /** Like {@link #call}, but throws the refusal as a {@link ControlException}; returns the result. */
    public Object require(final Request request) throws IOException {
        final Reply reply = call(request);
        if (!reply.ok()) {
            throw new ControlException(reply.error());
        }
        return reply.result();
    }

    /** Sends one request without waiting; it gets the next id. */
    public void send(final Map<String, Object> request) throws IOException {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", nextId++);
        for (final Map.Entry<String, Object> field : request.entrySet()) {
            if (!field.getKey().equals("id")) {
                json.put(field.getKey(), field.getValue());
            }
        }
        sendLine(JsonWriter.write(json));
    }

    /** Sends one raw line (tests of malformed input). A newline is added. */
    public void sendLine(final String line) throws IOException {
        final ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Reads the next reply. */
    public Reply receive() throws IOException {
        return Reply.fromJson(receiveLine());
    }

    /** Reads the next reply line as it came. */
    public String receiveLine() throws IOException {
        pendingLine.reset();
        while (true) {
            while (readBuffer.hasRemaining()) {
                final byte b = readBuffer.get();
                if (b == '\n') {
                    return pendingLine.toString(StandardCharsets.UTF_8);
                }
                pendingLine.write(b);
            }
            readBuffer.clear();
            final int n = channel.read(readBuffer);
            readBuffer.flip();
            if (n < 0) {
                throw new IOException("the nsdp control server closed the connection");
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
