package dev.nsdp.control.kernel;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.nsdp.dataplane.nativ.Errno;
import dev.nsdp.dataplane.nativ.LibC;
import dev.nsdp.dataplane.nativ.NativeException;
import dev.nsdp.dataplane.nativ.NetlinkSockets;
import dev.nsdp.dataplane.nativ.Sockets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * One NETLINK_ROUTE socket and the request/ack discipline on it: every request carries a fresh
 * sequence number and NLM_F_ACK; a reply is accepted only when its sequence number is one we are
 * waiting for; a request counts as done only when its ack (NLMSG_ERROR with code 0) or its error
 * arrived; a dump is read part by part until NLMSG_DONE.
 *
 * <p>Batches: the kernel handles every message of one datagram in turn and acks each one, so
 * {@link #transact} sends many requests per sendto and then collects the acks by sequence number.
 * Chunks are bounded ({@link #MAX_BATCH_MESSAGES}) so that the acks of one chunk always fit in the
 * receive buffer: an overflow would lose acks (ENOBUFS), and a lost ack is a request whose outcome
 * we cannot know.
 *
 * <p>The socket belongs to the network namespace it was opened in (see {@link RtNetlink#open}).
 * Not thread-safe.
 */
final class NetlinkSocket implements AutoCloseable {
    /** Requests per sendto in a batch; their acks (about 1 KiB of buffer each) must fit the receive buffer. */
    static final int MAX_BATCH_MESSAGES = 128;
    private static final int MAX_BATCH_BYTES = 64 * 1024;
    private static final int RECEIVE_BUFFER_BYTES = 256 * 1024;
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    private final int fd;
    private final int portId;
    private final MemorySegment receiveBuffer;
    private final Arena arena;
    private int sequence;
    /** A previous exchange ended early (exception): replies to it may still be queued. */
    private boolean unsettled;
    private boolean closed;

    private NetlinkSocket(final int fd, final int portId) {
        this.fd = fd;
        this.portId = portId;
        this.arena = Arena.ofShared();
        this.receiveBuffer = arena.allocate(RECEIVE_BUFFER_BYTES, 8);
        // Start where a previous process using the same port id would not be (stale replies are
        // dropped by sequence number anyway).
        this.sequence = (int) (System.nanoTime() & 0x3FFF_FFFF);
    }

    /** Opens a socket in the CALLING THREAD's network namespace. */
    static NetlinkSocket openHere() {
        final int fd = NetlinkSockets.open(NetlinkSockets.NETLINK_ROUTE);
        if (fd < 0) {
            throw new NativeException("socket(AF_NETLINK, NETLINK_ROUTE)", -fd);
        }
        try {
            // Ask for the kernel's own words on errors, and only the header of a failed request back.
            Sockets.setIntOption(fd, NetlinkSockets.SOL_NETLINK, NetlinkSockets.NETLINK_EXT_ACK, 1);
            Sockets.setIntOption(fd, NetlinkSockets.SOL_NETLINK, NetlinkSockets.NETLINK_CAP_ACK, 1);
            // Room for a chunk of acks and for big dump parts; FORCE works for root, else the
            // plain option gives what net.core.rmem_max allows (the chunk size fits even that).
            if (Sockets.setIntOption(fd, Sockets.SOL_SOCKET, NetlinkSockets.SO_RCVBUFFORCE, SOCKET_BUFFER_BYTES) < 0) {
                Sockets.setIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            }
            if (Sockets.setIntOption(fd, Sockets.SOL_SOCKET, NetlinkSockets.SO_SNDBUFFORCE, SOCKET_BUFFER_BYTES) < 0) {
                Sockets.setIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            }
            // A port id is an unsigned 32-bit number: the kernel gives a process's first socket its pid
            // and the others ids with the top bit set, which as an int look negative (not an errno).
            final int portId = (int) NativeException.check(NetlinkSockets.portId(fd), "getsockname(netlink)");
            return new NetlinkSocket(fd, portId);
        } catch (final RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    int portId() {
        return portId;
    }

    /** The next sequence number (never 0: the kernel uses 0 for notifications). */
    int nextSequence() {
        sequence = (sequence + 1) & 0x7FFF_FFFF;
        if (sequence == 0) {
            sequence = 1;
        }
        return sequence;
    }

    /** The outcome of one acked request: 0, or the positive errno and the kernel's message. */
    record Ack(int errno, String kernelMessage, boolean interrupted) {
        static final Ack OK = new Ack(0, null, false);
        static final Ack INTERRUPTED = new Ack(0, null, true);

        boolean ok() {
            return errno == 0;
        }
    }

    /**
     * Sends every message in {@code writer} (each must carry NLM_F_ACK and a sequence number from
     * {@link #nextSequence}, in increasing order) and returns their acks in the same order.
     */
    Ack[] transact(final NetlinkMessageWriter writer) {
        settle();
        final MemorySegment messages = writer.segment();
        final int total = writer.length();
        final Ack[] acks = new Ack[writer.messageCount()];
        int offset = 0;
        int index = 0;
        while (offset < total) {
            // Cut a chunk at message boundaries.
            final int chunkStart = offset;
            final int firstIndex = index;
            while (offset < total && index - firstIndex < MAX_BATCH_MESSAGES
                && (offset == chunkStart || offset - chunkStart + length(messages, offset) <= MAX_BATCH_BYTES)) {
                offset += NetlinkProtocol.align(length(messages, offset));
                index++;
            }
            send(messages, chunkStart, offset - chunkStart);
            collectAcks(acks, firstIndex, index - firstIndex, messages, chunkStart, offset);
        }
        return acks;
    }

    /** One request, one ack. */
    Ack transactOne(final NetlinkMessageWriter writer) {
        return transact(writer)[0];
    }

    /** What a dump part looks like to a consumer: a message's type and body (after the netlink header). */
    record Part(int type, MemorySegment segment, long bodyOffset, int bodyLength) {
    }

    /**
     * Sends the one request in {@code writer} and feeds every reply part to {@code consumer} until
     * the exchange ends: NLMSG_DONE for a dump (NLM_F_DUMP), the ack for a request with NLM_F_ACK.
     * Returns the outcome; {@link Ack#interrupted()} when the kernel flagged a dump inconsistent
     * (the table changed meanwhile): the caller starts over.
     */
    Ack exchange(final NetlinkMessageWriter writer, final Consumer<Part> consumer) {
        settle();
        final int expected = writer.segment().get(JAVA_INT_UNALIGNED, NetlinkProtocol.SEQ_OFFSET);
        send(writer.segment(), 0, writer.length());
        unsettled = true;
        boolean consistent = true;
        while (true) {
            final int received = receive();
            int at = 0;
            while (at + NetlinkProtocol.HEADER_LENGTH <= received) {
                final int length = length(receiveBuffer, at);
                if (length < NetlinkProtocol.HEADER_LENGTH || at + length > received) {
                    throw new IllegalStateException("malformed netlink reply (length " + length + ")");
                }
                final int type = Short.toUnsignedInt(receiveBuffer.get(JAVA_SHORT_UNALIGNED, at + NetlinkProtocol.TYPE_OFFSET));
                final int flags = Short.toUnsignedInt(receiveBuffer.get(JAVA_SHORT_UNALIGNED, at + NetlinkProtocol.FLAGS_OFFSET));
                final int seq = receiveBuffer.get(JAVA_INT_UNALIGNED, at + NetlinkProtocol.SEQ_OFFSET);
                if (seq == expected) {
                    if ((flags & NetlinkProtocol.NLM_F_DUMP_INTR) != 0) {
                        consistent = false;
                    }
                    if (type == NetlinkProtocol.NLMSG_DONE) {
                        // NLMSG_DONE carries an int: 0, or -errno when the dump itself failed.
                        final int code = length >= NetlinkProtocol.HEADER_LENGTH + 4
                            ? receiveBuffer.get(JAVA_INT_UNALIGNED, at + NetlinkProtocol.HEADER_LENGTH) : 0;
                        unsettled = false;
                        if (code < 0) {
                            return new Ack(-code, null, false);
                        }
                        return consistent ? Ack.OK : Ack.INTERRUPTED;
                    }
                    if (type == NetlinkProtocol.NLMSG_ERROR) {
                        final Ack ack = parseAck(at, length);
                        unsettled = false;
                        return ack.ok() && !consistent ? Ack.INTERRUPTED : ack;
                    }
                    if (type != NetlinkProtocol.NLMSG_NOOP) {
                        consumer.accept(new Part(type, receiveBuffer, at + NetlinkProtocol.HEADER_LENGTH,
                            length - NetlinkProtocol.HEADER_LENGTH));
                    }
                }
                // Anything else is a late reply to an earlier, abandoned request: not ours to read.
                at += NetlinkProtocol.align(length);
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
            arena.close();
        }
    }

    private void collectAcks(final Ack[] acks, final int firstIndex, final int count, final MemorySegment messages,
                             final int chunkStart, final int chunkEnd) {
        // Sequence numbers of this chunk, in order: map a reply's seq to its request.
        final int[] sequences = new int[count];
        int at = chunkStart;
        for (int i = 0; i < count; i++) {
            sequences[i] = messages.get(JAVA_INT_UNALIGNED, at + NetlinkProtocol.SEQ_OFFSET);
            at += NetlinkProtocol.align(length(messages, at));
        }
        int pending = count;
        unsettled = true;
        while (pending > 0) {
            final int received = receive();
            int offset = 0;
            while (offset + NetlinkProtocol.HEADER_LENGTH <= received) {
                final int length = length(receiveBuffer, offset);
                if (length < NetlinkProtocol.HEADER_LENGTH || offset + length > received) {
                    throw new IllegalStateException("malformed netlink reply (length " + length + ")");
                }
                final int type = Short.toUnsignedInt(receiveBuffer.get(JAVA_SHORT_UNALIGNED, offset + NetlinkProtocol.TYPE_OFFSET));
                final int seq = receiveBuffer.get(JAVA_INT_UNALIGNED, offset + NetlinkProtocol.SEQ_OFFSET);
                if (type == NetlinkProtocol.NLMSG_ERROR) {
                    final int slot = indexOf(sequences, seq);
                    if (slot >= 0 && acks[firstIndex + slot] == null) {
                        acks[firstIndex + slot] = parseAck(offset, length);
                        pending--;
                    }
                }
                // Echoed objects (NLM_F_ECHO) and stale replies are skipped: only the ack settles a request.
                offset += NetlinkProtocol.align(length);
            }
        }
        unsettled = false;
    }

    private static int indexOf(final int[] sequences, final int seq) {
        // Sequence numbers of a chunk are consecutive in practice; fall back to a scan if not.
        final int guess = seq - sequences[0];
        if (guess >= 0 && guess < sequences.length && sequences[guess] == seq) {
            return guess;
        }
        for (int i = 0; i < sequences.length; i++) {
            if (sequences[i] == seq) {
                return i;
            }
        }
        return -1;
    }

    private Ack parseAck(final int at, final int length) {
        if (length < NetlinkProtocol.ERROR_REQUEST_OFFSET) {
            throw new IllegalStateException("truncated netlink ack");
        }
        final int code = receiveBuffer.get(JAVA_INT_UNALIGNED, at + NetlinkProtocol.ERROR_CODE_OFFSET);
        if (code == 0) {
            return Ack.OK;
        }
        final int flags = Short.toUnsignedInt(receiveBuffer.get(JAVA_SHORT_UNALIGNED, at + NetlinkProtocol.FLAGS_OFFSET));
        String kernelMessage = null;
        if ((flags & NetlinkProtocol.NLM_F_ACK_TLVS) != 0) {
            // The TLVs follow the echoed request: its header only when capped, else all of it.
            final int requestLength = (flags & NetlinkProtocol.NLM_F_CAPPED) != 0
                ? NetlinkProtocol.HEADER_LENGTH
                : length(receiveBuffer, at + NetlinkProtocol.ERROR_REQUEST_OFFSET);
            final int tlvStart = NetlinkProtocol.ERROR_REQUEST_OFFSET + NetlinkProtocol.align(requestLength);
            if (tlvStart < length) {
                kernelMessage = NetlinkAttributes.parse(receiveBuffer, at + tlvStart, length - tlvStart)
                    .string(NetlinkProtocol.NLMSGERR_ATTR_MSG);
            }
        }
        return new Ack(-code, kernelMessage, false);
    }

    private void send(final MemorySegment messages, final int offset, final int length) {
        final long sent = Sockets.sendto(fd, messages.asSlice(offset, length), length, 0, MemorySegment.NULL, 0);
        if (sent < 0) {
            throw new NativeException("sendto(netlink, " + length + " bytes)", (int) -sent);
        }
        if (sent != length) {
            throw new IllegalStateException("netlink sendto sent " + sent + " of " + length + " bytes");
        }
    }

    /** One datagram into the receive buffer: its length. Retries EINTR; a truncated datagram is an error. */
    private int receive() {
        for (int attempt = 0; ; attempt++) {
            final long r = Sockets.recvfrom(fd, receiveBuffer, NetlinkSockets.MSG_TRUNC, MemorySegment.NULL,
                MemorySegment.NULL);
            if (r >= 0) {
                if (r > receiveBuffer.byteSize()) {
                    throw new IllegalStateException("netlink reply of " + r + " bytes exceeds the "
                        + receiveBuffer.byteSize() + "-byte receive buffer");
                }
                return (int) r;
            }
            final int errno = (int) -r;
            if (errno == Errno.EINTR && attempt < 8) {
                continue;
            }
            if (errno == Errno.ENOBUFS) {
                unsettled = true;
                throw new KernelException("receive netlink replies", errno, null,
                    "the socket's receive queue overflowed and replies were lost: "
                        + "the outcome of the last requests is unknown; check with a dump");
            }
            throw new NativeException("recvfrom(netlink)", errno);
        }
    }

    /** Drops replies left over from an exchange that ended early, without blocking. */
    private void settle() {
        if (!unsettled) {
            return;
        }
        for (int i = 0; i < 100_000; i++) {
            final long r = Sockets.recvfrom(fd, receiveBuffer, Sockets.MSG_DONTWAIT | NetlinkSockets.MSG_TRUNC,
                MemorySegment.NULL, MemorySegment.NULL);
            if (r < 0 && -r != Errno.ENOBUFS && -r != Errno.EINTR) {
                break;
            }
        }
        unsettled = false;
    }

    private static int length(final MemorySegment messages, final long at) {
        return messages.get(JAVA_INT_UNALIGNED, at + NetlinkProtocol.LENGTH_OFFSET);
    }
}
