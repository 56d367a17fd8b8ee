package dev.nsdp.control.cli;

import dev.nsdp.control.kernel.Address;
import dev.nsdp.control.kernel.IpPrefix;
import dev.nsdp.control.kernel.KernelException;
import dev.nsdp.control.kernel.Link;
import dev.nsdp.control.kernel.LinkNames;
import dev.nsdp.dataplane.nativ.Errno;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code nsdp address ...}: IPv4 and IPv6 addresses on links. */
final class AddressCommand implements ObjectCommand {
    static final String USAGE = """
        Usage: nsdp [-n NS] [-4|-6] address add PREFIX dev NAME
               nsdp [-n NS] [-4|-6] address del PREFIX dev NAME
               nsdp [-n NS] [-4|-6] address flush dev NAME
               nsdp [-n NS] [-4|-6] address show [[dev] NAME]
        PREFIX := ADDRESS[/LENGTH], e.g. 198.18.0.1/24 or 2001:db8::1/64 (a bare address is a host prefix)""";

    @Override
    public String name() {
        return "address";
    }

    @Override
    public String summary() {
        return "IPv4/IPv6 addresses on links";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Action parse(final Arguments args, final CliContext context) {
        args.usage(USAGE);
        if (!args.hasNext()) {
            return new Show(null);
        }
        final String command = args.next();
        if (Arguments.isHelp(command)) {
            return Help.of(USAGE);
        }
        if (Arguments.matches(command, "add") || Arguments.matches(command, "delete")) {
            final boolean add = Arguments.matches(command, "add");
            IpPrefix prefix = null;
            String dev = null;
            while (args.hasNext()) {
                final String word = args.next();
                if (Arguments.isHelp(word)) {
                    return Help.of(USAGE);
                }
                switch (word) {
                    case "dev" -> dev = args.valueOf("dev");
                    case "local" -> prefix = IpPrefix.parse(args.valueOf("local"));
                    default -> {
                        if (prefix != null) {
                            throw args.unknown(word, "address option");
                        }
                        prefix = IpPrefix.parse(word);
                    }
                }
            }
            if (prefix == null) {
                throw new UsageException("address " + command + " needs a PREFIX (e.g. 198.18.0.1/24)", USAGE);
            }
            if (dev == null) {
                throw new UsageException("address " + command + " needs 'dev NAME': the link the address is on", USAGE);
            }
            LinkNames.check(dev);
            checkFamily(context, prefix);
            return new Modify(add, prefix, dev);
        }
        if (Arguments.matches(command, "flush")) {
            String dev = null;
            while (args.hasNext()) {
                final String word = args.next();
                if (word.equals("dev")) {
                    dev = args.valueOf("dev");
                } else if (dev == null) {
                    dev = word;
                } else {
                    throw args.unknown(word, "address flush option");
                }
            }
            if (dev == null) {
                throw new UsageException("address flush needs 'dev NAME'", USAGE);
            }
            return new Flush(LinkNames.check(dev));
        }
        if (Arguments.matches(command, "show") || Arguments.matches(command, "list") || command.equals("lst")) {
            String dev = null;
            while (args.hasNext()) {
                final String word = args.next();
                if (Arguments.isHelp(word)) {
                    return Help.of(USAGE);
                }
                if (word.equals("dev")) {
                    dev = args.valueOf("dev");
                } else if (dev == null) {
                    dev = word;
                } else {
                    throw args.unknown(word, "address show option");
                }
            }
            return new Show(dev == null ? null : LinkNames.check(dev));
        }
        throw args.unknown(command, "address command (add, del, flush, show)");
    }

    private static void checkFamily(final CliContext context, final IpPrefix prefix) {
        if (context.family != 0 && context.family != prefix.family()) {
            throw new UsageException(prefix + " is not an address of the family -" + (context.family
                == IpPrefix.AF_INET ? 4 : 6) + " selects", USAGE);
        }
    }

    record Modify(boolean add, IpPrefix prefix, String dev) implements Action {
        @Override
        public int run(final CliContext context) {
            if (add) {
                context.rtnl().addAddress(dev, prefix);
            } else {
                context.rtnl().deleteAddress(dev, prefix);
            }
            return 0;
        }
    }

    record Flush(String dev) implements Action {
        @Override
        public int run(final CliContext context) {
            final Link link = context.rtnl().link(dev);
            for (final Address address : context.rtnl().addresses(context.family)) {
                if (address.linkIndex() == link.index()) {
                    context.rtnl().deleteAddress(dev, address.prefix());
                }
            }
            return 0;
        }
    }

    record Show(String dev) implements Action {
        @Override
        public int run(final CliContext context) {
            final List<Link> links = context.rtnl().links();
            final Map<Integer, Link> byIndex = LinkCommand.byIndex(links);
            final Map<Integer, List<Address>> byLink = new LinkedHashMap<>();
            for (final Address address : context.rtnl().addresses(context.family)) {
                byLink.computeIfAbsent(address.linkIndex(), k -> new ArrayList<>()).add(address);
            }
            if (dev != null && links.stream().noneMatch(l -> l.name().equals(dev))) {
                throw new KernelException("show addresses of link '" + dev + "'", Errno.ENODEV, null,
                    "there is no link '" + dev + "': `" + context.commandPrefix() + "link show` lists the links");
            }
            final List<Object> json = new ArrayList<>();
            for (final Link link : links) {
                if (dev != null && !link.name().equals(dev)) {
                    continue;
                }
                final List<Address> addresses = byLink.getOrDefault(link.index(), List.of());
                if (context.family != 0 && addresses.isEmpty()) {
                    continue; // as ip -4/-6: only links with addresses of that family
                }
                if (context.json) {
                    final Map<String, Object> entry = IpFormat.linkJson(link, byIndex, false);
                    if (context.family != 0) {
                        // ip -4/-6 leave out the link layer
                        entry.remove("link_type");
                        entry.remove("address");
                        entry.remove("broadcast");
                    }
                    final List<Object> info = new ArrayList<>();
                    for (final Address address : addresses) {
                        info.add(IpFormat.addressJson(address));
                    }
                    entry.put("addr_info", info);
                    json.add(entry);
                } else {
                    final String linkText = IpFormat.linkText(link, byIndex, false);
                    context.out.println(context.family != 0 ? linkText.substring(0, linkText.indexOf('\n')) : linkText);
                    for (final Address address : addresses) {
                        context.out.println(IpFormat.addressText(address));
                    }
                }
            }
            if (context.json) {
                context.out.println(Json.write(json, context.pretty));
            }
            return 0;
        }
    }
}
