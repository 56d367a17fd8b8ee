package dev.nsdp.control.cli;

import dev.nsdp.control.model.Request;

/** {@code nsdp dp status}: who the daemon thinks the caller is, whether it takes changes, its journal. */
final class DpStatusObject implements DpObject {
    static final String USAGE = """
        Usage: nsdp dp status
        The caller as the daemon sees it (and whether an administrator), whether changes are accepted,
        how many namespaces and ports there are (missing-ports: configured links that could not be
        opened), and the journal (directory, format, last sequence number, entries replayed at start).""";

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "the daemon: caller, journal, counts";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public Action parse(final Arguments args, final DpOptions options) {
        if (args.helpRequested()) {
            return Help.of(USAGE);
        }
        DpWords.end(args, "status");
        return new DpRequest("status", new Request.Status(), options, DpFormat.STATUS);
    }
}
