package dev.nsdp.control.cli;

import dev.nsdp.control.model.Request;
import dev.nsdp.dataplane.codec.MacAddress;
import java.util.List;

/** {@code nsdp dp [-n NS] mac ...}: static entries of a dataplane namespace's MAC table. */
final class DpMacObject implements DpObject {
    static final String USAGE = """
        Usage: nsdp dp [-n NS] mac add MAC port PORT
               nsdp dp [-n NS] mac del MAC
               nsdp dp [-n NS] mac show
        Static MAC entries (never aged out) of namespace NS: frames to MAC leave through PORT.
        MAC is six hex octets, 02:00:5e:00:00:01. `dev` means the same as `port`.""";

    private static final List<String> COMMANDS = List.of("add", "delete", "show", "list");

    @Override
    public String name() {
        return "mac";
    }

    @Override
    public String summary() {
        return "static MAC table entries: add, del, show";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Action parse(final Arguments args, final DpOptions options) {
        if (!args.hasNext()) {
            return show(options);
        }
        final String word = args.next();
        if (Arguments.isHelp(word)) {
            return Help.of(USAGE);
        }
        final String command = DpWords.keyword(word, COMMANDS, "nsdp dp mac", USAGE);
        if (command.equals("show") || command.equals("list")) {
            DpWords.end(args, "mac show");
            return show(options);
        }
        final boolean add = command.equals("add");
        final String where = add ? "mac add" : "mac del";
        if (!args.hasNext() || args.helpRequested()) {
            throw new UsageException("`" + where + "` needs a MAC address", USAGE);
        }
        final String text = args.next();
        final long mac;
        try {
            mac = MacAddress.parse(text);
        } catch (final IllegalArgumentException e) {
            throw new UsageException("'" + text + "' is not a MAC address (" + e.getMessage() + "); write six hex octets like 02:00:5e:00:00:01", USAGE);
        }
        if (!add) {
            DpWords.end(args, where + " " + text);
            return new DpRequest(where + " " + text, new Request.DeleteStaticMac(options.namespace(), mac), options, DpRequest.SILENT);
        }
        String port = null;
        while (args.hasNext()) {
            DpWords.keyword(args.next(), List.of("port", "dev"), where + " " + text, USAGE);
            port = DpWords.checkName(args.valueOf("port"), "port", USAGE);
        }
        if (port == null) {
            throw new UsageException("`" + where + " " + text + "` needs port PORT", USAGE);
        }
        return new DpRequest(where + " " + text + " port " + port, new Request.AddStaticMac(options.namespace(), mac, port),
            options, DpRequest.SILENT);
    }

    private static Action show(final DpOptions options) {
        return new DpRequest("mac show", new Request.ListStaticMacs(options.namespace()), options, DpFormat.MAC_LIST);
    }
}
