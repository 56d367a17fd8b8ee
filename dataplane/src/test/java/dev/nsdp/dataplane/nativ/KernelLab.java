package dev.nsdp.dataplane.nativ;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Test fixture: kernel network namespaces and links that a test creates for itself and that are
 * removed again on {@link #close()} even when the test fails. Every object carries a random id
 * (namespaces {@code nsdpt-ID-SUFFIX}, links {@code ntIDSUFFIX}), so runs never collide with each
 * other or with anything else on the machine; links are only ever created inside the lab's own
 * namespaces, never in the host's. Uses iproute2 through ProcessBuilder: tests only.
 */
public final class KernelLab implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final String id;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    private KernelLab() {
        final byte[] random = new byte[3];
        ThreadLocalRandom.current().nextBytes(random);
        this.id = HexFormat.of().formatHex(random);
    }

    public static KernelLab open() {
        return new KernelLab();
    }

    public String id() {
        return id;
    }

    /** Creates kernel namespace {@code nsdpt-ID-suffix} (removed on close) and brings its loopback up. */
    public String namespace(final String suffix) {
        final String name = "nsdpt-" + id + "-" + suffix;
        ip("netns", "add", name);
        namespaces.add(name);
        ip("-n", name, "link", "set", "lo", "up");
        return name;
    }

    /** A link name unique to this lab: {@code ntIDsuffix}, at most 15 bytes. */
    public String link(final String suffix) {
        final String name = "nt" + id + suffix;
        if (name.length() > 15) {
            throw new IllegalArgumentException("link suffix too long: " + name);
        }
        return name;
    }

    /** A veth pair with one end in each of two lab namespaces, both ends up. */
    public void vethPair(final String namespaceA, final String linkA, final String namespaceB, final String linkB) {
        requireLab(namespaceA);
        requireLab(namespaceB);
        ip("link", "add", linkA, "netns", namespaceA, "type", "veth", "peer", "name", linkB, "netns", namespaceB);
        ip("-n", namespaceA, "link", "set", linkA, "up");
        ip("-n", namespaceB, "link", "set", linkB, "up");
    }

    /** Runs {@code ip args...}; fails the test with ip's output when it fails. */
    public String ip(final String... args) {
        final String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        return run(command).checked();
    }

    /** Runs a command inside a lab namespace (`ip netns exec`, which also gives it that namespace's /sys). */
    public Result exec(final String namespace, final String... command) {
        return run(inNamespace(namespace, command));
    }

    /** Starts a command inside a lab namespace in the background; it is killed on close if still running. */
    public Process start(final String namespace, final String... command) {
        try {
            final Process process = new ProcessBuilder(inNamespace(namespace, command))
                .redirectErrorStream(true).start();
            processes.add(process);
            return process;
        } catch (final IOException e) {
            throw new IllegalStateException("cannot start " + String.join(" ", command), e);
        }
    }

    /** A link statistic (rx_packets, tx_packets ...) as the kernel counts it in a lab namespace. */
    public long statistic(final String namespace, final String link, final String name) {
        return Long.parseLong(exec(namespace, "cat", "/sys/class/net/" + link + "/statistics/" + name)
            .checked().trim());
    }

    /** Runs a command with a bounded wait. */
    public static Result run(final String... command) {
        try {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            final InputStream out = process.getInputStream();
            final byte[][] output = new byte[1][];
            final Thread reader = Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    output[0] = out.readAllBytes();
                } catch (final IOException e) {
                    output[0] = new byte[0];
                }
            });
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after " + COMMAND_TIMEOUT + ": " + String.join(" ", command));
            }
            reader.join(COMMAND_TIMEOUT.toMillis());
            out.close();
            final String text = output[0] == null ? "" : new String(output[0], StandardCharsets.UTF_8);
            return new Result(String.join(" ", command), process.exitValue(), text);
        } catch (final IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }

    /** Polls {@code condition} every millisecond or so until it holds or {@code timeout} passes. */
    public static boolean await(final Duration timeout, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Open file descriptors of this process. */
    public static int openFileDescriptors() {
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return (int) entries.count();
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits (bounded) until this process has {@code expected} open descriptors and returns the count
     * it last saw. Other JVM threads (the process reaper, the compiler) open files for a moment now and
     * then; a leak stays, a transient does not.
     */
    public static int awaitOpenFileDescriptors(final int expected) {
        final int[] last = new int[1];
        await(Duration.ofSeconds(2), () -> (last[0] = openFileDescriptors()) == expected);
        return last[0];
    }

    /** Open descriptors of this process that refer to {@code target} (e.g. "/dev/net/tun"). */
    public static long openFileDescriptorsTo(final String target) {
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(target);
                } catch (final IOException e) {
                    return false; // closed while we looked
                }
            }).count();
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lines of /proc/self/maps that are mappings of sockets (packet rings). */
    public static long socketMappings() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains("socket:[")).count();
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (final Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        final List<String> left = new ArrayList<>();
        for (final String namespace : namespaces.reversed()) {
            final Result result = run("ip", "netns", "del", namespace);
            if (result.exitCode() != 0) {
                left.add(namespace + ": " + result.output().trim());
            }
        }
        namespaces.clear();
        if (!left.isEmpty()) {
            throw new IllegalStateException("could not remove lab namespaces: " + left);
        }
    }

    private void requireLab(final String namespace) {
        if (!namespaces.contains(namespace)) {
            throw new IllegalArgumentException(namespace + " is not one of this lab's namespaces: " + namespaces);
        }
    }

    private String[] inNamespace(final String namespace, final String... command) {
        requireLab(namespace);
        final String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = namespace;
        System.arraycopy(command, 0, full, 4, command.length);
        return full;
    }

    /** A finished command: exit code and combined stdout/stderr. */
    public record Result(String command, int exitCode, String output) {
        public String checked() {
            if (exitCode != 0) {
                throw new IllegalStateException("`" + command + "` exited " + exitCode + ": " + output.trim());
            }
            return output;
        }
    }
}
