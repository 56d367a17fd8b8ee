package dev.nsdp.control.kernel;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A route as the kernel reports it in a route dump (RTM_NEWROUTE).
 *
 * @param destination     RTA_DST with rtm_dst_len (0.0.0.0/0 or ::/0 for the default route)
 * @param gateway         RTA_GATEWAY, or null
 * @param outputIndex     RTA_OIF, 0 when none
 * @param table           RTA_TABLE (or rtm_table)
 * @param protocol        RTPROT_* (2 kernel, 3 boot, 4 static ...)
 * @param scope           RT_SCOPE_*
 * @param type            RTN_* (1 unicast, 2 local ...)
 * @param flags           rtm_flags (RTNH_F_LINKDOWN ...)
 * @param metric          RTA_PRIORITY, or -1 when absent
 * @param preferredSource RTA_PREFSRC, or null
 * @param preference      RTA_PREF (IPv6 router preference), or -1
 */
public record Route(IpPrefix destination, InetAddress gateway, int outputIndex, int table, int protocol, int scope,
                    int type, int flags, long metric, InetAddress preferredSource, int preference) {

    public int family() {
        return destination.family();
    }

    public boolean isDefault() {
        return destination.length() == 0;
    }

    /** ip's text for the destination: "default" or "198.18.0.0/24" (host routes without "/32"). */
    public String destinationText() {
        if (isDefault()) {
            return "default";
        }
        final int hostLength = family() == IpPrefix.AF_INET6 ? 128 : 32;
        return destination.length() == hostLength ? IpPrefix.format(destination.address()) : destination.toString();
    }

    public static String protocolName(final int protocol) {
        return switch (protocol) {
            case RouteAttributes.RTPROT_UNSPEC -> "unspec";
            case RouteAttributes.RTPROT_REDIRECT -> "redirect";
            case RouteAttributes.RTPROT_KERNEL -> "kernel";
            case RouteAttributes.RTPROT_BOOT -> "boot";
            case RouteAttributes.RTPROT_STATIC -> "static";
            case RouteAttributes.RTPROT_RA -> "ra";
            case RouteAttributes.RTPROT_DHCP -> "dhcp";
            default -> Integer.toString(protocol);
        };
    }

    public static String typeName(final int type) {
        return switch (type) {
            case RouteAttributes.RTN_UNICAST -> "unicast";
            case RouteAttributes.RTN_LOCAL -> "local";
            case RouteAttributes.RTN_BROADCAST -> "broadcast";
            case RouteAttributes.RTN_ANYCAST -> "anycast";
            case RouteAttributes.RTN_MULTICAST -> "multicast";
            case RouteAttributes.RTN_BLACKHOLE -> "blackhole";
            case RouteAttributes.RTN_UNREACHABLE -> "unreachable";
            case RouteAttributes.RTN_PROHIBIT -> "prohibit";
            default -> Integer.toString(type);
        };
    }

    /** The flags ip prints in its "flags" list. */
    public List<String> flagNames() {
        final List<String> names = new ArrayList<>();
        if ((flags & RouteAttributes.RTNH_F_DEAD) != 0) {
            names.add("dead");
        }
        if ((flags & RouteAttributes.RTNH_F_ONLINK) != 0) {
            names.add("onlink");
        }
        if ((flags & RouteAttributes.RTNH_F_PERVASIVE) != 0) {
            names.add("pervasive");
        }
        if ((flags & RouteAttributes.RTNH_F_OFFLOAD) != 0) {
            names.add("offload");
        }
        if ((flags & RouteAttributes.RTNH_F_LINKDOWN) != 0) {
            names.add("linkdown");
        }
        if ((flags & RouteAttributes.RTNH_F_UNRESOLVED) != 0) {
            names.add("unresolved");
        }
        return names;
    }
}
