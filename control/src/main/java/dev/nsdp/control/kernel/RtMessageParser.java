package dev.nsdp.control.kernel;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns RTM_NEWLINK / RTM_NEWADDR / RTM_NEWROUTE dump parts into {@link Link}, {@link Address}, {@link Route}. */
final class RtMessageParser {
    private static final long FOREVER = 0xFFFF_FFFFL;

    private RtMessageParser() {
    }

    static Link link(final NetlinkSocket.Part part) {
        final MemorySegment m = part.segment();
        final long base = part.bodyOffset();
        final int type = Short.toUnsignedInt(m.get(JAVA_SHORT_UNALIGNED, base + RtMessages.IFI_TYPE));
        final int index = m.get(JAVA_INT_UNALIGNED, base + RtMessages.IFI_INDEX);
        final int flags = m.get(JAVA_INT_UNALIGNED, base + RtMessages.IFI_FLAGS);
        final NetlinkAttributes a = NetlinkAttributes.parse(m, base + RtMessages.IFINFOMSG_LENGTH,
            part.bodyLength() - RtMessages.IFINFOMSG_LENGTH);
        String kind = null;
        MacvlanMode macvlanMode = null;
        final NetlinkAttributes info = a.nested(LinkAttributes.IFLA_LINKINFO);
        if (info != null) {
            kind = info.string(LinkAttributes.IFLA_INFO_KIND);
            final NetlinkAttributes data = info.nested(LinkAttributes.IFLA_INFO_DATA);
            if ("macvlan".equals(kind) && data != null) {
                macvlanMode = MacvlanMode.of(data.u32(LinkAttributes.IFLA_MACVLAN_MODE, 0));
            }
        }
        final byte[] address = a.bytes(LinkAttributes.IFLA_ADDRESS);
        final byte[] broadcast = a.bytes(LinkAttributes.IFLA_BROADCAST);
        return new Link(index,
            a.string(LinkAttributes.IFLA_IFNAME),
            flags,
            a.u32(LinkAttributes.IFLA_MTU, 0),
            a.u8(LinkAttributes.IFLA_OPERSTATE, 0),
            a.u8(LinkAttributes.IFLA_LINKMODE, 0),
            type,
            address == null ? null : LinkNames.formatHardwareAddress(address),
            broadcast == null ? null : LinkNames.formatHardwareAddress(broadcast),
            kind,
            a.u32(LinkAttributes.IFLA_LINK, 0),
            a.has(LinkAttributes.IFLA_LINK_NETNSID) ? a.u32(LinkAttributes.IFLA_LINK_NETNSID, -1) : -1,
            a.u32(LinkAttributes.IFLA_GROUP, 0),
            a.string(LinkAttributes.IFLA_QDISC),
            a.u32(LinkAttributes.IFLA_TXQLEN, -1),
            a.u32(LinkAttributes.IFLA_MASTER, 0),
            macvlanMode);
    }

    static Address address(final NetlinkSocket.Part part) {
        final MemorySegment m = part.segment();
        final long base = part.bodyOffset();
        final int prefixLength = Byte.toUnsignedInt(m.get(JAVA_BYTE, base + RtMessages.IFA_PREFIXLEN));
        final int byteFlags = Byte.toUnsignedInt(m.get(JAVA_BYTE, base + RtMessages.IFA_FLAGS_BYTE));
        final int scope = Byte.toUnsignedInt(m.get(JAVA_BYTE, base + RtMessages.IFA_SCOPE));
        final int index = m.get(JAVA_INT_UNALIGNED, base + RtMessages.IFA_INDEX);
        final NetlinkAttributes a = NetlinkAttributes.parse(m, base + RtMessages.IFADDRMSG_LENGTH,
            part.bodyLength() - RtMessages.IFADDRMSG_LENGTH);
        final InetAddress localAttribute = inet(a.bytes(AddressAttributes.IFA_LOCAL));
        final InetAddress addressAttribute = inet(a.bytes(AddressAttributes.IFA_ADDRESS));
        final InetAddress local = localAttribute != null ? localAttribute : addressAttribute;
        final InetAddress peer = localAttribute != null && addressAttribute != null
            && !localAttribute.equals(addressAttribute) ? addressAttribute : null;
        long preferred = FOREVER;
        long valid = FOREVER;
        if (a.length(AddressAttributes.IFA_CACHEINFO) >= 8) {
            final byte[] cache = a.bytes(AddressAttributes.IFA_CACHEINFO);
            final MemorySegment c = MemorySegment.ofArray(cache);
            preferred = Integer.toUnsignedLong(c.get(JAVA_INT_UNALIGNED, 0));
            valid = Integer.toUnsignedLong(c.get(JAVA_INT_UNALIGNED, 4));
        }
        return new Address(index, local, peer, prefixLength, scope,
            a.has(AddressAttributes.IFA_FLAGS) ? a.u32(AddressAttributes.IFA_FLAGS, byteFlags) : byteFlags,
            a.string(AddressAttributes.IFA_LABEL),
            inet(a.bytes(AddressAttributes.IFA_BROADCAST)),
            valid, preferred);
    }

    static Route route(final NetlinkSocket.Part part) {
        final MemorySegment m = part.segment();
        final long base = part.bodyOffset();
        final int family = Byte.toUnsignedInt(m.get(JAVA_BYTE, base + RtMessages.RTM_FAMILY));
        final int dstLength = Byte.toUnsignedInt(m.get(JAVA_BYTE, base + RtMessages.RTM_DST_LEN));
        final int headerTable = Byte.toUnsignedInt(m.get(JAVA_BYTE, base + RtMessages.RTM_TABLE));
        final int protocol = Byte.toUnsignedInt(m.get(JAVA_BYTE, base + RtMessages.RTM_PROTOCOL));
        final int scope = Byte.toUnsignedInt(m.get(JAVA_BYTE, base + RtMessages.RTM_SCOPE));
        final int type = Byte.toUnsignedInt(m.get(JAVA_BYTE, base + RtMessages.RTM_TYPE));
        final int flags = m.get(JAVA_INT_UNALIGNED, base + RtMessages.RTM_FLAGS);
        final NetlinkAttributes a = NetlinkAttributes.parse(m, base + RtMessages.RTMSG_LENGTH,
            part.bodyLength() - RtMessages.RTMSG_LENGTH);
        final InetAddress dst = inet(a.bytes(RouteAttributes.RTA_DST));
        final IpPrefix destination = dst != null ? new IpPrefix(dst, dstLength)
            : IpPrefix.any(family == IpPrefix.AF_INET6 ? IpPrefix.AF_INET6 : IpPrefix.AF_INET);
        return new Route(destination,
            inet(a.bytes(RouteAttributes.RTA_GATEWAY)),
            a.u32(RouteAttributes.RTA_OIF, 0),
            a.has(RouteAttributes.RTA_TABLE) ? a.u32(RouteAttributes.RTA_TABLE, headerTable) : headerTable,
            protocol, scope, type, flags,
            a.has(RouteAttributes.RTA_PRIORITY) ? Integer.toUnsignedLong(a.u32(RouteAttributes.RTA_PRIORITY, 0)) : -1,
            inet(a.bytes(RouteAttributes.RTA_PREFSRC)),
            a.u8(RouteAttributes.RTA_PREF, -1));
    }

    /** An address attribute's bytes as an InetAddress (4 or 16 bytes), else null. */
    static InetAddress inet(final byte[] bytes) {
        if (bytes == null || (bytes.length != 4 && bytes.length != 16)) {
            return null;
        }
        try {
            // 16 bytes stay IPv6 even when IPv4-mapped (getByAddress would hand back an Inet4Address).
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (final UnknownHostException e) {
            return null;
        }
    }
}
