package dev.nsdp.dataplane.namespace;

import dev.nsdp.dataplane.codec.MacAddress;

/**
 * A static MAC entry of a level-2 namespace: frames to {@code mac} in {@code namespace} leave through
 * {@code port}, and the entry never ages or moves. Immutable.
 *
 * @param namespace the namespace whose MAC table holds the entry
 * @param mac       the MAC address as the low 48 bits of a long ({@link MacAddress})
 * @param port      the name, in that namespace, of the port the MAC is behind
 */
public record StaticMacInfo(String namespace, long mac, String port) {
    @Override
    public String toString() {
        return "StaticMacInfo[" + namespace + " " + MacAddress.format(mac) + " dev " + port + "]";
    }
}
