package dev.nsdp.control.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A network link as the kernel reports it in a link dump (RTM_NEWLINK).
 *
 * @param index        ifindex
 * @param name         IFLA_IFNAME
 * @param flags        net_device_flags (IFF_UP ...)
 * @param mtu          IFLA_MTU
 * @param operState    RFC 2863 operational state (IF_OPER_*)
 * @param linkMode     IFLA_LINKMODE (0 default, 1 dormant)
 * @param type         ARPHRD_* hardware type
 * @param address      MAC as "aa:bb:cc:dd:ee:ff" (or the hardware address in hex), or null
 * @param broadcast    hardware broadcast address, or null
 * @param kind         IFLA_INFO_KIND ("veth", "macvlan", "tun" ...), or null for links without one
 * @param parentIndex  IFLA_LINK (the veth peer, the macvlan parent), 0 when none
 * @param linkNetnsId  IFLA_LINK_NETNSID: the peer's namespace id as this namespace knows it, or -1
 * @param group        IFLA_GROUP
 * @param qdisc        IFLA_QDISC, or null
 * @param txQueueLength IFLA_TXQLEN, or -1
 * @param master       IFLA_MASTER, 0 when none
 * @param macvlanMode  for a macvlan: its mode, else null
 */
public record Link(int index, String name, int flags, int mtu, int operState, int linkMode, int type, String address,
                   String broadcast, String kind, int parentIndex, int linkNetnsId, int group, String qdisc,
                   int txQueueLength, int master, MacvlanMode macvlanMode) {

    public boolean isUp() {
        return (flags & LinkAttributes.IFF_UP) != 0;
    }

    /** The operational state as ip prints it: UP, DOWN, LOWERLAYERDOWN, UNKNOWN ... */
    public String operStateName() {
        return switch (operState) {
            case 1 -> "NOTPRESENT";
            case 2 -> "DOWN";
            case 3 -> "LOWERLAYERDOWN";
            case 4 -> "TESTING";
            case 5 -> "DORMANT";
            case 6 -> "UP";
            default -> "UNKNOWN";
        };
    }

    /**
     * The flags as ip lists them, in ip's order: NO-CARRIER first for a link that is up without
     * carrier (RUNNING itself is never listed).
     */
    public List<String> flagNames() {
        final List<String> names = new ArrayList<>();
        if ((flags & LinkAttributes.IFF_UP) != 0 && (flags & LinkAttributes.IFF_RUNNING) == 0) {
            names.add("NO-CARRIER");
        }
        final int[] order = {
            LinkAttributes.IFF_LOOPBACK, LinkAttributes.IFF_BROADCAST, LinkAttributes.IFF_POINTOPOINT,
            LinkAttributes.IFF_MULTICAST, LinkAttributes.IFF_NOARP, LinkAttributes.IFF_ALLMULTI,
            LinkAttributes.IFF_PROMISC, LinkAttributes.IFF_MASTER, LinkAttributes.IFF_SLAVE,
            LinkAttributes.IFF_DEBUG, LinkAttributes.IFF_DYNAMIC, LinkAttributes.IFF_AUTOMEDIA,
            LinkAttributes.IFF_PORTSEL, LinkAttributes.IFF_NOTRAILERS, LinkAttributes.IFF_UP,
            LinkAttributes.IFF_LOWER_UP, LinkAttributes.IFF_DORMANT, LinkAttributes.IFF_ECHO,
        };
        final String[] text = {
            "LOOPBACK", "BROADCAST", "POINTOPOINT", "MULTICAST", "NOARP", "ALLMULTI", "PROMISC", "MASTER", "SLAVE",
            "DEBUG", "DYNAMIC", "AUTOMEDIA", "PORTSEL", "NOTRAILERS", "UP", "LOWER_UP", "DORMANT", "ECHO",
        };
        for (int i = 0; i < order.length; i++) {
            if ((flags & order[i]) != 0) {
                names.add(text[i]);
            }
        }
        return names;
    }

    /** The hardware type as ip names it (link/ether, link/loopback ...). */
    public String typeName() {
        return switch (type) {
            case 1 -> "ether";
            case 772 -> "loopback";
            case 768 -> "ipip";
            case 769 -> "tunnel6";
            case 776 -> "sit";
            case 778 -> "gre";
            case 823 -> "ip6gre";
            case 65534 -> "none";
            case 65535 -> "void";
            default -> "[" + type + "]";
        };
    }
}
