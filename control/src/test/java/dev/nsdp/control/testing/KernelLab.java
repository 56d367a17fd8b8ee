package dev.nsdp.control.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Real kernel objects for a test, named with a prefix unique to the test run ("nt" + 4 hex), and
 * iproute2 as the independent witness: {@link #ip} runs {@code ip}, {@link #ipJson} parses
 * {@code ip -j}. {@link #close()} removes every namespace and link with the prefix, whatever
 * the test did or failed to do.
 */
public final class KernelLab implements AutoCloseable {
    public final String prefix;

    public KernelLab() {
        this("nt");
    }

    /** Names that start with {@code base} (a helper's own prefix) and four random hex digits. */
    public KernelLab(final String base) {
        final byte[] random = new byte[2];
        ThreadLocalRandom.current().nextBytes(random);
        this.prefix = base + HexFormat.of().formatHex(random);
    }

    /** A name with the run's prefix: {@code name("a")} is "nt1f2ca". At most 15 bytes for links. */
    public String name(final String suffix) {
        return prefix + suffix;
    }

    /** The output of {@code ip ARGS}; fails the test when ip fails. */
    public static String ip(final String... args) {
        final Result r = run(withIp(args));
        if (r.status != 0) {
            throw new AssertionError("ip " + String.join(" ", args) + " failed (" + r.status + "): " + r.err);
        }
        return r.out;
    }

    /** {@code ip -j ARGS} parsed: a list of objects. */
    public static List<Map<String, Object>> ipJson(final String... args) {
        final String[] all = new String[args.length + 1];
        all[0] = "-j";
        System.arraycopy(args, 0, all, 1, args.length);
        final String out = ip(all).trim();
        return out.isEmpty() ? List.of() : JsonReader.parseList(out);
    }

    /** The link {@code name} as {@code ip -j -d [-n ns] link show dev NAME} reports it, or null. */
    public static Map<String, Object> ipLink(final String namespace, final String name) {
        final List<String> args = new ArrayList<>();
        if (namespace != null) {
            args.addAll(List.of("-n", namespace));
        }
        args.addAll(List.of("-j", "-d", "link", "show"));
        final Result r = run(withIp(args.toArray(String[]::new)));
        assertEquals(0, r.status, r.err);
        for (final Map<String, Object> link : JsonReader.parseList(r.out.trim())) {
            if (name.equals(link.get("ifname"))) {
                return link;
            }
        }
        return null;
    }

    public record Result(int status, String out, String err) {
    }

    /** Runs a command, bounded to 60 s. */
    public static Result run(final List<String> command) {
        try {
            final Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            // Both pipes are drained at once: a command that fills its stderr pipe (ip netns list
            // warns once per stale /run/netns entry) would otherwise block while stdout is read.
            final java.util.concurrent.CompletableFuture<byte[]> errors = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return process.getErrorStream().readAllBytes();
                } catch (final IOException e) {
                    return new byte[0];
                }
            });
            final byte[] out = process.getInputStream().readAllBytes();
            final byte[] err = errors.join();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static List<String> withIp(final String... args) {
        final List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** Removes every link and namespace with this run's prefix (root namespace links first). */
    @Override
    public void close() {
        final Result links = run(List.of("ip", "-o", "link", "show"));
        for (final String line : links.out.split("\n")) {
            final String[] parts = line.split(": ");
            if (parts.length > 1) {
                final String name = parts[1].split("@")[0];
                if (name.startsWith(prefix)) {
                    run(List.of("ip", "link", "del", name));
                }
            }
        }
        final Result namespaces = run(List.of("ip", "netns", "list"));
        for (final String line : namespaces.out.split("\n")) {
            final String name = line.split(" ")[0];
            if (name.startsWith(prefix)) {
                run(List.of("ip", "netns", "del", name));
            }
        }
    }
}
