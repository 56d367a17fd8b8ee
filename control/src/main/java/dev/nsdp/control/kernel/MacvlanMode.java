package dev.nsdp.control.kernel;

import java.util.Locale;

/** How macvlan endpoints on one parent reach each other (linux/if_link.h MACVLAN_MODE_*). */
public enum MacvlanMode {
    /** No traffic between endpoints of the same parent. */
    PRIVATE(1),
    /** Endpoints talk through an external switch that hairpins (802.1Qbg VEPA). */
    VEPA(2),
    /** Endpoints talk directly, inside the kernel. */
    BRIDGE(4),
    /** One endpoint takes over the parent (and its MAC). */
    PASSTHRU(8),
    /** Frames are assigned by source MAC from a configured list. */
    SOURCE(16);

    private final int value;

    MacvlanMode(final int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** {@code ip}'s spelling: bridge, private, vepa, passthru, source. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MacvlanMode parse(final String text) {
        for (final MacvlanMode mode : values()) {
            if (mode.text().equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a macvlan mode (bridge, private, vepa, passthru, source)");
    }

    public static MacvlanMode of(final int value) {
        for (final MacvlanMode mode : values()) {
            if (mode.value == value) {
                return mode;
            }
        }
        return null;
    }
}
