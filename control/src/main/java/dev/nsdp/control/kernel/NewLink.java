package dev.nsdp.control.kernel;

import dev.nsdp.dataplane.nativ.KernelNamespace;
import java.util.Objects;

/**
 * What {@link RtNetlink#addLink} creates: a link of some kind with its optional settings. A veth's
 * peer can be named and placed in another namespace in the same request, so the pair is never
 * visible half-made; a macvlan needs its parent link.
 *
 * <pre>{@code
 * NewLink.veth("v0", "eth0").peerNamespace(KernelNamespace.named("red"))
 * NewLink.macvlan("mv0", "v1", MacvlanMode.BRIDGE).namespace(KernelNamespace.named("blue"))
 * }</pre>
 */
public final class NewLink {
    private final String name;
    private final String kind;
    private String peerName;
    private KernelNamespace namespace;
    private KernelNamespace peerNamespace;
    private String parent;
    private MacvlanMode macvlanMode;
    private int mtu;
    private String address;
    private int group = -1;
    private boolean up;

    private NewLink(final String name, final String kind) {
        this.name = LinkNames.check(name);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** A veth pair {@code name} ↔ {@code peerName} (peerName null: the kernel names it vethN). */
    public static NewLink veth(final String name, final String peerName) {
        final NewLink link = new NewLink(name, "veth");
        link.peerName = peerName == null ? null : LinkNames.check(peerName);
        return link;
    }

    /**
     * A macvlan endpoint on {@code parent} (a link in the namespace the request is made in); a null
     * mode leaves the kernel's default (vepa).
     */
    public static NewLink macvlan(final String name, final String parent, final MacvlanMode mode) {
        final NewLink link = new NewLink(name, "macvlan");
        link.parent = LinkNames.check(parent);
        link.macvlanMode = mode;
        return link;
    }

    /** A link of a kind that needs no kind-specific data (dummy, bridge ...). */
    public static NewLink ofKind(final String name, final String kind) {
        return new NewLink(name, kind);
    }

    /** The parent link (IFLA_LINK), for kinds that stack on another link. */
    public NewLink parent(final String parentName) {
        this.parent = LinkNames.check(parentName);
        return this;
    }

    /** Creates the link directly in another namespace (IFLA_NET_NS_FD). */
    public NewLink namespace(final KernelNamespace target) {
        this.namespace = target;
        return this;
    }

    /** Creates the veth peer directly in another namespace. */
    public NewLink peerNamespace(final KernelNamespace target) {
        requireKind("veth", "a peer namespace");
        this.peerNamespace = target;
        return this;
    }

    public NewLink mtu(final int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("MTU " + value + " is not positive");
        }
        this.mtu = value;
        return this;
    }

    /** The link's MAC address, "aa:bb:cc:dd:ee:ff". */
    public NewLink address(final String mac) {
        LinkNames.parseMac(mac);
        this.address = mac;
        return this;
    }

    /** The link's group (IFLA_GROUP): links of one group can be deleted together. */
    public NewLink group(final int value) {
        this.group = value;
        return this;
    }

    /** Creates the link administratively up. */
    public NewLink up() {
        this.up = true;
        return this;
    }

    public String name() {
        return name;
    }

    public String kind() {
        return kind;
    }

    public String peerName() {
        return peerName;
    }

    public KernelNamespace namespace() {
        return namespace;
    }

    public KernelNamespace peerNamespace() {
        return peerNamespace;
    }

    public String parent() {
        return parent;
    }

    public MacvlanMode macvlanMode() {
        return macvlanMode;
    }

    public int mtu() {
        return mtu;
    }

    public String address() {
        return address;
    }

    public int group() {
        return group;
    }

    public boolean isUp() {
        return up;
    }

    /** For messages: "veth 'v0' (peer 'eth0')". */
    public String describe() {
        final StringBuilder text = new StringBuilder(kind).append(" '").append(name).append('\'');
        if (peerName != null) {
            text.append(" (peer '").append(peerName).append('\'');
            if (peerNamespace != null) {
                text.append(" in namespace '").append(peerNamespace.displayName()).append('\'');
            }
            text.append(')');
        }
        if (parent != null) {
            text.append(" on '").append(parent).append('\'');
        }
        return text.toString();
    }

    private void requireKind(final String wanted, final String what) {
        if (!kind.equals(wanted)) {
            throw new IllegalArgumentException(what + " applies to " + wanted + " links only, not " + kind);
        }
    }
}
