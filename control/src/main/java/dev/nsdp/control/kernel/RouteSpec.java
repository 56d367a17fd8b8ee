package dev.nsdp.control.kernel;

import java.net.InetAddress;

/**
 * A route to add or delete, as {@code ip route add PREFIX [via GATEWAY] [dev LINK] [metric N]
 * [table N]} gives it. At least one of gateway and device is needed to add a route.
 *
 * @param destination the prefix (a default route is 0.0.0.0/0 or ::/0)
 * @param gateway     next hop, or null for a route straight out of {@code device}
 * @param device      output link name, or null to let the kernel pick it from the gateway
 * @param metric      RTA_PRIORITY, or -1 for none
 * @param table       routing table, 0 for main
 */
public record RouteSpec(IpPrefix destination, InetAddress gateway, String device, long metric, int table) {
    public RouteSpec {
        if (destination == null) {
            throw new IllegalArgumentException("a route needs a destination prefix (or 'default')");
        }
        if (gateway != null && IpPrefix.family(gateway) != destination.family()) {
            throw new IllegalArgumentException("gateway " + IpPrefix.format(gateway) + " and destination "
                + destination + " are of different address families");
        }
        if (device != null) {
            LinkNames.check(device);
        }
        if (metric < -1 || metric > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("metric " + metric + " is out of range 0..4294967295");
        }
    }

    public static RouteSpec via(final IpPrefix destination, final InetAddress gateway) {
        return new RouteSpec(destination, gateway, null, -1, 0);
    }

    public static RouteSpec dev(final IpPrefix destination, final String device) {
        return new RouteSpec(destination, null, device, -1, 0);
    }

    /** For messages: "198.18.1.0/24 via 198.18.0.2 dev v0". */
    public String describe() {
        final StringBuilder text = new StringBuilder(destination.length() == 0 ? "default" : destination.toString());
        if (gateway != null) {
            text.append(" via ").append(IpPrefix.format(gateway));
        }
        if (device != null) {
            text.append(" dev ").append(device);
        }
        return text.toString();
    }
}
