package dev.nsdp.dataplane.codec;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over a TCP header (RFC 9293) with its options. Options walk like IPv4's:
 * {@link #firstOption()} / {@link #nextOption(int)} give buffer offsets, -1 at the end or at a
 * malformed option.
 */
public final class TcpHeader {
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int SEQUENCE_OFFSET = 4;
    public static final int ACKNOWLEDGMENT_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_POINTER_OFFSET = 18;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;

    public static final int FLAG_FIN = 0x01;
    public static final int FLAG_SYN = 0x02;
    public static final int FLAG_RST = 0x04;
    public static final int FLAG_PSH = 0x08;
    public static final int FLAG_ACK = 0x10;
    public static final int FLAG_URG = 0x20;
    public static final int FLAG_ECE = 0x40;
    public static final int FLAG_CWR = 0x80;

    public static final int OPTION_END_OF_LIST = 0;
    public static final int OPTION_NO_OPERATION = 1;
    public static final int OPTION_MSS = 2;
    public static final int OPTION_WINDOW_SCALE = 3;
    public static final int OPTION_SACK_PERMITTED = 4;
    public static final int OPTION_TIMESTAMPS = 8;

    private MutableDirectBuffer buffer;
    private int offset;

    public TcpHeader wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int offset() {
        return offset;
    }

    public int sourcePort() {
        return buffer.getShort(offset + SOURCE_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public TcpHeader sourcePort(final int port) {
        buffer.putShort(offset + SOURCE_PORT_OFFSET, (short) port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int destinationPort() {
        return buffer.getShort(offset + DESTINATION_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public TcpHeader destinationPort(final int port) {
        buffer.putShort(offset + DESTINATION_PORT_OFFSET, (short) port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Sequence number, unsigned. */
    public long sequence() {
        return buffer.getInt(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    public TcpHeader sequence(final long sequence) {
        buffer.putInt(offset + SEQUENCE_OFFSET, (int) sequence, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public long acknowledgment() {
        return buffer.getInt(offset + ACKNOWLEDGMENT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    public TcpHeader acknowledgment(final long ack) {
        buffer.putInt(offset + ACKNOWLEDGMENT_OFFSET, (int) ack, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Data offset in 32-bit words, 5..15. */
    public int dataOffset() {
        return (buffer.getByte(offset + DATA_OFFSET_OFFSET) & 0xFF) >>> 4;
    }

    /** Sets the data offset in 32-bit words, keeping the reserved bits and NS. */
    public TcpHeader dataOffset(final int words) {
        final int b = buffer.getByte(offset + DATA_OFFSET_OFFSET) & 0x0F;
        buffer.putByte(offset + DATA_OFFSET_OFFSET, (byte) ((words << 4) | b));
        return this;
    }

    /** Header length in bytes, options included. */
    public int headerLength() {
        return dataOffset() << 2;
    }

    /** The eight flag bits CWR..FIN (the byte at offset 13). */
    public int flags() {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    public TcpHeader flags(final int flags) {
        buffer.putByte(offset + FLAGS_OFFSET, (byte) flags);
        return this;
    }

    public int window() {
        return buffer.getShort(offset + WINDOW_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public TcpHeader window(final int window) {
        buffer.putShort(offset + WINDOW_OFFSET, (short) window, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int checksum() {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public TcpHeader checksum(final int checksum) {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short) checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int urgentPointer() {
        return buffer.getShort(offset + URGENT_POINTER_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public TcpHeader urgentPointer(final int pointer) {
        buffer.putShort(offset + URGENT_POINTER_OFFSET, (short) pointer, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Recomputes and stores the checksum of the {@code segmentLength}-byte segment over IPv4. */
    public TcpHeader updateChecksum(final Ipv4Header ip, final int segmentLength) {
        checksum(0);
        return checksum(Checksum.ipv4L4(buffer, offset, segmentLength, ip.source(), ip.destination(), IpProtocol.TCP));
    }

    /** Recomputes and stores the checksum of the {@code segmentLength}-byte segment over IPv6. */
    public TcpHeader updateChecksum(final Ipv6Header ip, final int segmentLength) {
        checksum(0);
        return checksum(ip.upperLayerChecksum(IpProtocol.TCP, offset, segmentLength));
    }

    /** Patches the checksum for a 16-bit change in the segment or pseudo-header (a port), RFC 1624. */
    public TcpHeader patchChecksum16(final int oldWord, final int newWord) {
        return checksum(Checksum.update16(checksum(), oldWord, newWord));
    }

    /** Patches the checksum for a 32-bit change: an IPv4 address (pseudo-header) or a quarter of an IPv6 one. */
    public TcpHeader patchChecksum32(final int oldValue, final int newValue) {
        return checksum(Checksum.update32(checksum(), oldValue, newValue));
    }

    // ---------------------------------------------------------------- options

    /** Buffer offset of the first option, or -1 if there are none. */
    public int firstOption() {
        return optionAt(offset + MIN_HEADER_LENGTH);
    }

    /** Buffer offset of the option after {@code optionOffset}, or -1 at the end or if malformed. */
    public int nextOption(final int optionOffset) {
        final int length = optionLength(optionOffset);
        return length <= 0 ? -1 : optionAt(optionOffset + length);
    }

    public int optionKind(final int optionOffset) {
        return buffer.getByte(optionOffset) & 0xFF;
    }

    /** 1 for EOL and NOP, else the length byte; -1 if it is missing, below 2 or runs past the header. */
    public int optionLength(final int optionOffset) {
        final int kind = optionKind(optionOffset);
        if (kind == OPTION_END_OF_LIST || kind == OPTION_NO_OPERATION) {
            return 1;
        }
        final int end = offset + headerLength();
        if (optionOffset + 1 >= end) {
            return -1;
        }
        final int length = buffer.getByte(optionOffset + 1) & 0xFF;
        return length < 2 || optionOffset + length > end ? -1 : length;
    }

    /** True if every option is well formed (same rules as IPv4 options). */
    public boolean optionsValid() {
        return Ipv4Header.optionsValid(buffer, offset + MIN_HEADER_LENGTH, offset + headerLength());
    }

    private int optionAt(final int p) {
        return p < offset + headerLength() && optionKind(p) != OPTION_END_OF_LIST ? p : -1;
    }
}
