package dev.nsdp.control.cli;

import dev.nsdp.control.kernel.Address;
import dev.nsdp.control.kernel.IpPrefix;
import dev.nsdp.control.kernel.Link;
import dev.nsdp.control.kernel.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Links, addresses and routes printed the way iproute2 prints them: the same JSON keys in the same
 * order as {@code ip -j} (so scripts written against ip read nsdp's output), and text close to
 * ip's default output.
 */
final class IpFormat {
    private static final long FOREVER = 0xFFFF_FFFFL;
    private static final int IFA_F_SECONDARY = 0x01;
    private static final int IFA_F_NODAD = 0x02;
    private static final int IFA_F_OPTIMISTIC = 0x04;
    private static final int IFA_F_DADFAILED = 0x08;
    private static final int IFA_F_HOMEADDRESS = 0x10;
    private static final int IFA_F_DEPRECATED = 0x20;
    private static final int IFA_F_TENTATIVE = 0x40;
    private static final int IFA_F_PERMANENT = 0x80;
    private static final int IFA_F_MANAGETEMPADDR = 0x100;
    private static final int IFA_F_NOPREFIXROUTE = 0x200;
    private static final int IFA_F_MCAUTOJOIN = 0x400;
    private static final int IFA_F_STABLE_PRIVACY = 0x800;

    private IpFormat() {
    }

    /** ip's flags list: the link's own, plus M-DOWN when the link it stacks on (same namespace) is down. */
    static List<String> flags(final Link link, final Map<Integer, Link> byIndex) {
        final List<String> flags = link.flagNames();
        if (link.parentIndex() != 0 && link.linkNetnsId() < 0) {
            final Link lower = byIndex.get(link.parentIndex());
            if (lower == null || !lower.isUp()) {
                flags.add("M-DOWN");
            }
        }
        return flags;
    }

    /** The link part of {@code ip -j link show} (withLinkMode) and of {@code ip -j addr show} (without). */
    static Map<String, Object> linkJson(final Link link, final Map<Integer, Link> byIndex, final boolean withLinkMode) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("ifindex", link.index());
        if (link.parentIndex() != 0) {
            if (link.linkNetnsId() >= 0) {
                json.put("link_index", link.parentIndex());
            } else {
                final Link lower = byIndex.get(link.parentIndex());
                json.put("link", lower == null ? "if" + link.parentIndex() : lower.name());
            }
        }
        json.put("ifname", link.name());
        json.put("flags", flags(link, byIndex));
        json.put("mtu", link.mtu());
        if (link.qdisc() != null) {
            json.put("qdisc", link.qdisc());
        }
        if (link.master() != 0) {
            final Link master = byIndex.get(link.master());
            json.put("master", master == null ? "if" + link.master() : master.name());
        }
        json.put("operstate", link.operStateName());
        if (withLinkMode) {
            json.put("linkmode", link.linkMode() == 1 ? "DORMANT" : "DEFAULT");
        }
        json.put("group", link.group() == 0 ? "default" : Integer.toString(link.group()));
        if (link.txQueueLength() >= 0) {
            json.put("txqlen", link.txQueueLength());
        }
        json.put("link_type", link.typeName());
        if (link.address() != null) {
            json.put("address", link.address());
        }
        if (link.broadcast() != null) {
            json.put("broadcast", link.broadcast());
        }
        if (link.linkNetnsId() >= 0) {
            json.put("link_netnsid", link.linkNetnsId());
        }
        return json;
    }

    /** ip's two-line text of a link. */
    static String linkText(final Link link, final Map<Integer, Link> byIndex, final boolean withLinkMode) {
        final StringBuilder text = new StringBuilder();
        text.append(link.index()).append(": ").append(link.name());
        if (link.parentIndex() != 0) {
            final Link lower = link.linkNetnsId() >= 0 ? null : byIndex.get(link.parentIndex());
            text.append('@').append(lower == null ? "if" + link.parentIndex() : lower.name());
        }
        text.append(": <").append(String.join(",", flags(link, byIndex))).append("> mtu ").append(link.mtu());
        if (link.qdisc() != null) {
            text.append(" qdisc ").append(link.qdisc());
        }
        if (link.master() != 0) {
            final Link master = byIndex.get(link.master());
            text.append(" master ").append(master == null ? "if" + link.master() : master.name());
        }
        text.append(" state ").append(link.operStateName());
        if (withLinkMode) {
            text.append(" mode ").append(link.linkMode() == 1 ? "DORMANT" : "DEFAULT");
        }
        text.append(" group ").append(link.group() == 0 ? "default" : Integer.toString(link.group()));
        if (link.txQueueLength() >= 0) {
            text.append(" qlen ").append(link.txQueueLength());
        }
        text.append("\n    link/").append(link.typeName());
        if (link.address() != null) {
            text.append(' ').append(link.address());
        }
        if (link.broadcast() != null) {
            text.append(" brd ").append(link.broadcast());
        }
        if (link.linkNetnsId() >= 0) {
            text.append(" link-netnsid ").append(link.linkNetnsId());
        }
        return text.toString();
    }

    /** One entry of ip's addr_info list. */
    static Map<String, Object> addressJson(final Address address) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("family", address.familyName());
        json.put("local", IpPrefix.format(address.local()));
        if (address.peer() != null) {
            json.put("address", IpPrefix.format(address.peer()));
        }
        json.put("prefixlen", address.prefixLength());
        if (address.broadcast() != null) {
            json.put("broadcast", IpPrefix.format(address.broadcast()));
        }
        json.put("scope", Address.scopeName(address.scope()));
        for (final String flag : addressFlags(address)) {
            json.put(flag, true);
        }
        if (address.label() != null) {
            json.put("label", address.label());
        }
        json.put("valid_life_time", address.validLifetime());
        json.put("preferred_life_time", address.preferredLifetime());
        return json;
    }

    static String addressText(final Address address) {
        final StringBuilder text = new StringBuilder("    ").append(address.familyName()).append(' ')
            .append(IpPrefix.format(address.local()));
        if (address.peer() != null) {
            text.append(" peer ").append(IpPrefix.format(address.peer()));
        }
        text.append('/').append(address.prefixLength());
        if (address.broadcast() != null) {
            text.append(" brd ").append(IpPrefix.format(address.broadcast()));
        }
        text.append(" scope ").append(Address.scopeName(address.scope()));
        for (final String flag : addressFlags(address)) {
            text.append(' ').append(flag);
        }
        if (address.label() != null) {
            text.append(' ').append(address.label());
        }
        text.append("\n       valid_lft ").append(lifetime(address.validLifetime()))
            .append(" preferred_lft ").append(lifetime(address.preferredLifetime()));
        return text.toString();
    }

    private static List<String> addressFlags(final Address address) {
        final List<String> flags = new ArrayList<>();
        final int f = address.flags();
        final boolean ipv6 = address.family() == IpPrefix.AF_INET6;
        if ((f & IFA_F_SECONDARY) != 0) {
            flags.add(ipv6 ? "temporary" : "secondary");
        }
        if ((f & IFA_F_TENTATIVE) != 0) {
            flags.add("tentative");
        }
        if ((f & IFA_F_DEPRECATED) != 0) {
            flags.add("deprecated");
        }
        if ((f & IFA_F_HOMEADDRESS) != 0) {
            flags.add("home");
        }
        if ((f & IFA_F_NODAD) != 0) {
            flags.add("nodad");
        }
        if ((f & IFA_F_MANAGETEMPADDR) != 0) {
            flags.add("mngtmpaddr");
        }
        if ((f & IFA_F_NOPREFIXROUTE) != 0) {
            flags.add("noprefixroute");
        }
        if ((f & IFA_F_MCAUTOJOIN) != 0) {
            flags.add("autojoin");
        }
        if ((f & IFA_F_OPTIMISTIC) != 0) {
            flags.add("optimistic");
        }
        if ((f & IFA_F_DADFAILED) != 0) {
            flags.add("dadfailed");
        }
        if ((f & IFA_F_STABLE_PRIVACY) != 0) {
            flags.add("stable-privacy");
        }
        if ((f & IFA_F_PERMANENT) == 0) {
            flags.add("dynamic");
        }
        return flags;
    }

    private static String lifetime(final long seconds) {
        return seconds == FOREVER ? "forever" : seconds + "sec";
    }

    /** One route of {@code ip -j route show}. */
    static Map<String, Object> routeJson(final Route route, final Map<Integer, Link> byIndex) {
        final Map<String, Object> json = new LinkedHashMap<>();
        if (route.type() != 1) {
            json.put("type", Route.typeName(route.type()));
        }
        json.put("dst", route.destinationText());
        if (route.gateway() != null) {
            json.put("gateway", IpPrefix.format(route.gateway()));
        }
        if (route.outputIndex() != 0) {
            json.put("dev", linkName(route.outputIndex(), byIndex));
        }
        if (route.table() != 254) {
            json.put("table", tableName(route.table()));
        }
        if (route.protocol() != 3) { // ip leaves out "boot", the protocol of routes added by hand
            json.put("protocol", Route.protocolName(route.protocol()));
        }
        if (route.scope() != 0) {
            json.put("scope", Address.scopeName(route.scope()));
        }
        if (route.preferredSource() != null) {
            json.put("prefsrc", IpPrefix.format(route.preferredSource()));
        }
        if (route.metric() >= 0) {
            json.put("metric", route.metric());
        }
        json.put("flags", route.flagNames());
        if (route.preference() >= 0) {
            json.put("pref", preference(route.preference()));
        }
        return json;
    }

    static String routeText(final Route route, final Map<Integer, Link> byIndex) {
        final StringBuilder text = new StringBuilder();
        if (route.type() != 1) {
            text.append(Route.typeName(route.type())).append(' ');
        }
        text.append(route.destinationText());
        if (route.gateway() != null) {
            text.append(" via ").append(IpPrefix.format(route.gateway()));
        }
        if (route.outputIndex() != 0) {
            text.append(" dev ").append(linkName(route.outputIndex(), byIndex));
        }
        if (route.table() != 254) {
            text.append(" table ").append(tableName(route.table()));
        }
        if (route.protocol() != 3) {
            text.append(" proto ").append(Route.protocolName(route.protocol()));
        }
        if (route.scope() != 0) {
            text.append(" scope ").append(Address.scopeName(route.scope()));
        }
        if (route.preferredSource() != null) {
            text.append(" src ").append(IpPrefix.format(route.preferredSource()));
        }
        if (route.metric() >= 0) {
            text.append(" metric ").append(route.metric());
        }
        for (final String flag : route.flagNames()) {
            text.append(' ').append(flag);
        }
        if (route.preference() >= 0) {
            text.append(" pref ").append(preference(route.preference()));
        }
        return text.toString();
    }

    private static String linkName(final int index, final Map<Integer, Link> byIndex) {
        final Link link = byIndex.get(index);
        return link == null ? "if" + index : link.name();
    }

    private static String tableName(final int table) {
        return switch (table) {
            case 253 -> "default";
            case 254 -> "main";
            case 255 -> "local";
            default -> Integer.toString(table);
        };
    }

    private static String preference(final int value) {
        return switch (value) {
            case 0 -> "medium";
            case 1 -> "high";
            case 3 -> "low";
            default -> Integer.toString(value);
        };
    }
}
