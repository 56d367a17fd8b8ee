package dev.nsdp.dataplane.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.testing.FrameBuilder;
import dev.nsdp.dataplane.testing.Frames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The codecs against frames scapy built (fixtures/scapy-frames.txt, written by
 * fixtures/make_fixtures.py, which documents the format and how to regenerate it):
 * <ol type="a">
 *   <li>the parser and the flyweights read every field scapy reports, checksums recomputed too;</li>
 *   <li>the Java writers ({@link Frames}, {@link FrameBuilder}) build the same bytes;</li>
 *   <li>incremental checksum updates give the bytes scapy builds for the modified packet;</li>
 *   <li>malformed frames get the DropReason named in the fixture.</li>
 * </ol>
 */
class ScapyFixturesTest {
    private static final long DST = Frames.mac("02:00:00:00:00:02");
    private static final long SRC = Frames.mac("02:00:00:00:00:01");
    private static final String A4 = "198.18.0.1";
    private static final String B4 = "198.18.0.2";
    private static final String A6 = "2001:db8::1";
    private static final String B6 = "2001:db8::2";
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);
    /** Frames are parsed at this offset in a larger buffer, so offsets are proven absolute. */
    private static final int LEAD = 5;

    record Fixture(String name, byte[] frame, String reason, String base, String modify, Map<String, String> fields) {
    }

    private static final List<Fixture> FIXTURES = load();

    private static List<Fixture> load() {
        final List<Fixture> fixtures = new ArrayList<>();
        try (InputStream in = ScapyFixturesTest.class.getResourceAsStream("/fixtures/scapy-frames.txt")) {
            assertNotNull(in, "fixtures/scapy-frames.txt missing from the test classpath");
            final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String name = null;
            byte[] frame = null;
            String reason = null;
            String base = null;
            String modify = null;
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line = reader.readLine(); ; line = reader.readLine()) {
                if (line == null || line.isBlank()) {
                    if (name != null) {
                        fixtures.add(new Fixture(name, frame, reason, base, modify, fields));
                        name = null;
                        base = null;
                        modify = null;
                        fields = new LinkedHashMap<>();
                    }
                    if (line == null) {
                        break;
                    }
                    continue;
                }
                if (line.startsWith("#")) {
                    continue;
                }
                final int space = line.indexOf(' ');
                final String key = space < 0 ? line : line.substring(0, space);
                final String value = space < 0 ? "" : line.substring(space + 1);
                switch (key) {
                    case "frame" -> name = value;
                    case "hex" -> frame = Frames.fromHex(value);
                    case "reason" -> reason = value;
                    case "base" -> base = value;
                    case "modify" -> modify = value;
                    default -> fields.put(key, value);
                }
            }
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
        return fixtures;
    }

    private static Fixture fixture(final String name) {
        return FIXTURES.stream().filter(f -> f.name().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError("no fixture " + name));
    }

    @Test
    void fixturesCoverEveryProtocolAndEveryL2ToL4DropReason() {
        assertTrue(FIXTURES.size() > 60, "only " + FIXTURES.size() + " fixtures");
        final Set<DropReason> seen = EnumSet.noneOf(DropReason.class);
        FIXTURES.forEach(f -> seen.add(DropReason.valueOf(f.reason())));
        for (final DropReason reason : DropReason.values()) {
            if (reason.ordinal() <= DropReason.TCP_BAD_DATA_OFFSET.ordinal()) {
                assertTrue(seen.contains(reason), "no scapy fixture for " + reason);
            }
        }
    }

    // ---------------------------------------------------------------- (a) and (d): parse

    @TestFactory
    Stream<DynamicTest> parserAndFlyweightsReadWhatScapyReports() {
        return FIXTURES.stream().map(f -> dynamicTest(f.name(), () -> {
            final byte[] memory = new byte[LEAD + f.frame().length + 3];
            System.arraycopy(f.frame(), 0, memory, LEAD, f.frame().length);
            final UnsafeBuffer buffer = new UnsafeBuffer(memory);
            final ParsedPacket p = new ParsedPacket();
            final int reason = new PacketParser().parse(buffer, LEAD, f.frame().length, p);
            assertEquals(f.reason(), DropReason.of(reason).name(), () -> f.name() + ": " + p);
            final FieldReader reader = new FieldReader(buffer, p);
            for (final Map.Entry<String, String> field : f.fields().entrySet()) {
                assertEquals(field.getValue(), reader.read(field.getKey()), () -> f.name() + " " + field.getKey() + ": " + p);
            }
        }));
    }

    /** The Java side of every key the fixture script writes, read from ParsedPacket and the flyweights (checked equal). */
    private static final class FieldReader {
        private final UnsafeBuffer buffer;
        private final ParsedPacket p;
        private final EthernetHeader eth = new EthernetHeader();
        private final VlanTag tag = new VlanTag();
        private final ArpPacket arp = new ArpPacket();
        private final Ipv4Header ip4 = new Ipv4Header();
        private final Ipv6Header ip6 = new Ipv6Header();
        private final UdpHeader udp = new UdpHeader();
        private final TcpHeader tcp = new TcpHeader();
        private final IcmpHeader icmp = new IcmpHeader();
        private final Icmpv6Header icmp6 = new Icmpv6Header();

        FieldReader(final UnsafeBuffer buffer, final ParsedPacket p) {
            this.buffer = buffer;
            this.p = p;
            eth.wrap(buffer, p.frameOffset, p.frameLength);
            arp.wrap(buffer, p.l3Offset);
            ip4.wrap(buffer, p.l3Offset);
            ip6.wrap(buffer, p.l3Offset);
            udp.wrap(buffer, p.l4Offset);
            tcp.wrap(buffer, p.l4Offset);
            icmp.wrap(buffer, p.l4Offset);
            icmp6.wrap(buffer, p.l4Offset);
        }

        private static long check(final long parsed, final long flyweight) {
            assertEquals(flyweight, parsed, "ParsedPacket and flyweight disagree");
            return parsed;
        }

        private static String same(final long parsed, final long flyweight) {
            return Long.toString(check(parsed, flyweight));
        }

        private static String dotted(final int ip) {
            return (ip >>> 24) + "." + (ip >>> 16 & 0xFF) + "." + (ip >>> 8 & 0xFF) + "." + (ip & 0xFF);
        }

        private static String hex128(final long high, final long low) {
            return String.format("%016x%016x", high, low);
        }

        String read(final String key) {
            if (key.startsWith("vlan.") && !key.equals("vlan.count")) {
                final int index = key.charAt(5) - '0';
                tag.wrap(buffer, p.frameOffset + EthernetHeader.ETHER_TYPE_OFFSET + index * VlanTag.TAG_LENGTH);
                return switch (key.substring(7)) {
                    case "tpid" -> same(index == 0 ? p.outerTpid : p.innerTpid, tag.tpid());
                    case "prio" -> Integer.toString(tag.priority());
                    case "dei" -> tag.dropEligible() ? "1" : "0";
                    case "vid" -> same(index == 0 ? p.outerVlanId : p.innerVlanId, tag.vlanId());
                    default -> throw new AssertionError("unknown key " + key);
                };
            }
            return switch (key) {
                case "eth.dst" -> MacAddress.format(check(p.dstMac, eth.destination()));
                case "eth.src" -> MacAddress.format(check(p.srcMac, eth.source()));
                case "eth.type" -> Integer.toString(eth.etherType());
                case "vlan.count" -> Integer.toString(p.vlanCount);
                case "l2.ethertype" -> Integer.toString(p.etherType);
                case "l3.offset" -> Integer.toString(p.l3Offset - p.frameOffset);

                case "arp.hwtype" -> Integer.toString(arp.hardwareType());
                case "arp.ptype" -> Integer.toString(arp.protocolType());
                case "arp.hwlen" -> Integer.toString(arp.hardwareLength());
                case "arp.plen" -> Integer.toString(arp.protocolLength());
                case "arp.op" -> same(p.arpOperation, arp.operation());
                case "arp.hwsrc" -> MacAddress.format(check(p.arpSenderMac, arp.senderMac()));
                case "arp.psrc" -> dotted((int) check(p.arpSenderIp, arp.senderIp()));
                case "arp.hwdst" -> MacAddress.format(check(p.arpTargetMac, arp.targetMac()));
                case "arp.pdst" -> dotted((int) check(p.arpTargetIp, arp.targetIp()));

                case "ip.version" -> same(p.ipVersion, ip4.version());
                case "ip.ihl" -> {
                    same(p.ipHeaderLength, ip4.headerLength());
                    yield Integer.toString(ip4.ihl());
                }
                case "ip.tos" -> Integer.toString(ip4.tos());
                case "ip.len" -> same(p.l3Length, ip4.totalLength());
                case "ip.id" -> Integer.toString(ip4.identification());
                case "ip.flags" -> Integer.toString(ip4.flags());
                case "ip.frag" -> {
                    assertEquals(ip4.fragmentOffset() * 8, p.fragmentOffset);
                    assertEquals(ip4.isFragment(), p.isFragment);
                    assertEquals(ip4.isFirstFragment(), p.isFirstFragment);
                    assertEquals(ip4.moreFragments() || ip4.fragmentOffset() != 0, p.isFragment);
                    yield Integer.toString(ip4.fragmentOffset());
                }
                case "ip.ttl" -> same(p.ttl, ip4.ttl());
                case "ip.proto" -> same(p.protocol, ip4.protocol());
                case "ip.chksum" -> {
                    assertTrue(ip4.isChecksumValid());
                    assertEquals(ip4.checksum(), ip4.computeChecksum(), "recomputed IPv4 header checksum");
                    yield Integer.toString(ip4.checksum());
                }
                case "ip.src" -> dotted((int) check(p.ipv4Src, ip4.source()));
                case "ip.dst" -> dotted((int) check(p.ipv4Dst, ip4.destination()));
                case "ip.options" -> {
                    final StringBuilder kinds = new StringBuilder();
                    for (int o = ip4.firstOption(); o >= 0; o = ip4.nextOption(o)) {
                        kinds.append(kinds.isEmpty() ? "" : ",").append(ip4.optionType(o));
                    }
                    assertTrue(ip4.optionsValid());
                    yield kinds.toString();
                }

                case "ip6.version" -> same(p.ipVersion, ip6.version());
                case "ip6.tc" -> Integer.toString(ip6.trafficClass());
                case "ip6.fl" -> Integer.toString(ip6.flowLabel());
                case "ip6.plen" -> {
                    assertEquals(p.l3Length, ip6.payloadLength() + Ipv6Header.HEADER_LENGTH);
                    yield Integer.toString(ip6.payloadLength());
                }
                case "ip6.nh" -> Integer.toString(ip6.nextHeader());
                case "ip6.hlim" -> same(p.ttl, ip6.hopLimit());
                case "ip6.src" -> hex128(check(p.ipv6SrcHigh, ip6.sourceHigh()), check(p.ipv6SrcLow, ip6.sourceLow()));
                case "ip6.dst" -> hex128(check(p.ipv6DstHigh, ip6.destinationHigh()), check(p.ipv6DstLow, ip6.destinationLow()));
                case "ip6.ext" -> walkExtensions(null);
                case "ip6.frag.offset" -> {
                    final Ipv6ExtensionHeader fragment = fragmentHeader();
                    assertEquals(fragment.fragmentOffsetBytes(), p.fragmentOffset);
                    assertEquals(fragment.moreFragments() || fragment.fragmentOffsetBytes() != 0, p.isFragment);
                    assertEquals(fragment.moreFragments() && fragment.fragmentOffsetBytes() == 0, p.isFirstFragment);
                    yield Integer.toString(fragment.fragmentOffsetBytes());
                }
                case "ip6.frag.m" -> fragmentHeader().moreFragments() ? "1" : "0";
                case "ip6.frag.id" -> Integer.toString(fragmentHeader().fragmentIdentification());

                case "l4.offset" -> Integer.toString(p.l4Offset - p.frameOffset);
                case "l4.protocol" -> Integer.toString(p.protocol);

                case "udp.sport" -> same(p.srcPort, udp.sourcePort());
                case "udp.dport" -> same(p.dstPort, udp.destinationPort());
                case "udp.len" -> Integer.toString(udp.length());
                case "udp.chksum" -> {
                    if (!p.isFragment && udp.checksum() != 0) {
                        assertEquals(udp.checksum(), Checksum.udpTransmitted(recomputeL4(UdpHeader.CHECKSUM_OFFSET)),
                            "recomputed UDP checksum");
                    }
                    yield Integer.toString(udp.checksum());
                }
                case "tcp.sport" -> same(p.srcPort, tcp.sourcePort());
                case "tcp.dport" -> same(p.dstPort, tcp.destinationPort());
                case "tcp.seq" -> Long.toString(tcp.sequence());
                case "tcp.ack" -> Long.toString(tcp.acknowledgment());
                case "tcp.dataofs" -> Integer.toString(tcp.dataOffset());
                case "tcp.flags" -> same(p.tcpFlags, tcp.flags());
                case "tcp.window" -> Integer.toString(tcp.window());
                case "tcp.chksum" -> {
                    assertEquals(tcp.checksum(), recomputeL4(TcpHeader.CHECKSUM_OFFSET), "recomputed TCP checksum");
                    yield Integer.toString(tcp.checksum());
                }
                case "tcp.urgptr" -> Integer.toString(tcp.urgentPointer());
                case "tcp.options" -> {
                    final StringBuilder kinds = new StringBuilder();
                    for (int o = tcp.firstOption(); o >= 0; o = tcp.nextOption(o)) {
                        kinds.append(kinds.isEmpty() ? "" : ",").append(tcp.optionKind(o));
                    }
                    assertTrue(tcp.optionsValid());
                    yield kinds.toString();
                }
                case "icmp.type" -> same(p.icmpType, icmp.type());
                case "icmp.code" -> same(p.icmpCode, icmp.code());
                case "icmp.chksum" -> {
                    assertEquals(icmp.checksum(), icmp.computeChecksum(p.l4Length), "recomputed ICMP checksum");
                    yield Integer.toString(icmp.checksum());
                }
                case "icmp.id" -> Integer.toString(icmp.identifier());
                case "icmp.seq" -> Integer.toString(icmp.sequence());
                case "icmp6.type" -> same(p.icmpType, icmp6.type());
                case "icmp6.code" -> same(p.icmpCode, icmp6.code());
                case "icmp6.cksum" -> {
                    assertEquals(icmp6.checksum(), recomputeL4(Icmpv6Header.CHECKSUM_OFFSET), "recomputed ICMPv6 checksum");
                    yield Integer.toString(icmp6.checksum());
                }
                case "icmp6.id" -> Integer.toString(icmp6.identifier());
                case "icmp6.seq" -> Integer.toString(icmp6.sequence());
                default -> throw new AssertionError("fixture key " + key + " has no Java reader: add one");
            };
        }

        /** The L4 checksum recomputed from scratch on a copy with the field zeroed. */
        private int recomputeL4(final int checksumOffset) {
            final UnsafeBuffer copy = new UnsafeBuffer(Arrays.copyOf(buffer.byteArray(), buffer.capacity()));
            copy.putShort(p.l4Offset + checksumOffset, (short) 0);
            if (p.ipVersion == 4) {
                return Checksum.ipv4L4(copy, p.l4Offset, p.l4Length, p.ipv4Src, p.ipv4Dst, p.protocol);
            }
            return Checksum.ipv6L4(copy, p.l4Offset, p.l4Length, p.l3Offset + Ipv6Header.SOURCE_OFFSET,
                p.l3Offset + Ipv6Header.DESTINATION_OFFSET, p.protocol);
        }

        /** Walks the extension headers with the flyweight; the list of types, and the fragment header if asked. */
        private String walkExtensions(final Ipv6ExtensionHeader[] fragmentOut) {
            final Ipv6ExtensionHeader extension = new Ipv6ExtensionHeader();
            final StringBuilder chain = new StringBuilder();
            int type = ip6.nextHeader();
            int at = ip6.payloadOffset();
            while (IpProtocol.isIpv6ExtensionHeader(type)) {
                extension.wrap(buffer, at, type);
                chain.append(chain.isEmpty() ? "" : ",").append(type);
                if (type == IpProtocol.IPV6_FRAGMENT && fragmentOut != null) {
                    fragmentOut[0] = new Ipv6ExtensionHeader().wrap(buffer, at, type);
                }
                at = extension.nextOffset();
                type = extension.nextHeader();
                if (extension.type() == IpProtocol.IPV6_FRAGMENT && extension.fragmentOffsetBytes() != 0) {
                    break;
                }
            }
            assertEquals(at, p.l4Offset, "flyweight walk and parser end at the same upper layer");
            assertEquals(type, p.protocol);
            return chain.toString();
        }

        private Ipv6ExtensionHeader fragmentHeader() {
            final Ipv6ExtensionHeader[] fragment = new Ipv6ExtensionHeader[1];
            walkExtensions(fragment);
            assertNotNull(fragment[0], "no fragment header");
            return fragment[0];
        }
    }

    // ---------------------------------------------------------------- (b) the writers build the same bytes

    private static final byte[] DATAGRAM_PAYLOAD = new byte[512];

    static {
        for (int i = 0; i < DATAGRAM_PAYLOAD.length; i++) {
            DATAGRAM_PAYLOAD[i] = (byte) i;
        }
    }

    private static Map<String, Supplier<byte[]>> javaBuilders() {
        final Map<String, Supplier<byte[]>> b = new HashMap<>();
        b.put("udp4", () -> Frames.udp4(DST, SRC, A4, B4, 1234, 5678, HELLO));
        b.put("udp4_vlan", () -> Frames.tagged(Frames.udp4(DST, SRC, A4, B4, 1234, 5678, HELLO), EtherType.VLAN, 3 << 13 | 100));
        b.put("udp4_qinq", () -> FrameBuilder.ethernet(DST, SRC).vlan(EtherType.QINQ, 5 << 13 | 1 << 12 | 10)
            .vlan(EtherType.VLAN, 20).ipv4(A4, B4).udp(1234, 5678).payload(HELLO).build());
        b.put("udp4_padded", () -> FrameBuilder.ethernet(DST, SRC).ipv4(A4, B4).udp(7, 9).payload(new byte[] {'x'})
            .padding(new byte[17]).build());
        b.put("udp4_no_checksum", () -> FrameBuilder.ethernet(DST, SRC).ipv4(A4, B4).udp(1234, 5678).udpChecksum(0)
            .payload(HELLO).build());
        b.put("udp4_checksum_ffff", () -> payloadForZeroChecksum(A4));
        b.put("udp4_for_ffff", () -> {
            // The same trick as the script: the payload that makes the rewritten datagram's checksum zero.
            final byte[] probe = payloadForZeroChecksum("198.19.0.1");
            final byte[] word = Arrays.copyOfRange(probe, probe.length - 2, probe.length);
            return FrameBuilder.ethernet(DST, SRC).ipv4(A4, B4).udp(1000, 2000).payload(word).build();
        });
        b.put("ipv4_options_tcp", () -> FrameBuilder.ethernet(DST, SRC).ipv4(A4, B4).tos(0xB8)
            .flagsAndFragmentOffset(Ipv4Header.FLAG_DONT_FRAGMENT)
            .ipv4Options(FrameBuilder.bytes("070704c6120009", "01", "94040000"))
            .tcp(40000, 443, 0x01020304L, 0xFFFFFFF0L, TcpHeader.FLAG_SYN | TcpHeader.FLAG_ACK).window(65535)
            .tcpOptions(FrameBuilder.bytes("020405b4", "0402", "080a0000000100000002", "01", "030307"))
            .payload("data".getBytes(StandardCharsets.US_ASCII)).build());
        b.put("ipv4_unknown_protocol", () -> FrameBuilder.ethernet(DST, SRC).ipv4(A4, B4).ttl(3).rawProtocol(47)
            .payload(FrameBuilder.bytes("00000800", "gre-ish".getBytes(StandardCharsets.US_ASCII))).build());
        b.put("tcp4_syn", () -> Frames.tcp4Syn(DST, SRC, A4, B4, 1234, 80, 1000));
        b.put("icmp4_echo", () -> Frames.icmpEchoRequest4(DST, SRC, A4, B4, 7, 9, HELLO));
        b.put("icmp4_echo_reply_vlan", () -> FrameBuilder.ethernet(DST, SRC).vlan(EtherType.VLAN, 4094).ipv4(B4, A4).ttl(255)
            .icmp(IcmpHeader.TYPE_ECHO_REPLY, 0, 7 << 16 | 9).payload(HELLO).build());
        b.put("udp6", () -> Frames.udp6(DST, SRC, A6, B6, 1234, 5678, HELLO));
        b.put("udp6_vlan_flow", () -> FrameBuilder.ethernet(DST, SRC).vlan(EtherType.VLAN, 7).ipv6(A6, "fd00::2")
            .trafficClass(0xB8).flowLabel(0xABCDE).ttl(17).udp(1234, 5678).payload(HELLO).build());
        b.put("tcp6", () -> FrameBuilder.ethernet(DST, SRC).ipv6(A6, B6)
            .tcp(22, 50000, 5, 6, TcpHeader.FLAG_PSH | TcpHeader.FLAG_ACK).payload("ssh".getBytes(StandardCharsets.US_ASCII))
            .build());
        b.put("icmp6_echo", () -> Frames.icmpv6EchoRequest(DST, SRC, A6, B6, 7, 9, HELLO));
        b.put("icmp6_echo_qinq", () -> FrameBuilder.ethernet(DST, SRC).vlan(EtherType.QINQ, 100).vlan(EtherType.VLAN, 200)
            .ipv6(B6, A6).icmpv6(Icmpv6Header.TYPE_ECHO_REPLY, 0, 7 << 16 | 9).payload(HELLO).build());
        b.put("ipv6_extension_chain", () -> FrameBuilder.ethernet(DST, SRC).ipv6(A6, B6)
            .extension(IpProtocol.HOP_BY_HOP, FrameBuilder.bytes("05020000", "0100"))          // router alert, PadN
            .extension(IpProtocol.IPV6_DESTINATION_OPTIONS, FrameBuilder.bytes("0104", "00000000")) // PadN
            .extension(IpProtocol.IPV6_ROUTING, FrameBuilder.bytes("0000", "00000000", Frames.ipv6("2001:db8::3")))
            .extension(IpProtocol.AH, FrameBuilder.bytes("0000", "00000100", "00000001", "111111111111111111111111"))
            .extension(IpProtocol.IPV6_FRAGMENT, FrameBuilder.bytes("0000", "00001234"))
            .udp(53, 53).payload("abcd".getBytes(StandardCharsets.US_ASCII)).build());
        b.put("ipv6_no_next_header", () -> FrameBuilder.ethernet(DST, SRC).ipv6(A6, B6)
            .rawProtocol(IpProtocol.IPV6_NO_NEXT_HEADER).build());
        b.put("arp_request", () -> Frames.arpRequest(SRC, A4, B4));
        b.put("arp_reply_padded", () -> FrameBuilder.ethernet(DST, SRC).arp(ArpPacket.OPERATION_REPLY, SRC, A4, DST, B4)
            .padding(new byte[18]).build());
        b.put("unknown_ethertype", () -> {
            final byte[] payload = new byte[46];
            Arrays.fill(payload, (byte) 0xAB);
            return FrameBuilder.ethernet(DST, SRC).vlan(EtherType.VLAN, 5).etherType(0x88B5).payload(payload).build();
        });
        final byte[] datagram4 = FrameBuilder.ethernet(DST, SRC).ipv4(A4, B4).identification(77).udp(1, 2)
            .payload(DATAGRAM_PAYLOAD).build();
        final List<byte[]> fragments4 = fragmentIpv4(datagram4, 200);
        for (int i = 0; i < fragments4.size(); i++) {
            final byte[] fragment = fragments4.get(i);
            b.put("ipv4_fragment_" + i, () -> fragment);
        }
        final byte[] datagram6 = FrameBuilder.ethernet(DST, SRC).ipv6(A6, B6)
            .extension(IpProtocol.IPV6_FRAGMENT, FrameBuilder.bytes("0000", "00000063")).udp(1, 2)
            .payload(DATAGRAM_PAYLOAD).build();
        final List<byte[]> fragments6 = fragmentIpv6(datagram6, 248);
        for (int i = 0; i < fragments6.size(); i++) {
            final byte[] fragment = fragments6.get(i);
            b.put("ipv6_fragment_" + i, () -> fragment);
        }
        return b;
    }

    /** UDP 1000 -> 2000 from {@code source} whose 2-byte payload makes the computed checksum zero (sent as 0xFFFF). */
    private static byte[] payloadForZeroChecksum(final String source) {
        final byte[] probe = FrameBuilder.ethernet(DST, SRC).ipv4(source, B4).udp(1000, 2000).payload(new byte[2]).build();
        final int checksum = new UdpHeader().wrap(new UnsafeBuffer(probe), 34).checksum();
        return FrameBuilder.ethernet(DST, SRC).ipv4(source, B4).udp(1000, 2000)
            .payload(new byte[] {(byte) (checksum >>> 8), (byte) checksum}).build();
    }

    /** Splits an untagged IPv4 frame without options into fragments of {@code size} data bytes (a multiple of 8). */
    private static List<byte[]> fragmentIpv4(final byte[] frame, final int size) {
        final int headers = EthernetHeader.HEADER_LENGTH + Ipv4Header.MIN_HEADER_LENGTH;
        final List<byte[]> fragments = new ArrayList<>();
        for (int offset = 0; headers + offset < frame.length; offset += size) {
            final int length = Math.min(size, frame.length - headers - offset);
            final byte[] fragment = new byte[headers + length];
            System.arraycopy(frame, 0, fragment, 0, headers);
            System.arraycopy(frame, headers + offset, fragment, headers, length);
            final boolean more = headers + offset + length < frame.length;
            new Ipv4Header().wrap(new UnsafeBuffer(fragment), EthernetHeader.HEADER_LENGTH)
                .totalLength(Ipv4Header.MIN_HEADER_LENGTH + length)
                .flagsAndFragmentOffset((more ? Ipv4Header.FLAG_MORE_FRAGMENTS : 0) | offset / 8)
                .updateChecksum();
            fragments.add(fragment);
        }
        return fragments;
    }

    /** Splits an untagged IPv6 frame whose only extension is a fragment header into fragments of {@code size} data bytes. */
    private static List<byte[]> fragmentIpv6(final byte[] frame, final int size) {
        final int headers = EthernetHeader.HEADER_LENGTH + Ipv6Header.HEADER_LENGTH + Ipv6ExtensionHeader.FRAGMENT_HEADER_LENGTH;
        final List<byte[]> fragments = new ArrayList<>();
        for (int offset = 0; headers + offset < frame.length; offset += size) {
            final int length = Math.min(size, frame.length - headers - offset);
            final byte[] fragment = new byte[headers + length];
            System.arraycopy(frame, 0, fragment, 0, headers);
            System.arraycopy(frame, headers + offset, fragment, headers, length);
            final UnsafeBuffer buffer = new UnsafeBuffer(fragment);
            new Ipv6Header().wrap(buffer, EthernetHeader.HEADER_LENGTH)
                .payloadLength(Ipv6ExtensionHeader.FRAGMENT_HEADER_LENGTH + length);
            new Ipv6ExtensionHeader().wrap(buffer, EthernetHeader.HEADER_LENGTH + Ipv6Header.HEADER_LENGTH, IpProtocol.IPV6_FRAGMENT)
                .fragment(offset, headers + offset + length < frame.length);
            fragments.add(fragment);
        }
        return fragments;
    }

    @TestFactory
    Stream<DynamicTest> javaWritersBuildScapysBytes() {
        final Map<String, Supplier<byte[]>> builders = javaBuilders();
        return FIXTURES.stream()
            .filter(f -> f.reason().equals("NONE") && f.base() == null)
            .map(f -> dynamicTest(f.name(), () -> {
                final Supplier<byte[]> builder = builders.get(f.name());
                assertNotNull(builder, "no Java builder for fixture " + f.name());
                assertEquals(Frames.hex(f.frame()), Frames.hex(builder.get()));
            }));
    }

    // ---------------------------------------------------------------- (c) incremental checksum updates

    @TestFactory
    Stream<DynamicTest> incrementalUpdatesGiveScapysBytes() {
        return FIXTURES.stream().filter(f -> f.base() != null).map(f -> dynamicTest(f.name(), () -> {
            final byte[] frame = fixture(f.base()).frame().clone();
            applyIncrementally(frame, f.modify());
            assertEquals(Frames.hex(f.frame()), Frames.hex(frame), "incremental update vs scapy");
            final byte[] recomputed = frame.clone();
            recomputeEverything(recomputed);
            assertEquals(Frames.hex(frame), Frames.hex(recomputed), "incremental update vs full recompute");
        }));
    }

    private static void applyIncrementally(final byte[] frame, final String modify) {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final ParsedPacket p = new ParsedPacket();
        assertEquals(0, new PacketParser().parse(buffer, 0, frame.length, p));
        final String[] op = modify.split(" ");
        final Ipv4Header ip4 = new Ipv4Header().wrap(buffer, p.l3Offset);
        final Ipv6Header ip6 = new Ipv6Header().wrap(buffer, p.l3Offset);
        switch (op[0]) {
            case "ttl-decrement" -> {
                if (p.ipVersion == 4) {
                    ip4.decrementTtl();
                } else {
                    ip6.hopLimit(ip6.hopLimit() - 1); // no IPv6 header checksum; the pseudo-header has no hop limit
                }
            }
            case "ipv4-src", "ipv4-dst" -> {
                final int address = Frames.ipv4(op[1]);
                final int old = op[0].equals("ipv4-src") ? ip4.source() : ip4.destination();
                if (op[0].equals("ipv4-src")) {
                    ip4.rewriteSource(address);
                } else {
                    ip4.rewriteDestination(address);
                }
                patchL4(buffer, p, old, address);
            }
            case "ipv6-src" -> {
                final byte[] address = Frames.fromHex(op[1]);
                final UnsafeBuffer next = new UnsafeBuffer(address);
                for (int word = 0; word < 4; word++) {
                    final int at = ip6.sourceOffset() + 4 * word;
                    final int old = buffer.getInt(at, ByteOrder.BIG_ENDIAN);
                    final int now = next.getInt(4 * word, ByteOrder.BIG_ENDIAN);
                    buffer.putInt(at, now, ByteOrder.BIG_ENDIAN);
                    patchL4(buffer, p, old, now);
                }
            }
            default -> throw new AssertionError("unknown modification " + modify);
        }
    }

    private static void patchL4(final UnsafeBuffer buffer, final ParsedPacket p, final int old, final int now) {
        if (p.protocol == IpProtocol.UDP) {
            new UdpHeader().wrap(buffer, p.l4Offset).patchChecksum32(old, now);
        } else if (p.protocol == IpProtocol.TCP) {
            new TcpHeader().wrap(buffer, p.l4Offset).patchChecksum32(old, now);
        } else if (p.protocol == IpProtocol.ICMPV6) {
            final Icmpv6Header icmp = new Icmpv6Header().wrap(buffer, p.l4Offset);
            icmp.checksum(Checksum.update32(icmp.checksum(), old, now));
        }
    }

    /** Every checksum recomputed from scratch with the flyweights (UDP over IPv4 without a checksum stays without). */
    private static void recomputeEverything(final byte[] frame) {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final ParsedPacket p = new ParsedPacket();
        assertEquals(0, new PacketParser().parse(buffer, 0, frame.length, p));
        final Ipv4Header ip4 = new Ipv4Header().wrap(buffer, p.l3Offset);
        final Ipv6Header ip6 = new Ipv6Header().wrap(buffer, p.l3Offset);
        if (p.ipVersion == 4) {
            ip4.updateChecksum();
        }
        assertFalse(p.isFragment);
        switch (p.protocol) {
            case IpProtocol.UDP -> {
                final UdpHeader udp = new UdpHeader().wrap(buffer, p.l4Offset);
                if (p.ipVersion == 6) {
                    udp.updateChecksum(ip6);
                } else if (udp.checksum() != 0) {
                    udp.updateChecksum(ip4);
                }
            }
            case IpProtocol.TCP -> {
                final TcpHeader tcp = new TcpHeader().wrap(buffer, p.l4Offset);
                if (p.ipVersion == 6) {
                    tcp.updateChecksum(ip6, p.l4Length);
                } else {
                    tcp.updateChecksum(ip4, p.l4Length);
                }
            }
            case IpProtocol.ICMPV6 -> new Icmpv6Header().wrap(buffer, p.l4Offset).updateChecksum(ip6, p.l4Length);
            case IpProtocol.ICMP -> new IcmpHeader().wrap(buffer, p.l4Offset).updateChecksum(p.l4Length);
            default -> { }
        }
    }
}
