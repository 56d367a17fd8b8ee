package dev.nsdp.control.api;

import dev.nsdp.control.model.ControlError;
import dev.nsdp.control.model.ControlException;
import dev.nsdp.control.model.ErrorKind;
import dev.nsdp.control.model.JsonException;
import dev.nsdp.control.model.JsonReader;
import dev.nsdp.control.model.JsonWriter;
import dev.nsdp.control.model.Reply;
import dev.nsdp.control.model.Request;
import dev.nsdp.control.model.RequestCodec;
import dev.nsdp.dataplane.namespace.Caller;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One control connection, on its Netty event loop: splits the byte stream into lines (one request per
 * line, UTF-8 JSON), decodes each into a {@link Request} here, hands it to the control thread, and
 * writes each reply as one line, in request order. Malformed input never closes the connection: a
 * line that is too long, not UTF-8, not JSON or not a request gets an error reply and the next line
 * is read as usual.
 */
final class ControlConnection extends ChannelInboundHandlerAdapter {
    private static final int MAX_ID_LENGTH = 64;

    private final ControlService service;
    private final Authenticator authenticator;
    private final int maxLineBytes;
    private final int maxPending;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private Caller caller;
    private boolean discarding;
    private int pending;

    ControlConnection(final ControlService service, final Authenticator authenticator, final int maxLineBytes, final int maxPending) {
        this.service = service;
        this.authenticator = authenticator;
        this.maxLineBytes = maxLineBytes;
        this.maxPending = maxPending;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) {
        caller = authenticator.authenticate(ctx.channel());
        if (caller == null) {
            final Reply refused = Reply.failure(ControlError.of(ErrorKind.PERMISSION_DENIED,
                "the server cannot tell who you are (no peer credentials); connect over the Unix socket"));
            ctx.writeAndFlush(encode(refused)).addListener(f -> ctx.close());
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        final ByteBuf in = (ByteBuf) msg;
        try {
            while (in.isReadable() && caller != null) {
                final int newline = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
                final int end = newline < 0 ? in.writerIndex() : newline;
                final int length = end - in.readerIndex();
                if (!discarding) {
                    if (line.size() + length > maxLineBytes) {
                        discarding = true;
                        line.reset();
                    } else {
                        final byte[] chunk = new byte[length];
                        in.readBytes(chunk);
                        line.write(chunk, 0, length);
                    }
                }
                in.readerIndex(end);
                if (newline < 0) {
                    break;
                }
                in.skipBytes(1);
                if (discarding) {
                    discarding = false;
                    respond(ctx, service.submitReply(Reply.failure(ControlError.of(ErrorKind.TOO_LARGE,
                        "request longer than " + maxLineBytes + " bytes; it was skipped"))), null);
                } else {
                    final byte[] bytes = line.toByteArray();
                    line.reset();
                    onLine(ctx, bytes);
                }
            }
        } finally {
            in.release();
        }
    }

    private void onLine(final ChannelHandlerContext ctx, final byte[] bytes) {
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        if (isBlank(bytes, length)) {
            return; // an empty line is not a request
        }
        Object id = null;
        try {
            final String text = utf8(bytes, length);
            final Map<String, Object> json;
            try {
                json = JsonReader.parseObject(text);
            } catch (final JsonException e) {
                throw new ControlException(ErrorKind.BAD_JSON, e.getMessage());
            }
            id = json.get("id");
            if (id != null && !(id instanceof Long) && !(id instanceof String s && s.length() <= MAX_ID_LENGTH)) {
                final Object badId = id;
                id = null;
                throw new ControlException(ErrorKind.BAD_REQUEST, "'id' must be an integer or a string of at most "
                    + MAX_ID_LENGTH + " characters, got " + JsonWriter.typeName(badId));
            }
            final Request request = RequestCodec.decode(json);
            respond(ctx, service.submit(caller, request), id);
        } catch (final ControlException e) {
            respond(ctx, service.submitReply(Reply.failure(e.error())), id);
        }
    }

    private void respond(final ChannelHandlerContext ctx, final CompletableFuture<Reply> reply, final Object id) {
        if (++pending >= maxPending) {
            ctx.channel().config().setAutoRead(false);
        }
        // Always write on the connection's event loop, as a task: replies complete on the control
        // thread in submission order, and the event loop runs tasks in the order they were queued, so
        // replies leave in request order. (Writing directly from whichever thread completed the
        // future let a reply that was already complete - a refusal - overtake earlier ones.)
        reply.thenAcceptAsync(r -> {
            ctx.channel().writeAndFlush(encode(r.withId(id)));
            if (--pending < Math.max(1, maxPending / 2) && !ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
        }, ctx.executor());
    }

    private static ByteBuf encode(final Reply reply) {
        return Unpooled.wrappedBuffer((JsonWriter.write(reply.toJson()) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isBlank(final byte[] bytes, final int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String utf8(final byte[] bytes, final int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, 0, length))
                .toString();
        } catch (final CharacterCodingException e) {
            throw new ControlException(ErrorKind.BAD_JSON, "bad JSON: the request is not valid UTF-8");
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        ctx.close();
    }
}
