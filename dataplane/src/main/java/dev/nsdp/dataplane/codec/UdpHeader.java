package dev.nsdp.dataplane.codec;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/** Flyweight over a UDP header (RFC 768): ports, length (header included), checksum. */
public final class UdpHeader {
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;

    private MutableDirectBuffer buffer;
    private int offset;

    public UdpHeader wrap(final MutableDirectBuffer buffer, final int offset) {
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

    public UdpHeader sourcePort(final int port) {
        buffer.putShort(offset + SOURCE_PORT_OFFSET, (short) port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int destinationPort() {
        return buffer.getShort(offset + DESTINATION_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public UdpHeader destinationPort(final int port) {
        buffer.putShort(offset + DESTINATION_PORT_OFFSET, (short) port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Datagram length in bytes, header included. */
    public int length() {
        return buffer.getShort(offset + LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public UdpHeader length(final int length) {
        buffer.putShort(offset + LENGTH_OFFSET, (short) length, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** The checksum as carried; zero over IPv4 means none was computed. */
    public int checksum() {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public UdpHeader checksum(final int checksum) {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short) checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Recomputes and stores the checksum over IPv4 for the datagram's {@link #length()} bytes (0 becomes 0xFFFF). */
    public UdpHeader updateChecksum(final Ipv4Header ip) {
        checksum(0);
        return checksum(Checksum.udpTransmitted(
            Checksum.ipv4L4(buffer, offset, length(), ip.source(), ip.destination(), IpProtocol.UDP)));
    }

    /** Recomputes and stores the checksum over IPv6 (0 becomes 0xFFFF). */
    public UdpHeader updateChecksum(final Ipv6Header ip) {
        checksum(0);
        return checksum(Checksum.udpTransmitted(ip.upperLayerChecksum(IpProtocol.UDP, offset, length())));
    }

    /**
     * Patches the checksum for a 16-bit change in the covered data or pseudo-header (a port, or half
     * an address), RFC 1624; a zero checksum (none, over IPv4) stays zero, a zero result is sent as 0xFFFF.
     */
    public UdpHeader patchChecksum16(final int oldWord, final int newWord) {
        return checksum(Checksum.updateUdp16(checksum(), oldWord, newWord));
    }

    /** {@link #patchChecksum16} for a 32-bit change: an IPv4 address, or a quarter of an IPv6 address. */
    public UdpHeader patchChecksum32(final int oldValue, final int newValue) {
        return checksum(Checksum.updateUdp32(checksum(), oldValue, newValue));
    }
}
