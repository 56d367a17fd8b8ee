package dev.nsdp.dataplane.namespace;

/**
 * Per-namespace settings, the dataplane's "sysctls". Immutable; a change is a new instance.
 *
 * <table>
 * <caption>Settings and defaults</caption>
 * <tr><th>name</th><th>default</th><th>meaning</th></tr>
 * <tr><td>forwarding</td><td>true</td><td>route transit IP traffic (Linux ip_forward); local delivery works either way</td></tr>
 * <tr><td>default-ttl</td><td>64</td><td>TTL / hop limit of packets the namespace originates (1..255)</td></tr>
 * <tr><td>mac-aging</td><td>300 s</td><td>a learned MAC not seen for this long is forgotten (1..1,000,000 s; as the Linux bridge)</td></tr>
 * <tr><td>mac-limit</td><td>8192</td><td>most MACs the namespace may learn (1..16,777,216); beyond it frames are flooded, not learned</td></tr>
 * </table>
 */
public record NamespaceSettings(boolean forwarding, int defaultTtl, int macAgingSeconds, int macLimit) {
    public static final NamespaceSettings DEFAULTS = new NamespaceSettings(true, 64, 300, 8192);

    public NamespaceSettings {
        if (defaultTtl < 1 || defaultTtl > 255) {
            throw new IllegalArgumentException("default-ttl must be 1..255, got " + defaultTtl);
        }
        if (macAgingSeconds < 1 || macAgingSeconds > 1_000_000) {
            throw new IllegalArgumentException("mac-aging must be 1..1000000 seconds, got " + macAgingSeconds);
        }
        if (macLimit < 1 || macLimit > (1 << 24)) {
            throw new IllegalArgumentException("mac-limit must be 1..16777216, got " + macLimit);
        }
    }

    public NamespaceSettings withForwarding(final boolean value) {
        return new NamespaceSettings(value, defaultTtl, macAgingSeconds, macLimit);
    }

    public NamespaceSettings withDefaultTtl(final int value) {
        return new NamespaceSettings(forwarding, value, macAgingSeconds, macLimit);
    }

    public NamespaceSettings withMacAgingSeconds(final int value) {
        return new NamespaceSettings(forwarding, defaultTtl, value, macLimit);
    }

    public NamespaceSettings withMacLimit(final int value) {
        return new NamespaceSettings(forwarding, defaultTtl, macAgingSeconds, value);
    }
}
