package dev.nsdp.dataplane.codec;

import org.agrona.MutableDirectBuffer;

/**
 * Writes whole frames into packet memory with the flyweights, checksums included: what a traffic
 * generator, a demo or a local reply needs. One instance per thread (it holds flyweights); no
 * allocation. Every method returns the frame's length; frames shorter than the Ethernet minimum
 * are zero-padded to {@link #MIN_FRAME} bytes, as a NIC pads them on the wire (without the FCS).
 */
public final class FrameWriter {
    public static final int MIN_FRAME = 60;
    public static final int UDP4_HEADERS = EthernetHeader.HEADER_LENGTH + Ipv4Header.MIN_HEADER_LENGTH + 8;

    private final EthernetHeader ethernet = new EthernetHeader();
    private final Ipv4Header ipv4 = new Ipv4Header();
    private final UdpHeader udp = new UdpHeader();
    private final ArpPacket arp = new ArpPacket();

    /** An ARP request: who has {@code targetIp}, tell {@code senderIp} at {@code senderMac}; broadcast. */
    public int arpRequest(final MutableDirectBuffer buffer, final int offset,
        final long senderMac, final int senderIp, final int targetIp) {
        buffer.setMemory(offset, MIN_FRAME, (byte) 0);
        ethernet.wrap(buffer, offset, MIN_FRAME).destination(MacAddress.BROADCAST).source(senderMac).etherType(EtherType.ARP);
        arp.wrap(buffer, offset + EthernetHeader.HEADER_LENGTH)
            .ethernetIpv4(ArpPacket.OPERATION_REQUEST)
            .senderMac(senderMac).senderIp(senderIp).targetMac(0).targetIp(targetIp);
        return MIN_FRAME;
    }

    /**
     * A UDP/IPv4 datagram with {@code payloadLength} bytes of payload (left as they are in the buffer,
     * so a caller may write a stream id and sequence there first or after, then fix the checksum with
     * {@link #udp4Checksum}), TTL 64, DF set, checksums computed over what the payload holds now.
     */
    public int udp4(final MutableDirectBuffer buffer, final int offset, final long dstMac, final long srcMac,
        final int srcIp, final int dstIp, final int srcPort, final int dstPort, final int payloadLength) {
        final int ipOffset = offset + EthernetHeader.HEADER_LENGTH;
        final int udpOffset = ipOffset + Ipv4Header.MIN_HEADER_LENGTH;
        final int length = UDP4_HEADERS + payloadLength;
        ethernet.wrap(buffer, offset, length).destination(dstMac).source(srcMac).etherType(EtherType.IPV4);
        ipv4.wrap(buffer, ipOffset)
            .versionAndHeaderLength(Ipv4Header.MIN_HEADER_LENGTH)
            .tos(0)
            .totalLength(Ipv4Header.MIN_HEADER_LENGTH + 8 + payloadLength)
            .identification(0)
            .flagsAndFragmentOffset(Ipv4Header.FLAG_DONT_FRAGMENT)
            .ttl(64)
            .protocol(IpProtocol.UDP)
            .source(srcIp)
            .destination(dstIp)
            .updateChecksum();
        udp.wrap(buffer, udpOffset).sourcePort(srcPort).destinationPort(dstPort).length(8 + payloadLength).updateChecksum(ipv4);
        if (length < MIN_FRAME) {
            buffer.setMemory(offset + length, MIN_FRAME - length, (byte) 0);
            return MIN_FRAME;
        }
        return length;
    }

    /** Recomputes the UDP checksum of a frame written by {@link #udp4} after its payload changed. */
    public void udp4Checksum(final MutableDirectBuffer buffer, final int offset) {
        ipv4.wrap(buffer, offset + EthernetHeader.HEADER_LENGTH);
        udp.wrap(buffer, offset + EthernetHeader.HEADER_LENGTH + Ipv4Header.MIN_HEADER_LENGTH).updateChecksum(ipv4);
    }
}
