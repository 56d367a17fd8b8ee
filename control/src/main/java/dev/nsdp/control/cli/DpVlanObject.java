package dev.nsdp.control.cli;

import dev.nsdp.control.model.Request;
import java.util.List;

/** {@code nsdp dp [-n NS] vlan ...}: which dataplane namespace a VLAN's tagged frames on a trunk port belong to. */
final class DpVlanObject implements DpObject {
    static final String USAGE = """
        Usage: nsdp dp [-n NS] vlan add port PORT vid 1..4094 netns NS2
               nsdp dp [-n NS] vlan del port PORT vid 1..4094
               nsdp dp [-n NS] vlan show
        add: frames tagged VID that arrive on trunk port PORT (of namespace NS) belong to dataplane
        namespace NS2. `dev` means the same as `port`.""";

    private static final List<String> COMMANDS = List.of("add", "delete", "show", "list");

    @Override
    public String name() {
        return "vlan";
    }

    @Override
    public String summary() {
        return "VLANs of trunk ports mapped to namespaces: add, del, show";
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
        final String command = DpWords.keyword(word, COMMANDS, "nsdp dp vlan", USAGE);
        if (command.equals("show") || command.equals("list")) {
            DpWords.end(args, "vlan show");
            return show(options);
        }
        final boolean add = command.equals("add");
        final String where = add ? "vlan add" : "vlan del";
        String port = null;
        int vid = -1;
        String to = null;
        final List<String> keywords = add ? List.of("port", "dev", "vid", "netns") : List.of("port", "dev", "vid");
        while (args.hasNext()) {
            switch (DpWords.keyword(args.next(), keywords, where, USAGE)) {
                case "port", "dev" -> port = DpWords.checkName(args.valueOf("port"), "port", USAGE);
                case "vid" -> vid = args.intValueOf("vid", 1, 4094);
                default -> to = DpWords.checkName(args.valueOf("netns"), "dataplane namespace", USAGE);
            }
        }
        if (port == null || vid < 0 || (add && to == null)) {
            throw new UsageException("`" + where + "` needs " + (add ? "port PORT vid VID netns NS2" : "port PORT vid VID"), USAGE);
        }
        final String text = where + " port " + port + " vid " + vid;
        if (add) {
            return new DpRequest(text + " netns " + to, new Request.MapVlan(options.namespace(), port, vid, to), options,
                DpRequest.SILENT);
        }
        return new DpRequest(text, new Request.UnmapVlan(options.namespace(), port, vid), options, DpRequest.SILENT);
    }

    private static Action show(final DpOptions options) {
        return new DpRequest("vlan show", new Request.ListVlans(options.namespace()), options, DpFormat.VLAN_LIST);
    }
}
