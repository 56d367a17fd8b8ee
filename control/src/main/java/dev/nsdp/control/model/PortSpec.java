package dev.nsdp.control.model;

import dev.nsdp.dataplane.namespace.NameRules;

/**
 * How to (re)create a dataplane port: what the journal records for a port, since a port itself is a
 * live object (a socket, a tap descriptor, a ring). The forwarder's {@link PortFactory} turns a spec
 * into a port, at the request and again on every replay.
 *
 * @param kind            afpacket, tap or memory
 * @param link            the kernel link (afpacket), the tap device (tap) or the memory link's name
 * @param kernelNamespace the named kernel network namespace the link is in (as in /run/netns), or
 *                        null for the forwarder's own namespace; memory ports have none
 */
public record PortSpec(PortKind kind, String link, String kernelNamespace) {
    public PortSpec {
        if (kind == null) {
            throw new ControlException(ErrorKind.BAD_REQUEST, "a port needs a kind: afpacket, tap or memory");
        }
        if (!NameRules.isValidName(link)) {
            throw new ControlException(ErrorKind.INVALID, "port link name '" + JsonReader.printable(String.valueOf(link))
                + "' is not a valid link name; use 1.." + NameRules.MAX_NAME_LENGTH + " characters from A-Z a-z 0-9 _ . -");
        }
        if (kernelNamespace != null) {
            if (kind == PortKind.MEMORY) {
                throw new ControlException(ErrorKind.INVALID, "a memory port lives in the process; it has no kernel namespace");
            }
            if (!NameRules.isValidName(kernelNamespace)) {
                throw new ControlException(ErrorKind.INVALID, "kernel namespace name '"
                    + JsonReader.printable(kernelNamespace) + "' is not valid; use a name from `nsdp netns list`");
            }
        }
    }

    public static PortSpec memory(final String link) {
        return new PortSpec(PortKind.MEMORY, link, null);
    }

    @Override
    public String toString() {
        return kind.wireName() + ":" + link + (kernelNamespace == null ? "" : "@" + kernelNamespace);
    }
}
