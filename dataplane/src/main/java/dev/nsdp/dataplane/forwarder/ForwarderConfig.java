package dev.nsdp.dataplane.forwarder;

import dev.nsdp.dataplane.Dataplane;
import dev.nsdp.dataplane.forwarder.ConfigException.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A forwarder configuration, read from a file and checked whole before anything is applied.
 *
 * <h2>Grammar</h2>
 * One statement per line, words separated by spaces, {@code #} starts a comment. In the spirit of
 * iproute2: a keyword, the object, then {@code key value} options in any order.
 * <pre>
 * dataplane [pool-buffers N] [mac-table-entries N]          # once, optional: packet buffers (65536), MAC table slots (1048576)
 * namespace NAME [level l2|l3] [owner PRINCIPAL]            # an nsdp namespace under root ("root" always exists)
 * port NS NAME afpacket link LINK [netns KNS] [up]          # AF_PACKET (TPACKET_V2 rings) on an existing kernel link
 *          [rx-frames N] [tx-frames N] [frame-size N] [qdisc-bypass]
 * port NS NAME tap [name TAP] [netns KNS] [up]              # a TAP device (created, or attached if persistent); TAP defaults to NAME
 * vlan NS PORT VID TARGET                                   # frames tagged VID on trunk PORT belong to namespace TARGET
 * mac NS MAC port PORT                                      # a static MAC table entry
 * set NS SETTING VALUE                                      # forwarding, default-ttl, mac-aging, mac-limit
 * </pre>
 * {@code KNS} is a kernel network namespace: a name from {@code ip netns list}, or an absolute path
 * such as {@code /proc/PID/ns/net}; without it the link is in the forwarder's own namespace. Ports
 * are attached down, as Linux links are; {@code up} sets them up once the whole file is in.
 * Names follow the namespace model ({@code A-Z a-z 0-9 _ . -}, at most 15 characters).
 *
 * <h2>Checking</h2>
 * {@link #load} parses every line and then runs the whole file through the namespace model on a
 * private registry (a dry run: no kernel object, no worker). Every problem is reported with its
 * line and what to do; a file with any problem is refused whole ({@link ConfigException}). Only the
 * kernel's answers (does the link exist, may we open it) remain for start time.
 *
 * @param source     where the configuration came from, for messages
 * @param dataplane  packet pool and MAC table sizes
 * @param statements every statement, in file order
 */
public record ForwarderConfig(String source, Dataplane.Config dataplane, List<ConfigStatement> statements) {

    public ForwarderConfig {
        statements = List.copyOf(statements);
    }

    /** Reads and checks the file at {@code path}. */
    public static ForwarderConfig load(final Path path) throws ConfigException, IOException {
        return parse(path.toString(), Files.readAllLines(path, StandardCharsets.UTF_8));
    }

    /** Parses and checks {@code lines} (of a file called {@code source}). */
    public static ForwarderConfig parse(final String source, final List<String> lines) throws ConfigException {
        final ConfigParser.Result parsed = ConfigParser.parse(lines);
        final List<Problem> problems = new ArrayList<>(parsed.problems());
        problems.addAll(ConfigApplier.dryRun(parsed.statements()));
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new ForwarderConfig(source, parsed.dataplane(), parsed.statements());
    }

    /** The port statements, in file order. */
    public List<ConfigStatement.Port> ports() {
        final List<ConfigStatement.Port> ports = new ArrayList<>();
        for (final ConfigStatement statement : statements) {
            if (statement instanceof ConfigStatement.Port p) {
                ports.add(p);
            }
        }
        return ports;
    }

    /** The namespace statements, in file order (root is implicit and not among them). */
    public List<ConfigStatement.Namespace> namespaces() {
        final List<ConfigStatement.Namespace> namespaces = new ArrayList<>();
        for (final ConfigStatement statement : statements) {
            if (statement instanceof ConfigStatement.Namespace n) {
                namespaces.add(n);
            }
        }
        return namespaces;
    }
}
