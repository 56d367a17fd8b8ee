package dev.nsdp.dataplane.namespace;

/**
 * A trunk mapping: frames arriving on {@code port} (in {@code namespace}) whose outer 802.1Q tag is
 * {@code vlanId} belong to {@code targetNamespace}. Untagged frames on the port belong to the port's
 * own namespace. Immutable.
 */
public record VlanMappingInfo(String namespace, String port, int vlanId, String targetNamespace) {
}
