package dev.nsdp.control.kernel;

/** Attribute numbers and flags of address messages (linux/if_addr.h). */
final class AddressAttributes {
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_LABEL = 3;
    static final int IFA_BROADCAST = 4;
    static final int IFA_CACHEINFO = 6;
    static final int IFA_FLAGS = 8;

    static final int IFA_F_SECONDARY = 0x01;
    static final int IFA_F_NODAD = 0x02;
    static final int IFA_F_OPTIMISTIC = 0x04;
    static final int IFA_F_DADFAILED = 0x08;
    static final int IFA_F_HOMEADDRESS = 0x10;
    static final int IFA_F_DEPRECATED = 0x20;
    static final int IFA_F_TENTATIVE = 0x40;
    static final int IFA_F_PERMANENT = 0x80;
    static final int IFA_F_MANAGETEMPADDR = 0x100;
    static final int IFA_F_NOPREFIXROUTE = 0x200;
    static final int IFA_F_MCAUTOJOIN = 0x400;
    static final int IFA_F_STABLE_PRIVACY = 0x800;

    private AddressAttributes() {
    }
}
