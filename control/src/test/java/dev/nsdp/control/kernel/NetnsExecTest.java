package dev.nsdp.control.kernel;

import static dev.nsdp.control.testing.KernelLab.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.control.testing.KernelLab;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A child started on a thread inside a namespace is in that namespace (the JDK's posix_spawn
 * clones the calling thread's namespaces); checked by the kernel's own identity of the namespace
 * (the inode of /proc/PID/ns/net against the pinned file), many times over.
 */
class NetnsExecTest {
    private KernelLab lab;
    private String ns;

    @BeforeEach
    void setUp() {
        lab = new KernelLab();
        ns = lab.name("x");
        ip("netns", "add", ns);
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    @Test
    void childIsInTheNamespaceEveryTime() throws Exception {
        final Object pinned = Files.getAttribute(Path.of("/run/netns", ns), "unix:ino");
        final Object mine = Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino");
        assertNotEquals(mine, pinned);
        for (int i = 0; i < 20; i++) {
            final Process p = NetnsExec.start(KernelNamespace.named(ns),
                new ProcessBuilder("stat", "-L", "-c", "%i", "/proc/self/ns/net"));
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(pinned.toString(), out, "run " + i);
        }
        // and the caller's thread stayed where it was
        assertEquals(mine, Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino"));
    }

    @Test
    void childSeesTheNamespacesLinks() throws Exception {
        final Process p = NetnsExec.start(KernelNamespace.named(ns), new ProcessBuilder("ip", "-o", "link", "show"));
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, out.strip().lines().count(), out);
        assertTrue(out.contains(": lo:"), out);
    }

    @Test
    void exitStatusIsTheCommands() {
        assertEquals(7, NetnsExec.run(KernelNamespace.named(ns), List.of("sh", "-c", "exit 7")));
        assertEquals(0, NetnsExec.run(KernelNamespace.named(ns), List.of("true")));
    }

    @Test
    void missingCommandIsAClearError() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> NetnsExec.run(KernelNamespace.named(ns), List.of("/nonexistent/cmd")));
        assertTrue(e.getMessage().contains("cannot run '/nonexistent/cmd'"), e.getMessage());
    }
}
