package dev.nsdp.dataplane.nativ;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KernelNamespaceTest {
    private static KernelLab lab;
    private static String red;
    private static String blue;
    private static String redLink;

    @BeforeAll
    static void createNamespaces() {
        lab = KernelLab.open();
        red = lab.namespace("red");
        blue = lab.namespace("blue");
        redLink = lab.link("r");
        lab.vethPair(red, redLink, blue, lab.link("b"));
    }

    @AfterAll
    static void removeNamespaces() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void taskRunsOnAThreadInsideTheNamespaceAndTheCallerStaysWhereItWas() throws IOException {
        final String callerBefore = threadNamespace();
        final KernelNamespace namespace = KernelNamespace.named(red);
        final String inside = namespace.call(KernelNamespaceTest::threadNamespace);
        assertEquals("net:[" + inode(Path.of("/run/netns", red)) + "]", inside);
        assertNotEquals(callerBefore, inside);
        assertEquals(callerBefore, threadNamespace());
        // the static form, by path
        assertEquals(inside, KernelNamespace.call(Path.of("/run/netns", red), KernelNamespaceTest::threadNamespace));
    }

    @Test
    void socketsKeepTheNamespaceTheyWereCreatedIn() {
        // if_nametoindex resolves in the calling thread's namespace
        assertTrue(Sockets.ifNameToIndex(redLink) < 0, "the lab link must not exist outside its namespace");
        final int index = KernelNamespace.named(red).call(() -> Sockets.ifNameToIndex(redLink));
        assertTrue(index > 0);
        assertTrue(KernelNamespace.named(blue).call(() -> Sockets.ifNameToIndex(redLink)) < 0);

        // a socket made inside answers ioctls about the namespace's links from this (outside) thread
        final int fd = KernelNamespace.named(red).call(() -> NativeException.check(
            Sockets.socket(Sockets.AF_INET, Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0), "socket"));
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            final var ifreq = InterfaceRequest.forLink(arena, redLink);
            assertEquals(0, LibC.ioctl(fd, InterfaceRequest.SIOCGIFINDEX, ifreq));
            assertEquals(index, InterfaceRequest.intValue(ifreq));
        } finally {
            LibC.close(fd);
        }
    }

    @Test
    void missingNamespaceIsAClearError() {
        final NativeException e = assertThrows(NativeException.class,
            () -> KernelNamespace.named("nsdpt-" + lab.id() + "-missing").call(() -> 1));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("kernel network namespace 'nsdpt-" + lab.id() + "-missing'"), e.getMessage());
        assertTrue(e.getMessage().contains("ip netns add nsdpt-" + lab.id() + "-missing"), e.getMessage());
    }

    @Test
    void aFileThatIsNotANamespaceIsRefused() {
        final NativeException e = assertThrows(NativeException.class,
            () -> KernelNamespace.at(Path.of("/proc/self/stat")).call(() -> 1));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("setns(CLONE_NEWNET)"), e.getMessage());
    }

    @Test
    void failuresOfTheTaskReachTheCaller() {
        final KernelNamespace namespace = KernelNamespace.named(red);
        final IllegalStateException thrown = new IllegalStateException("boom");
        assertSame(thrown, assertThrows(IllegalStateException.class, () -> namespace.call(() -> {
            throw thrown;
        })));
        final IOException checked = new IOException("checked");
        assertSame(checked, assertThrows(CompletionException.class, () -> namespace.call(() -> {
            throw checked;
        })).getCause());
    }

    @Test
    void namespacesByPidAndTheCurrentOne() throws IOException {
        final String mine = threadNamespace();
        assertEquals(mine, KernelNamespace.ofPid(ProcessHandle.current().pid()).call(KernelNamespaceTest::threadNamespace));
        final Thread caller = Thread.currentThread();
        assertSame(caller, KernelNamespace.current().call(Thread::currentThread));
        assertEquals(red, KernelNamespace.at(Path.of("/run/netns", red)).displayName());
        assertEquals(KernelNamespace.named(red), KernelNamespace.at(Path.of("/run/netns", red)));
    }

    private static String threadNamespace() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }

    private static long inode(final Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
    }
}
