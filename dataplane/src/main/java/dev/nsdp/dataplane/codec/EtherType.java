package dev.nsdp.dataplane.codec;

/** EtherType and TPID values the dataplane knows. Anything below {@link #MIN_ETHER_TYPE} is an 802.3 length. */
public final class EtherType {
    public static final int IPV4 = 0x0800;
    public static final int ARP = 0x0806;
    public static final int IPV6 = 0x86DD;
    /** 802.1Q customer tag protocol identifier. */
    public static final int VLAN = 0x8100;
    /** 802.1ad service tag protocol identifier (the outer tag of QinQ). */
    public static final int QINQ = 0x88A8;
    /** Values below this are 802.3 length fields, not EtherTypes (IEEE 802.3 clause 3.2.6). */
    public static final int MIN_ETHER_TYPE = 0x0600;

    private EtherType() {
    }

    /** True for the two tag protocol identifiers a VLAN tag may start with. */
    public static boolean isVlanTpid(final int etherType) {
        return etherType == VLAN || etherType == QINQ;
    }
}
