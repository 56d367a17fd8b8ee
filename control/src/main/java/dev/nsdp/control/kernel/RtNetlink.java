package dev.nsdp.control.kernel;

import dev.nsdp.dataplane.nativ.Errno;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.nativ.LibC;
import dev.nsdp.dataplane.nativ.NativeException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * The rtnetlink client: links, addresses and routes of ONE kernel network namespace, configured
 * through a NETLINK_ROUTE socket opened inside that namespace (a socket keeps its namespace for
 * life, so the calling thread never changes namespace). No {@code ip} process is ever started.
 *
 * <pre>{@code
 * try (RtNetlink root = RtNetlink.open()) {
 *     root.addLink(NewLink.veth("v0", "eth0").peerNamespace(KernelNamespace.named("red")));
 *     root.setLink("v0", new LinkChange().up().mtu(1400));
 *     root.addAddress("v0", IpPrefix.parse("198.18.0.1/24"));
 * }
 * }</pre>
 *
 * <p>Every request is acked; a refusal becomes a {@link KernelException} that names the object, the
 * namespace, the errno and what to do. Bulk methods ({@link #addLinks}, {@link #deleteLinks})
 * pipeline many requests per system call and report failures per item.
 *
 * <p>Not thread-safe: one thread at a time (a socket carries one conversation).
 */
public final class RtNetlink implements AutoCloseable {
    private static final int DUMP_ATTEMPTS = 5;
    private static final int AF_UNSPEC = 0;

    private final NetlinkSocket socket;
    private final KernelNamespace namespace;
    private final NetlinkMessageWriter writer = new NetlinkMessageWriter(8192);

    private RtNetlink(final NetlinkSocket socket, final KernelNamespace namespace) {
        this.socket = socket;
        this.namespace = namespace;
    }

    /** A client for the caller's own network namespace. */
    public static RtNetlink open() {
        return open(KernelNamespace.current());
    }

    /** A client for {@code namespace}; its socket is opened on a thread that entered it. */
    public static RtNetlink open(final KernelNamespace namespace) {
        return new RtNetlink(namespace.call(NetlinkSocket::openHere), namespace);
    }

    /** A client for the named namespace {@code name} (/run/netns/NAME, as {@code ip netns add} makes). */
    public static RtNetlink openNamed(final String name) {
        NamedNamespaces.checkName(name);
        try {
            return open(KernelNamespace.named(name));
        } catch (final NativeException e) {
            if (e.errno() == Errno.ENOENT) {
                throw new KernelException("open namespace '" + name + "'", Errno.ENOENT, null,
                    "there is no network namespace '" + name + "': create it with `nsdp netns add " + name
                        + "`; `nsdp netns list` shows those that exist");
            }
            throw e;
        }
    }

    public KernelNamespace namespace() {
        return namespace;
    }

    @Override
    public void close() {
        socket.close();
    }

    // ---------------------------------------------------------------- links

    /** Every link of the namespace, in ifindex order (a link dump). */
    public List<Link> links() {
        return dump(RtMessages.RTM_GETLINK, RtMessages.IFINFOMSG_LENGTH, AF_UNSPEC, RtMessageParser::link,
            "list links" + where());
    }

    /** The link called {@code name}, if there is one. */
    public Optional<Link> findLink(final String name) {
        LinkNames.check(name);
        final List<Link> found = new ArrayList<>(1);
        writer.reset();
        writer.begin(RtMessages.RTM_GETLINK, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK,
            socket.nextSequence());
        writer.struct(RtMessages.IFINFOMSG_LENGTH);
        writer.attributeString(LinkAttributes.IFLA_IFNAME, name);
        writer.end();
        final NetlinkSocket.Ack ack = socket.exchange(writer, part -> {
            if (part.type() == RtMessages.RTM_NEWLINK) {
                found.add(RtMessageParser.link(part));
            }
        });
        if (ack.errno() == Errno.ENODEV) {
            return Optional.empty();
        }
        check(ack, "look up link '" + name + "'" + where(), errno -> null);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The link called {@code name}; throws ENODEV with a hint when there is none. */
    public Link link(final String name) {
        return findLink(name).orElseThrow(() -> new KernelException("look up link '" + name + "'" + where(),
            Errno.ENODEV, null, noSuchLink(name)));
    }

    /** Creates a link (veth pair, macvlan, ...); nothing is left behind when the kernel refuses. */
    public void addLink(final NewLink link) {
        final BulkResult result = addLinks(List.of(link));
        if (!result.ok()) {
            throw result.failures().get(0).error();
        }
    }

    /**
     * Creates many links, pipelined: up to {@link NetlinkSocket#MAX_BATCH_MESSAGES} requests per
     * sendto, acks collected by sequence number. Each item succeeds or fails on its own.
     */
    public BulkResult addLinks(final List<NewLink> links) {
        final List<BulkResult.Failure> failures = new ArrayList<>();
        for (int start = 0; start < links.size(); start += NetlinkSocket.MAX_BATCH_MESSAGES) {
            final int end = Math.min(links.size(), start + NetlinkSocket.MAX_BATCH_MESSAGES);
            final List<Integer> fds = new ArrayList<>();
            final int[] requestOf = new int[end - start];
            int requests = 0;
            // Parent lookups are requests of their own: done before the batch is written.
            final int[] parents = new int[end - start];
            for (int i = start; i < end; i++) {
                try {
                    parents[i - start] = parentIndex(links.get(i));
                } catch (final RuntimeException e) {
                    parents[i - start] = -1;
                    failures.add(new BulkResult.Failure(i, e));
                }
            }
            writer.reset();
            try {
                for (int i = start; i < end; i++) {
                    if (parents[i - start] < 0) {
                        continue;
                    }
                    try {
                        writeNewLink(links.get(i), parents[i - start], fds);
                        requestOf[requests++] = i;
                    } catch (final RuntimeException e) {
                        failures.add(new BulkResult.Failure(i, e));
                    }
                }
                if (requests > 0) {
                    final NetlinkSocket.Ack[] acks = socket.transact(writer);
                    for (int r = 0; r < requests; r++) {
                        if (!acks[r].ok()) {
                            final NewLink link = links.get(requestOf[r]);
                            failures.add(new BulkResult.Failure(requestOf[r], addLinkFailure(link, acks[r])));
                        }
                    }
                }
            } finally {
                for (final int fd : fds) {
                    LibC.close(fd);
                }
            }
        }
        failures.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return new BulkResult(links.size(), failures);
    }

    /** Deletes a link; deleting either end of a veth pair deletes the pair. */
    public void deleteLink(final String name) {
        LinkNames.check(name);
        writer.reset();
        writer.begin(RtMessages.RTM_DELLINK, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK,
            socket.nextSequence());
        writer.struct(RtMessages.IFINFOMSG_LENGTH);
        writer.attributeString(LinkAttributes.IFLA_IFNAME, name);
        writer.end();
        check(socket.transactOne(writer), "delete link '" + name + "'" + where(), errno -> deleteHint(name, errno));
    }

    /**
     * Deletes many links with one kernel transaction: each is first tagged with a link group no
     * link of the namespace uses, then the whole group goes in one RTM_DELLINK. Deleting links one
     * by one pays the kernel's unregistration grace periods per link (milliseconds each); a group
     * pays them once. Links that cannot be tagged (no such link) fail on their own; if the group
     * delete is refused (a kind without netlink delete), the tagged links are deleted one by one.
     * Returns when the kernel has unregistered the links.
     */
    public BulkResult deleteLinks(final List<String> names) {
        final List<BulkResult.Failure> failures = new ArrayList<>();
        if (names.isEmpty()) {
            return new BulkResult(0, failures);
        }
        // One dump: the groups in use, and the links without a kind (loopback, physical devices),
        // which netlink cannot delete: those are not tagged (they would be left in the group),
        // they fail on their own below.
        final Set<Integer> usedGroups = new HashSet<>();
        final Set<String> kindless = new HashSet<>();
        for (final Link link : links()) {
            usedGroups.add(link.group());
            if (link.kind() == null) {
                kindless.add(link.name());
            }
        }
        final int group = unusedGroup(usedGroups);
        final List<Integer> tagged = new ArrayList<>();
        final List<Integer> untagged = new ArrayList<>();
        forEachChunk(names.size(), (start, end) -> {
            writer.reset();
            final List<Integer> requestOf = new ArrayList<>();
            for (int i = start; i < end; i++) {
                try {
                    LinkNames.check(names.get(i));
                    if (kindless.contains(names.get(i))) {
                        untagged.add(i);
                        continue;
                    }
                    writeSetLink(names.get(i), 0, new LinkChange().group(group), null);
                    requestOf.add(i);
                } catch (final RuntimeException e) {
                    failures.add(new BulkResult.Failure(i, e));
                }
            }
            if (requestOf.isEmpty()) {
                return;
            }
            final NetlinkSocket.Ack[] acks = socket.transact(writer);
            for (int r = 0; r < acks.length; r++) {
                final int i = requestOf.get(r);
                if (acks[r].ok()) {
                    tagged.add(i);
                } else {
                    failures.add(new BulkResult.Failure(i, failure(acks[r],
                        "delete link '" + names.get(i) + "'" + where(), deleteHint(names.get(i), acks[r].errno()))));
                }
            }
        });
        if (!tagged.isEmpty()) {
            try {
                deleteGroup(group);
            } catch (final KernelException e) {
                if (e.errno() != Errno.EOPNOTSUPP) {
                    throw e;
                }
                deleteEach(names, tagged, failures);
            }
        }
        if (!untagged.isEmpty()) {
            deleteEach(names, untagged, failures);
        }
        failures.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return new BulkResult(names.size(), failures);
    }

    /** Deletes every link whose group is {@code group} ({@code ip link del group N}). */
    public void deleteGroup(final int group) {
        if (group == 0) {
            throw new IllegalArgumentException("group 0 is the default group of every link: refusing to delete it");
        }
        writer.reset();
        writer.begin(RtMessages.RTM_DELLINK, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK,
            socket.nextSequence());
        writer.struct(RtMessages.IFINFOMSG_LENGTH);
        writer.attributeU32(LinkAttributes.IFLA_GROUP, group);
        writer.end();
        check(socket.transactOne(writer), "delete link group " + group + where(), errno -> errno == Errno.EOPNOTSUPP
            ? "a link of the group cannot be deleted over netlink" : null);
    }

    /** Applies {@code change} to link {@code name} in one request. */
    public void setLink(final String name, final LinkChange change) {
        LinkNames.check(name);
        if (change.isEmpty()) {
            return;
        }
        final List<Integer> fds = new ArrayList<>(1);
        try {
            // A rename names the link by index: the name attribute then carries the new name.
            final int index = change.newName() == null ? 0 : link(name).index();
            writer.reset();
            writeSetLink(name, index, change, fds);
            check(socket.transactOne(writer), "set link '" + name + "'" + where(), errno -> setHint(name, change, errno));
        } finally {
            for (final int fd : fds) {
                LibC.close(fd);
            }
        }
    }

    public void setUp(final String name) {
        setLink(name, new LinkChange().up());
    }

    public void setDown(final String name) {
        setLink(name, new LinkChange().down());
    }

    public void setMtu(final String name, final int mtu) {
        setLink(name, new LinkChange().mtu(mtu));
    }

    public void setAddress(final String name, final String mac) {
        setLink(name, new LinkChange().address(mac));
    }

    /** Moves link {@code name} into {@code target}: it disappears here and appears there. */
    public void moveToNamespace(final String name, final KernelNamespace target) {
        setLink(name, new LinkChange().namespace(target));
    }

    // ---------------------------------------------------------------- addresses

    /** Every address of every link (IPv4 and IPv6). */
    public List<Address> addresses() {
        return addresses(AF_UNSPEC);
    }

    /** Addresses of one family (IpPrefix.AF_INET / AF_INET6), or all with 0. */
    public List<Address> addresses(final int family) {
        return dump(RtMessages.RTM_GETADDR, RtMessages.IFADDRMSG_LENGTH, family, RtMessageParser::address,
            "list addresses" + where());
    }

    /** Adds {@code prefix} (address and prefix length) to link {@code link}. */
    public void addAddress(final String link, final IpPrefix prefix) {
        modifyAddress(RtMessages.RTM_NEWADDR, link, prefix);
    }

    public void deleteAddress(final String link, final IpPrefix prefix) {
        modifyAddress(RtMessages.RTM_DELADDR, link, prefix);
    }

    // ---------------------------------------------------------------- routes

    /** The routes of the main table of one family (IpPrefix.AF_INET / AF_INET6), as {@code ip route show}. */
    public List<Route> routes(final int family) {
        return routes(family, RouteAttributes.RT_TABLE_MAIN);
    }

    /** The routes of one table (0: every table), without cached clones. */
    public List<Route> routes(final int family, final int table) {
        final List<Route> all = dump(RtMessages.RTM_GETROUTE, RtMessages.RTMSG_LENGTH, family, RtMessageParser::route,
            "list routes" + where());
        final List<Route> selected = new ArrayList<>(all.size());
        for (final Route route : all) {
            if ((route.flags() & RouteAttributes.RTM_F_CLONED) == 0 && (table == 0 || route.table() == table)) {
                selected.add(route);
            }
        }
        return selected;
    }

    public void addRoute(final RouteSpec route) {
        if (route.gateway() == null && route.device() == null) {
            throw new IllegalArgumentException("route " + route.describe() + " needs 'via GATEWAY' or 'dev LINK'");
        }
        modifyRoute(RtMessages.RTM_NEWROUTE, route);
    }

    public void deleteRoute(final RouteSpec route) {
        modifyRoute(RtMessages.RTM_DELROUTE, route);
    }

    // ---------------------------------------------------------------- namespace ids

    /**
     * The id this namespace knows {@code other} by (what ip prints as link_netnsid and as
     * {@code (id: N)} in {@code ip netns list}), or -1 when none is assigned.
     */
    public int namespaceId(final KernelNamespace other) {
        final int fd = openNamespace(other);
        try {
            final int[] id = {RtMessages.NETNSA_NSID_NOT_ASSIGNED};
            writer.reset();
            writer.begin(RtMessages.RTM_GETNSID, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK,
                socket.nextSequence());
            writer.struct(RtMessages.RTGENMSG_LENGTH);
            writer.attributeU32(RtMessages.NETNSA_FD, fd);
            writer.end();
            final NetlinkSocket.Ack ack = socket.exchange(writer, part -> {
                if (part.type() == RtMessages.RTM_NEWNSID) {
                    id[0] = NetlinkAttributes.parse(part.segment(), part.bodyOffset() + RtMessages.RTGENMSG_LENGTH,
                        part.bodyLength() - RtMessages.RTGENMSG_LENGTH).u32(RtMessages.NETNSA_NSID, -1);
                }
            });
            check(ack, "get the id of namespace '" + other.displayName() + "'" + where(), errno -> null);
            return id[0];
        } finally {
            LibC.close(fd);
        }
    }

    // ---------------------------------------------------------------- requests

    /** The ifindex of a new link's parent, 0 when it has none. */
    private int parentIndex(final NewLink link) {
        if (link.parent() == null) {
            return 0;
        }
        return findLink(link.parent()).map(Link::index).orElseThrow(() -> new KernelException(
            "add " + link.describe() + where(), Errno.ENODEV, null,
            "the parent link '" + link.parent() + "' does not exist" + where() + ": "
                + command("link show") + " lists the links"));
    }

    private void writeNewLink(final NewLink link, final int parentIndex, final List<Integer> fds) {
        final int linkFd = link.namespace() == null ? -1 : openNamespaceFor(link.namespace(), fds);
        final int peerFd = link.peerNamespace() == null ? -1 : openNamespaceFor(link.peerNamespace(), fds);
        writer.begin(RtMessages.RTM_NEWLINK, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK
            | NetlinkProtocol.NLM_F_CREATE | NetlinkProtocol.NLM_F_EXCL, socket.nextSequence());
        final int header = writer.struct(RtMessages.IFINFOMSG_LENGTH);
        if (link.isUp()) {
            writer.putInt(header + RtMessages.IFI_FLAGS, LinkAttributes.IFF_UP);
            writer.putInt(header + RtMessages.IFI_CHANGE, LinkAttributes.IFF_UP);
        }
        writer.attributeString(LinkAttributes.IFLA_IFNAME, link.name());
        if (parentIndex != 0) {
            writer.attributeU32(LinkAttributes.IFLA_LINK, parentIndex);
        }
        if (link.mtu() > 0) {
            writer.attributeU32(LinkAttributes.IFLA_MTU, link.mtu());
        }
        if (link.address() != null) {
            writer.attributeBytes(LinkAttributes.IFLA_ADDRESS, LinkNames.parseMac(link.address()));
        }
        if (link.group() >= 0) {
            writer.attributeU32(LinkAttributes.IFLA_GROUP, link.group());
        }
        if (linkFd >= 0) {
            writer.attributeU32(LinkAttributes.IFLA_NET_NS_FD, linkFd);
        }
        writer.beginNested(LinkAttributes.IFLA_LINKINFO);
        writer.attributeString(LinkAttributes.IFLA_INFO_KIND, link.kind());
        if (link.kind().equals("veth")) {
            writer.beginNested(LinkAttributes.IFLA_INFO_DATA);
            writer.beginNested(LinkAttributes.VETH_INFO_PEER);
            // The peer's payload starts with its own ifinfomsg, then its attributes.
            writer.struct(RtMessages.IFINFOMSG_LENGTH);
            if (link.peerName() != null) {
                writer.attributeString(LinkAttributes.IFLA_IFNAME, link.peerName());
            }
            if (peerFd >= 0) {
                writer.attributeU32(LinkAttributes.IFLA_NET_NS_FD, peerFd);
            }
            writer.endNested();
            writer.endNested();
        } else if (link.kind().equals("macvlan") && link.macvlanMode() != null) {
            writer.beginNested(LinkAttributes.IFLA_INFO_DATA);
            writer.attributeU32(LinkAttributes.IFLA_MACVLAN_MODE, link.macvlanMode().value());
            writer.endNested();
        }
        writer.endNested();
        writer.end();
    }

    private void writeSetLink(final String name, final int index, final LinkChange change, final List<Integer> fds) {
        final int fd = change.namespace() == null ? -1 : openNamespaceFor(change.namespace(), fds);
        writer.begin(RtMessages.RTM_NEWLINK, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK,
            socket.nextSequence());
        final int header = writer.struct(RtMessages.IFINFOMSG_LENGTH);
        if (change.upState() != null) {
            writer.putInt(header + RtMessages.IFI_FLAGS, change.upState() ? LinkAttributes.IFF_UP : 0);
            writer.putInt(header + RtMessages.IFI_CHANGE, LinkAttributes.IFF_UP);
        }
        if (index > 0) {
            writer.putInt(header + RtMessages.IFI_INDEX, index);
            writer.attributeString(LinkAttributes.IFLA_IFNAME, change.newName());
        } else {
            writer.attributeString(LinkAttributes.IFLA_IFNAME, name);
        }
        if (change.mtu() > 0) {
            writer.attributeU32(LinkAttributes.IFLA_MTU, change.mtu());
        }
        if (change.address() != null) {
            writer.attributeBytes(LinkAttributes.IFLA_ADDRESS, LinkNames.parseMac(change.address()));
        }
        if (change.group() >= 0) {
            writer.attributeU32(LinkAttributes.IFLA_GROUP, change.group());
        }
        if (fd >= 0) {
            writer.attributeU32(LinkAttributes.IFLA_NET_NS_FD, fd);
        }
        writer.end();
    }

    private void modifyAddress(final int type, final String linkName, final IpPrefix prefix) {
        final boolean add = type == RtMessages.RTM_NEWADDR;
        final String operation = (add ? "add address " : "delete address ") + prefix + (add ? " to" : " from")
            + " link '" + linkName + "'" + where();
        final Link link = findLink(linkName).orElseThrow(() -> new KernelException(operation, Errno.ENODEV, null,
            noSuchLink(linkName)));
        final byte[] bytes = prefix.address().getAddress();
        writer.reset();
        writer.begin(type, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK
            | (add ? NetlinkProtocol.NLM_F_CREATE | NetlinkProtocol.NLM_F_EXCL : 0), socket.nextSequence());
        final int header = writer.struct(RtMessages.IFADDRMSG_LENGTH);
        writer.putByte(header + RtMessages.IFA_FAMILY, prefix.family());
        writer.putByte(header + RtMessages.IFA_PREFIXLEN, prefix.length());
        if (add && prefix.family() == IpPrefix.AF_INET && (bytes[0] & 0xFF) == 127) {
            writer.putByte(header + RtMessages.IFA_SCOPE, RouteAttributes.RT_SCOPE_HOST);
        }
        writer.putInt(header + RtMessages.IFA_INDEX, link.index());
        writer.attributeBytes(AddressAttributes.IFA_LOCAL, bytes);
        writer.attributeBytes(AddressAttributes.IFA_ADDRESS, bytes);
        writer.end();
        check(socket.transactOne(writer), operation, errno -> switch (errno) {
            case Errno.EEXIST -> "the address is already on link '" + linkName + "'";
            case Errno.EADDRNOTAVAIL -> "link '" + linkName + "' has no address " + prefix + ": "
                + command("addr show dev " + linkName) + " lists its addresses";
            case Errno.EPERM -> permissionHint();
            default -> null;
        });
    }

    private void modifyRoute(final int type, final RouteSpec route) {
        final boolean add = type == RtMessages.RTM_NEWROUTE;
        final String operation = (add ? "add route " : "delete route ") + route.describe() + where();
        int outputIndex = 0;
        if (route.device() != null) {
            outputIndex = findLink(route.device()).map(Link::index).orElseThrow(() -> new KernelException(operation,
                Errno.ENODEV, null, noSuchLink(route.device())));
        }
        final IpPrefix destination = route.destination();
        writer.reset();
        writer.begin(type, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK
            | (add ? NetlinkProtocol.NLM_F_CREATE | NetlinkProtocol.NLM_F_EXCL : 0), socket.nextSequence());
        final int header = writer.struct(RtMessages.RTMSG_LENGTH);
        final int table = route.table() == 0 ? RouteAttributes.RT_TABLE_MAIN : route.table();
        writer.putByte(header + RtMessages.RTM_FAMILY, destination.family());
        writer.putByte(header + RtMessages.RTM_DST_LEN, destination.length());
        writer.putByte(header + RtMessages.RTM_TABLE, table < 256 ? table : 0);
        if (add) {
            writer.putByte(header + RtMessages.RTM_PROTOCOL, RouteAttributes.RTPROT_BOOT);
            writer.putByte(header + RtMessages.RTM_SCOPE, route.gateway() == null
                ? RouteAttributes.RT_SCOPE_LINK : RouteAttributes.RT_SCOPE_UNIVERSE);
            writer.putByte(header + RtMessages.RTM_TYPE, RouteAttributes.RTN_UNICAST);
        } else {
            // As ip does: scope "nowhere" in a delete matches a route of any scope.
            writer.putByte(header + RtMessages.RTM_SCOPE, RouteAttributes.RT_SCOPE_NOWHERE);
        }
        if (table >= 256) {
            writer.attributeU32(RouteAttributes.RTA_TABLE, table);
        }
        if (destination.length() > 0) {
            writer.attributeBytes(RouteAttributes.RTA_DST, destination.address().getAddress());
        }
        if (route.gateway() != null) {
            writer.attributeBytes(RouteAttributes.RTA_GATEWAY, route.gateway().getAddress());
        }
        if (outputIndex != 0) {
            writer.attributeU32(RouteAttributes.RTA_OIF, outputIndex);
        }
        if (route.metric() >= 0) {
            writer.attributeU32(RouteAttributes.RTA_PRIORITY, (int) route.metric());
        }
        writer.end();
        final InetAddress gateway = route.gateway();
        check(socket.transactOne(writer), operation, errno -> switch (errno) {
            case Errno.EEXIST -> "a route to " + route.describe().split(" ")[0] + " already exists in that table: "
                + "delete it first (" + command("route del " + route.describe()) + ")";
            case Errno.ESRCH -> "there is no such route: " + command("route show") + " lists the routes";
            case Errno.ENETUNREACH -> "gateway " + IpPrefix.format(gateway)
                + " is not on any connected subnet: add an address in its subnet to a link first";
            case Errno.ENODEV -> "the output link is gone or has no carrier for this route";
            case Errno.EINVAL -> destination.isNetwork() ? null
                : destination + " has host bits set: did you mean " + destination.network() + "?";
            case Errno.EPERM -> permissionHint();
            default -> null;
        });
    }

    private <T> List<T> dump(final int type, final int headerLength, final int family,
                             final java.util.function.Function<NetlinkSocket.Part, T> parser, final String operation) {
        for (int attempt = 1; ; attempt++) {
            final List<T> items = new ArrayList<>();
            writer.reset();
            writer.begin(type, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_DUMP, socket.nextSequence());
            final int header = writer.struct(headerLength);
            writer.putByte(header, family);
            writer.end();
            final int replyType = type - 2; // RTM_GET* answers with RTM_NEW*
            final NetlinkSocket.Ack ack = socket.exchange(writer, part -> {
                if (part.type() == replyType) {
                    items.add(parser.apply(part));
                }
            });
            if (ack.interrupted() && attempt < DUMP_ATTEMPTS) {
                continue; // the table changed under the dump: take a consistent one
            }
            check(ack, operation, errno -> null);
            return items;
        }
    }

    private void deleteEach(final List<String> names, final List<Integer> indexes,
                            final List<BulkResult.Failure> failures) {
        forEachChunk(indexes.size(), (start, end) -> {
            writer.reset();
            for (int k = start; k < end; k++) {
                writer.begin(RtMessages.RTM_DELLINK, NetlinkProtocol.NLM_F_REQUEST | NetlinkProtocol.NLM_F_ACK,
                    socket.nextSequence());
                writer.struct(RtMessages.IFINFOMSG_LENGTH);
                writer.attributeString(LinkAttributes.IFLA_IFNAME, names.get(indexes.get(k)));
                writer.end();
            }
            final NetlinkSocket.Ack[] acks = socket.transact(writer);
            for (int k = start; k < end; k++) {
                final NetlinkSocket.Ack ack = acks[k - start];
                final String name = names.get(indexes.get(k));
                // ENODEV after an earlier item deleted its veth peer: the link is gone, as asked.
                if (!ack.ok() && ack.errno() != Errno.ENODEV) {
                    failures.add(new BulkResult.Failure(indexes.get(k), failure(ack,
                        "delete link '" + name + "'" + where(), deleteHint(name, ack.errno()))));
                }
            }
        });
    }

    /** A link group no link of this namespace is in (random, so concurrent bulk deletes do not meet). */
    private static int unusedGroup(final Set<Integer> used) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            final int group = ThreadLocalRandom.current().nextInt(0x4E53_0000, 0x4E54_0000);
            if (!used.contains(group)) {
                return group;
            }
        }
        throw new IllegalStateException("no free link group");
    }

    private interface ChunkAction {
        void run(int start, int end);
    }

    private static void forEachChunk(final int count, final ChunkAction action) {
        for (int start = 0; start < count; start += NetlinkSocket.MAX_BATCH_MESSAGES) {
            action.run(start, Math.min(count, start + NetlinkSocket.MAX_BATCH_MESSAGES));
        }
    }

    // ---------------------------------------------------------------- errors

    private void check(final NetlinkSocket.Ack ack, final String operation, final IntFunction<String> hint) {
        if (!ack.ok()) {
            throw failure(ack, operation, hint.apply(ack.errno()));
        }
    }

    private KernelException failure(final NetlinkSocket.Ack ack, final String operation, final String hint) {
        return new KernelException(operation, ack.errno(), ack.kernelMessage(),
            hint != null ? hint : ack.errno() == Errno.EPERM ? permissionHint() : null);
    }

    private KernelException addLinkFailure(final NewLink link, final NetlinkSocket.Ack ack) {
        final String operation = "add " + link.describe() + where();
        String hint = null;
        switch (ack.errno()) {
            case Errno.EEXIST -> {
                if (findLink(link.name()).isPresent()) {
                    hint = "link '" + link.name() + "' already exists" + where() + ": pick another name or delete it ("
                        + command("link del dev " + link.name()) + ")";
                } else if (link.peerName() != null) {
                    hint = "the peer name '" + link.peerName() + "' is taken in "
                        + (link.peerNamespace() == null ? "this namespace" : "namespace '"
                        + link.peerNamespace().displayName() + "'") + ": pick another peer name or delete that link";
                } else {
                    hint = "a link of that name already exists: pick another name";
                }
            }
            case Errno.EOPNOTSUPP -> hint = "the kernel has no link kind '" + link.kind()
                + "' (is its module loaded? try `modprobe " + link.kind() + "`)";
            case Errno.EBUSY -> hint = link.kind().equals("macvlan")
                ? "parent '" + link.parent() + "' is busy: passthru needs a parent without other macvlans, "
                + "and other modes a parent that is not in passthru"
                : "a device it needs is busy";
            case Errno.EINVAL -> hint = link.parent() != null && link.kind().equals("macvlan")
                ? "check the parent '" + link.parent() + "' and the mode: a macvlan parent must be an Ethernet link, "
                + "passthru needs a parent without other macvlans, and a parent in passthru takes no others"
                : null;
            default -> {
            }
        }
        return failure(ack, operation, hint);
    }

    private String deleteHint(final String name, final int errno) {
        return switch (errno) {
            case Errno.ENODEV -> noSuchLink(name);
            case Errno.EOPNOTSUPP -> "link '" + name + "' is of a kind that cannot be deleted (a loopback or a physical device)";
            case Errno.EPERM -> permissionHint();
            default -> null;
        };
    }

    private String setHint(final String name, final LinkChange change, final int errno) {
        return switch (errno) {
            case Errno.ENODEV -> noSuchLink(name);
            case Errno.EEXIST -> change.namespace() != null
                ? "a link named '" + name + "' already exists in namespace '" + change.namespace().displayName()
                + "': rename one of them first"
                : "the name '" + change.newName() + "' is taken: pick another";
            case Errno.EINVAL -> change.namespace() != null
                ? "link '" + name + "' cannot leave its namespace (a loopback, or a device bound to it)"
                : change.mtu() > 0 ? "MTU " + change.mtu() + " is outside what link '" + name + "' accepts" : null;
            case Errno.EADDRNOTAVAIL -> change.address() != null
                ? change.address() + " is not usable as a link address (it must be unicast: even first byte)" : null;
            case Errno.EBUSY -> "link '" + name + "' is busy: take it down first (" + command("link set dev " + name
                + " down") + ")";
            case Errno.EPERM -> permissionHint();
            default -> null;
        };
    }

    private String noSuchLink(final String name) {
        return "there is no link '" + name + "'" + where() + ": " + command("link show") + " lists the links";
    }

    private static String permissionHint() {
        return "CAP_NET_ADMIN is needed: run as root";
    }

    /** " in namespace 'red'", or "" for the caller's own namespace. */
    private String where() {
        return namespace.isCurrent() ? "" : " in namespace '" + namespace.displayName() + "'";
    }

    /** "`nsdp -n red link show`": the command to type, for hints. */
    private String command(final String arguments) {
        return "`nsdp " + (namespace.isCurrent() ? "" : "-n " + namespace.displayName() + " ") + arguments + "`";
    }

    private int openNamespaceFor(final KernelNamespace target, final List<Integer> fds) {
        final int fd = openNamespace(target);
        fds.add(fd);
        return fd;
    }

    /** A descriptor of {@code target}'s namespace for IFLA_NET_NS_FD / NETNSA_FD; the caller closes it. */
    static int openNamespace(final KernelNamespace target) {
        final String path = target.isCurrent() ? "/proc/thread-self/ns/net" : target.path().toString();
        final int fd = LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0) {
            final boolean named = target.path() != null && target.path().startsWith(KernelNamespace.NAMED_DIR);
            throw new KernelException("open namespace '" + target.displayName() + "'", -fd, null,
                -fd == Errno.ENOENT && named
                    ? "there is no network namespace '" + target.displayName() + "': create it with `nsdp netns add "
                    + target.displayName() + "`"
                    : -fd == Errno.ENOENT ? "no such namespace (is the process gone?)" : null);
        }
        return fd;
    }

}
