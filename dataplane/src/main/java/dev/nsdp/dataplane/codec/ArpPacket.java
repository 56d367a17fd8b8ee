package dev.nsdp.dataplane.codec;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an ARP packet for Ethernet and IPv4 (RFC 826), the only kind the dataplane
 * answers or learns from: 28 bytes with 6-byte hardware and 4-byte protocol addresses.
 */
public final class ArpPacket {
    public static final int HARDWARE_TYPE_OFFSET = 0;
    public static final int PROTOCOL_TYPE_OFFSET = 2;
    public static final int HARDWARE_LENGTH_OFFSET = 4;
    public static final int PROTOCOL_LENGTH_OFFSET = 5;
    public static final int OPERATION_OFFSET = 6;
    public static final int SENDER_MAC_OFFSET = 8;
    public static final int SENDER_IP_OFFSET = 14;
    public static final int TARGET_MAC_OFFSET = 18;
    public static final int TARGET_IP_OFFSET = 24;
    /** Fixed part before the addresses: enough to tell which kind of ARP this is. */
    public static final int FIXED_LENGTH = 8;
    public static final int LENGTH = 28;

    public static final int HARDWARE_TYPE_ETHERNET = 1;
    public static final int OPERATION_REQUEST = 1;
    public static final int OPERATION_REPLY = 2;

    private MutableDirectBuffer buffer;
    private int offset;

    public ArpPacket wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int offset() {
        return offset;
    }

    public int hardwareType() {
        return buffer.getShort(offset + HARDWARE_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public ArpPacket hardwareType(final int type) {
        buffer.putShort(offset + HARDWARE_TYPE_OFFSET, (short) type, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int protocolType() {
        return buffer.getShort(offset + PROTOCOL_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public ArpPacket protocolType(final int type) {
        buffer.putShort(offset + PROTOCOL_TYPE_OFFSET, (short) type, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int hardwareLength() {
        return buffer.getByte(offset + HARDWARE_LENGTH_OFFSET) & 0xFF;
    }

    public ArpPacket hardwareLength(final int length) {
        buffer.putByte(offset + HARDWARE_LENGTH_OFFSET, (byte) length);
        return this;
    }

    public int protocolLength() {
        return buffer.getByte(offset + PROTOCOL_LENGTH_OFFSET) & 0xFF;
    }

    public ArpPacket protocolLength(final int length) {
        buffer.putByte(offset + PROTOCOL_LENGTH_OFFSET, (byte) length);
        return this;
    }

    public int operation() {
        return buffer.getShort(offset + OPERATION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public ArpPacket operation(final int operation) {
        buffer.putShort(offset + OPERATION_OFFSET, (short) operation, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public long senderMac() {
        return MacAddress.read(buffer, offset + SENDER_MAC_OFFSET);
    }

    public ArpPacket senderMac(final long mac) {
        MacAddress.write(buffer, offset + SENDER_MAC_OFFSET, mac);
        return this;
    }

    public int senderIp() {
        return buffer.getInt(offset + SENDER_IP_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public ArpPacket senderIp(final int ip) {
        buffer.putInt(offset + SENDER_IP_OFFSET, ip, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public long targetMac() {
        return MacAddress.read(buffer, offset + TARGET_MAC_OFFSET);
    }

    public ArpPacket targetMac(final long mac) {
        MacAddress.write(buffer, offset + TARGET_MAC_OFFSET, mac);
        return this;
    }

    public int targetIp() {
        return buffer.getInt(offset + TARGET_IP_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public ArpPacket targetIp(final int ip) {
        buffer.putInt(offset + TARGET_IP_OFFSET, ip, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Writes the fixed part for Ethernet/IPv4 and {@code operation}; the addresses are set separately. */
    public ArpPacket ethernetIpv4(final int operation) {
        return hardwareType(HARDWARE_TYPE_ETHERNET).protocolType(EtherType.IPV4).hardwareLength(6).protocolLength(4)
            .operation(operation);
    }
}
