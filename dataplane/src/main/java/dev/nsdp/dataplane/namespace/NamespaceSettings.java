package dev.nsdp.dataplane.namespace;

import java.util.List;

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
 *
 * <p>Every namespace starts with {@link #DEFAULTS}, the root namespace too. The ranges are checked
 * here, when an instance is made, so a {@code NamespaceSettings} that exists is always valid and the
 * registry and the workers never see a bad value. mac-aging and mac-limit are kept but unused in a
 * level-3 namespace, which has no MAC table. {@link #withSetting} sets one value by the name in the
 * table, for the control module's command line ("nsdp netns set red default-ttl 32").
 */
public record NamespaceSettings(boolean forwarding, int defaultTtl, int macAgingSeconds, int macLimit) {
    public static final NamespaceSettings DEFAULTS = new NamespaceSettings(true, 64, 300, 8192);

    public static final String FORWARDING = "forwarding";
    public static final String DEFAULT_TTL = "default-ttl";
    public static final String MAC_AGING = "mac-aging";
    public static final String MAC_LIMIT = "mac-limit";
    /** The setting names {@link #withSetting} accepts, in table order. */
    public static final List<String> NAMES = List.of(FORWARDING, DEFAULT_TTL, MAC_AGING, MAC_LIMIT);

    public static final int MIN_TTL = 1;
    public static final int MAX_TTL = 255;
    public static final int MIN_MAC_AGING_SECONDS = 1;
    public static final int MAX_MAC_AGING_SECONDS = 1_000_000;
    public static final int MIN_MAC_LIMIT = 1;
    public static final int MAX_MAC_LIMIT = 1 << 24;

    public NamespaceSettings {
        if (defaultTtl < MIN_TTL || defaultTtl > MAX_TTL) {
            throw new IllegalArgumentException("default-ttl must be 1..255, got " + defaultTtl);
        }
        if (macAgingSeconds < MIN_MAC_AGING_SECONDS || macAgingSeconds > MAX_MAC_AGING_SECONDS) {
            throw new IllegalArgumentException("mac-aging must be 1..1000000 seconds, got " + macAgingSeconds);
        }
        if (macLimit < MIN_MAC_LIMIT || macLimit > MAX_MAC_LIMIT) {
            throw new IllegalArgumentException("mac-limit must be 1..16777216, got " + macLimit);
        }
    }

    /**
     * A copy with the setting called {@code name} (one of {@link #NAMES}) set from text: "on"/"off",
     * "true"/"false" or "1"/"0" for forwarding, a decimal number for the others. Throws
     * IllegalArgumentException saying what is wrong.
     */
    public NamespaceSettings withSetting(final String name, final String value) {
        if (name == null || value == null) {
            throw new IllegalArgumentException("a setting needs a name (one of " + NAMES + ") and a value");
        }
        return switch (name) {
            case FORWARDING -> withForwarding(parseSwitch(value));
            case DEFAULT_TTL -> withDefaultTtl(parseNumber(name, value));
            case MAC_AGING -> withMacAgingSeconds(parseNumber(name, value));
            case MAC_LIMIT -> withMacLimit(parseNumber(name, value));
            default -> throw new IllegalArgumentException("unknown setting '" + name + "'; the settings are " + NAMES);
        };
    }

    private static boolean parseSwitch(final String value) {
        return switch (value.trim()) {
            case "on", "true", "1" -> true;
            case "off", "false", "0" -> false;
            default -> throw new IllegalArgumentException("forwarding must be on or off, got '" + value + "'");
        };
    }

    private static int parseNumber(final String name, final String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a decimal number, got '" + value + "'");
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
