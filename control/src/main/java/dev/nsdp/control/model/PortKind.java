package dev.nsdp.control.model;

import java.util.Locale;

/** How a dataplane port is made: the three port implementations of the dataplane. */
public enum PortKind {
    /** An AF_PACKET socket (TPACKET_V2 rings) on an existing kernel link: veth, macvlan, physical. */
    AFPACKET,
    /** A TAP device (/dev/net/tun), created if it does not exist. */
    TAP,
    /** An in-process memory link (tests, benchmarks, demos); its other end belongs to the process. */
    MEMORY;

    /** The name in the protocol and the journal: "afpacket", "tap", "memory". */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PortKind fromWireName(final String name) {
        for (final PortKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return kind;
            }
        }
        throw new ControlException(ErrorKind.BAD_REQUEST, "unknown port kind '" + JsonReader.printable(String.valueOf(name))
            + "'; use afpacket, tap or memory");
    }
}
