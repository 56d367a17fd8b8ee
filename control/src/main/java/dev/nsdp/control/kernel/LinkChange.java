package dev.nsdp.control.kernel;

import dev.nsdp.dataplane.nativ.KernelNamespace;

/**
 * Changes to an existing link that one RTM_NEWLINK request applies together, as
 * {@code ip link set dev NAME up mtu 1400 address ... netns NS} does:
 * {@code new LinkChange().up().mtu(1400)}. Fields left unset are not touched.
 */
public final class LinkChange {
    private Boolean up;
    private int mtu;
    private String address;
    private KernelNamespace namespace;
    private String newName;
    private int group = -1;

    public LinkChange up() {
        this.up = Boolean.TRUE;
        return this;
    }

    public LinkChange down() {
        this.up = Boolean.FALSE;
        return this;
    }

    public LinkChange mtu(final int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("MTU " + value + " is not positive");
        }
        this.mtu = value;
        return this;
    }

    public LinkChange address(final String mac) {
        LinkNames.parseMac(mac);
        this.address = mac;
        return this;
    }

    /** Moves the link into another namespace (the loopback cannot move). */
    public LinkChange namespace(final KernelNamespace target) {
        this.namespace = target;
        return this;
    }

    public LinkChange rename(final String name) {
        this.newName = LinkNames.check(name);
        return this;
    }

    public LinkChange group(final int value) {
        this.group = value;
        return this;
    }

    public Boolean upState() {
        return up;
    }

    public int mtu() {
        return mtu;
    }

    public String address() {
        return address;
    }

    public KernelNamespace namespace() {
        return namespace;
    }

    public String newName() {
        return newName;
    }

    public int group() {
        return group;
    }

    public boolean isEmpty() {
        return up == null && mtu == 0 && address == null && namespace == null && newName == null && group < 0;
    }
}
