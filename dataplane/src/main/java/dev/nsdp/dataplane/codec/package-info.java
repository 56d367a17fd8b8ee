/**
 * Frame codecs: reading and writing Ethernet, 802.1Q/802.1ad tags, ARP, IPv4, IPv6 (with extension
 * headers), ICMP, ICMPv6, UDP and TCP in place, in off-heap packet memory, with no object per packet.
 *
 * <ul>
 *   <li>{@link dev.nsdp.dataplane.codec.PacketParser} is what a worker calls once per received frame:
 *       one bounded pass from Ethernet to the L4 header that checks every length and returns a
 *       {@link dev.nsdp.dataplane.counter.DropReason} ordinal (0 = well formed), filling a reusable
 *       {@link dev.nsdp.dataplane.codec.ParsedPacket} of primitives. It never throws and never
 *       allocates.</li>
 *   <li>The flyweights ({@code EthernetHeader}, {@code VlanTag}, {@code ArpPacket}, {@code Ipv4Header},
 *       {@code Ipv6Header}, {@code Ipv6ExtensionHeader}, {@code IcmpHeader}, {@code Icmpv6Header},
 *       {@code UdpHeader}, {@code TcpHeader}) wrap a buffer and an offset and get or set each header
 *       field, big-endian. They do not check lengths: wrap what the parser accepted (its offsets are
 *       absolute buffer offsets), or check the header length constants first. Keep one of each per
 *       worker and re-wrap it; wrapping allocates nothing.</li>
 *   <li>{@link dev.nsdp.dataplane.codec.Checksum}: the Internet checksum, the IPv4 and IPv6
 *       pseudo-headers, and RFC 1624 incremental updates, which the flyweights use for a TTL
 *       decrement or an address rewrite ({@code Ipv4Header.decrementTtl}, {@code rewriteSource},
 *       {@code UdpHeader.patchChecksum32}, ...).</li>
 * </ul>
 *
 * Correctness is pinned against frames built by an independent implementation (scapy): see
 * {@code src/test/resources/fixtures/make_fixtures.py} and {@code ScapyFixturesTest}.
 */
package dev.nsdp.dataplane.codec;
