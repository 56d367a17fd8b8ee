package dev.nsdp.control.kernel;

import java.net.InetAddress;

/**
 * An address on a link, as the kernel reports it in an address dump (RTM_NEWADDR).
 *
 * @param linkIndex         the link it is on
 * @param local             IFA_LOCAL (IPv4) or IFA_ADDRESS (IPv6): the address itself
 * @param peer              IFA_ADDRESS when it differs from IFA_LOCAL (point-to-point peer), else null
 * @param prefixLength      ifa_prefixlen
 * @param scope             RT_SCOPE_* (0 global, 253 link, 254 host)
 * @param flags             IFA_F_* (from IFA_FLAGS when present, else ifa_flags)
 * @param label             IFA_LABEL (IPv4), or null
 * @param broadcast         IFA_BROADCAST, or null
 * @param validLifetime     seconds, 4294967295 for forever
 * @param preferredLifetime seconds, 4294967295 for forever
 */
public record Address(int linkIndex, InetAddress local, InetAddress peer, int prefixLength, int scope, int flags,
                      String label, InetAddress broadcast, long validLifetime, long preferredLifetime) {

    public int family() {
        return IpPrefix.family(local);
    }

    public IpPrefix prefix() {
        return new IpPrefix(local, prefixLength);
    }

    /** "inet" or "inet6", as ip's JSON names the family. */
    public String familyName() {
        return family() == IpPrefix.AF_INET6 ? "inet6" : "inet";
    }

    public static String scopeName(final int scope) {
        return switch (scope) {
            case RouteAttributes.RT_SCOPE_UNIVERSE -> "global";
            case RouteAttributes.RT_SCOPE_SITE -> "site";
            case RouteAttributes.RT_SCOPE_LINK -> "link";
            case RouteAttributes.RT_SCOPE_HOST -> "host";
            case RouteAttributes.RT_SCOPE_NOWHERE -> "nowhere";
            default -> Integer.toString(scope);
        };
    }
}
