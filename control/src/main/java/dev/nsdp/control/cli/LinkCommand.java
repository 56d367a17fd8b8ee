package dev.nsdp.control.cli;

import dev.nsdp.control.kernel.BulkResult;
import dev.nsdp.control.kernel.KernelException;
import dev.nsdp.control.kernel.Link;
import dev.nsdp.control.kernel.LinkChange;
import dev.nsdp.control.kernel.LinkNames;
import dev.nsdp.control.kernel.MacvlanMode;
import dev.nsdp.control.kernel.NewLink;
import dev.nsdp.dataplane.nativ.Errno;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code nsdp link ...}: veth pairs, macvlan endpoints, up/down, MTU, MAC, moving between namespaces. */
final class LinkCommand implements ObjectCommand {
    static final String USAGE = """
        Usage: nsdp [-n NS] link add [link PARENT] [name] NAME [address MAC] [mtu N] [netns NS] [group N] [up]
                                     type TYPE [ARGS]
               nsdp [-n NS] link set [dev] NAME [up | down] [mtu N] [address MAC] [netns NS] [name NEWNAME] [group N]
               nsdp [-n NS] link del [dev] NAME | group N
               nsdp [-n NS] link show [[dev] NAME] [up]
        TYPE [ARGS] := veth [peer [name] PEER [netns NS]]
                     | macvlan [mode { bridge | private | vepa | passthru | source }]   (needs link PARENT)
                     | dummy | bridge | ...                                             (kinds without options)
        NS is a name from `nsdp netns list` (or a process id). Deleting either end of a veth deletes the pair.""";

    @Override
    public String name() {
        return "link";
    }

    @Override
    public String summary() {
        return "network links: veth pairs, macvlan, up/down, mtu, address, move to a namespace";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Action parse(final Arguments args, final CliContext context) {
        args.usage(USAGE);
        if (!args.hasNext()) {
            return new Show(null, false);
        }
        final String command = args.next();
        if (Arguments.isHelp(command)) {
            return Help.of(USAGE);
        }
        if (Arguments.matches(command, "add")) {
            return parseAdd(args);
        }
        if (Arguments.matches(command, "set")) {
            return parseSet(args);
        }
        if (Arguments.matches(command, "delete")) {
            return parseDelete(args);
        }
        if (Arguments.matches(command, "show") || Arguments.matches(command, "list") || command.equals("lst")) {
            return parseShow(args);
        }
        throw args.unknown(command, "link command (add, set, del, show)");
    }

    private static Action parseAdd(final Arguments args) {
        String parent = null;
        String name = null;
        String address = null;
        int mtu = 0;
        String netns = null;
        int group = -1;
        boolean up = false;
        String kind = null;
        while (args.hasNext() && kind == null) {
            final String word = args.next();
            if (Arguments.isHelp(word)) {
                return Help.of(USAGE);
            }
            switch (word) {
                case "link" -> parent = args.valueOf("link");
                case "name", "dev" -> name = args.valueOf(word);
                case "address" -> address = args.valueOf("address");
                case "mtu" -> mtu = args.intValueOf("mtu", 1, Integer.MAX_VALUE);
                case "netns" -> netns = args.valueOf("netns");
                case "group" -> group = args.intValueOf("group", 0, 0xFFFF_FFFFL);
                case "up" -> up = true;
                case "type" -> kind = args.valueOf("type");
                default -> {
                    if (name != null) {
                        throw args.unknown(word, "link add option");
                    }
                    name = word;
                }
            }
        }
        if (name == null) {
            throw new UsageException("link add needs a NAME", USAGE);
        }
        if (kind == null) {
            throw new UsageException("link add needs 'type TYPE' (veth, macvlan, ...)", USAGE);
        }
        final NewLink link;
        switch (kind) {
            case "veth" -> {
                String peer = null;
                String peerNetns = null;
                if (args.hasNext()) {
                    final String word = args.next();
                    if (!word.equals("peer")) {
                        throw args.unknown(word, "veth option (peer)");
                    }
                    while (args.hasNext()) {
                        final String option = args.next();
                        switch (option) {
                            case "name", "dev" -> peer = args.valueOf(option);
                            case "netns" -> peerNetns = args.valueOf("netns");
                            default -> {
                                if (peer != null) {
                                    throw args.unknown(option, "veth peer option (name, netns)");
                                }
                                peer = option;
                            }
                        }
                    }
                }
                link = NewLink.veth(name, peer);
                if (peerNetns != null) {
                    link.peerNamespace(CliContext.resolveNetns(peerNetns));
                }
            }
            case "macvlan" -> {
                MacvlanMode mode = null;
                while (args.hasNext()) {
                    final String option = args.next();
                    if (!option.equals("mode")) {
                        throw args.unknown(option, "macvlan option (mode)");
                    }
                    mode = MacvlanMode.parse(args.valueOf("mode"));
                }
                if (parent == null) {
                    throw new UsageException("a macvlan needs its parent: link add link PARENT name " + name
                        + " type macvlan mode bridge", USAGE);
                }
                link = NewLink.macvlan(name, parent, mode);
                parent = null;
            }
            default -> {
                if (args.hasNext()) {
                    throw new UsageException("options of link type '" + kind + "' are not supported: '"
                        + args.peek() + "'", USAGE);
                }
                link = NewLink.ofKind(name, kind);
            }
        }
        if (parent != null) {
            link.parent(parent);
        }
        if (address != null) {
            link.address(address);
        }
        if (mtu > 0) {
            link.mtu(mtu);
        }
        if (netns != null) {
            link.namespace(CliContext.resolveNetns(netns));
        }
        if (group >= 0) {
            link.group(group);
        }
        if (up) {
            link.up();
        }
        return new Add(link);
    }

    private static Action parseSet(final Arguments args) {
        String name = null;
        final LinkChange change = new LinkChange();
        while (args.hasNext()) {
            final String word = args.next();
            if (Arguments.isHelp(word)) {
                return Help.of(USAGE);
            }
            switch (word) {
                case "dev" -> name = args.valueOf("dev");
                case "up" -> change.up();
                case "down" -> change.down();
                case "mtu" -> change.mtu(args.intValueOf("mtu", 1, Integer.MAX_VALUE));
                case "address" -> change.address(args.valueOf("address"));
                case "netns" -> change.namespace(CliContext.resolveNetns(args.valueOf("netns")));
                case "name" -> change.rename(args.valueOf("name"));
                case "group" -> change.group(args.intValueOf("group", 0, 0xFFFF_FFFFL));
                default -> {
                    if (name != null) {
                        throw args.unknown(word, "link set option");
                    }
                    name = word;
                }
            }
        }
        if (name == null) {
            throw new UsageException("link set needs the link: link set dev NAME ...", USAGE);
        }
        LinkNames.check(name);
        if (change.isEmpty()) {
            throw new UsageException("link set " + name + ": nothing to change (up, down, mtu, address, netns, name, group)",
                USAGE);
        }
        return new Set(name, change);
    }

    private static Action parseDelete(final Arguments args) {
        String name = null;
        int group = -1;
        while (args.hasNext()) {
            final String word = args.next();
            if (Arguments.isHelp(word)) {
                return Help.of(USAGE);
            }
            switch (word) {
                case "dev" -> name = args.valueOf("dev");
                case "group" -> group = args.intValueOf("group", 1, 0xFFFF_FFFFL);
                default -> {
                    if (name != null) {
                        throw args.unknown(word, "link del option");
                    }
                    name = word;
                }
            }
        }
        if (group >= 0 && name == null) {
            return new DeleteGroup(group);
        }
        if (name == null || group >= 0) {
            throw new UsageException("link del needs one link (link del dev NAME) or one group (link del group N)", USAGE);
        }
        return new Delete(LinkNames.check(name));
    }

    private static Action parseShow(final Arguments args) {
        String name = null;
        boolean upOnly = false;
        while (args.hasNext()) {
            final String word = args.next();
            if (Arguments.isHelp(word)) {
                return Help.of(USAGE);
            }
            switch (word) {
                case "dev" -> name = args.valueOf("dev");
                case "up" -> upOnly = true;
                default -> {
                    if (name != null) {
                        throw args.unknown(word, "link show option");
                    }
                    name = word;
                }
            }
        }
        if (name != null) {
            LinkNames.check(name);
        }
        return new Show(name, upOnly);
    }

    record Add(NewLink link) implements BulkAction {
        @Override
        public int run(final CliContext context) {
            context.rtnl().addLink(link);
            return 0;
        }

        @Override
        public String bulkKey() {
            return "link add";
        }

        @Override
        public BulkResult runAll(final CliContext context, final List<BulkAction> run) {
            final List<NewLink> links = new ArrayList<>(run.size());
            for (final BulkAction action : run) {
                links.add(((Add) action).link);
            }
            return context.rtnl().addLinks(links);
        }
    }

    record Delete(String name) implements BulkAction {
        @Override
        public int run(final CliContext context) {
            context.rtnl().deleteLink(name);
            return 0;
        }

        @Override
        public String bulkKey() {
            return "link del";
        }

        @Override
        public BulkResult runAll(final CliContext context, final List<BulkAction> run) {
            final List<String> names = new ArrayList<>(run.size());
            for (final BulkAction action : run) {
                names.add(((Delete) action).name);
            }
            return context.rtnl().deleteLinks(names);
        }
    }

    record DeleteGroup(int group) implements Action {
        @Override
        public int run(final CliContext context) {
            context.rtnl().deleteGroup(group);
            return 0;
        }
    }

    record Set(String name, LinkChange change) implements Action {
        @Override
        public int run(final CliContext context) {
            context.rtnl().setLink(name, change);
            return 0;
        }
    }

    record Show(String name, boolean upOnly) implements Action {
        @Override
        public int run(final CliContext context) {
            final List<Link> all = context.rtnl().links();
            final Map<Integer, Link> byIndex = byIndex(all);
            final List<Link> selected = new ArrayList<>();
            for (final Link link : all) {
                if ((name == null || link.name().equals(name)) && (!upOnly || link.isUp())) {
                    selected.add(link);
                }
            }
            if (name != null && selected.isEmpty() && all.stream().noneMatch(l -> l.name().equals(name))) {
                throw new KernelException("show link '" + name + "'", Errno.ENODEV, null,
                    "there is no link '" + name + "'" + (context.namespaceName == null ? "" : " in namespace '"
                        + context.namespaceName + "'") + ": `" + context.commandPrefix() + "link show` lists the links");
            }
            if (context.json) {
                final List<Object> json = new ArrayList<>();
                for (final Link link : selected) {
                    json.add(IpFormat.linkJson(link, byIndex, true));
                }
                context.out.println(Json.write(json, context.pretty));
            } else {
                for (final Link link : selected) {
                    context.out.println(IpFormat.linkText(link, byIndex, true));
                }
            }
            return 0;
        }
    }

    static Map<Integer, Link> byIndex(final List<Link> links) {
        final Map<Integer, Link> map = new HashMap<>();
        for (final Link link : links) {
            map.put(link.index(), link);
        }
        return map;
    }
}
