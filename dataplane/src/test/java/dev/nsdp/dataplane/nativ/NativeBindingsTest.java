package dev.nsdp.dataplane.nativ;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class NativeBindingsTest {

    @Test
    void failuresComeBackAsMinusErrnoWithoutThrowing() {
        assertEquals(-Errno.EBADF, LibC.close(-1));
        assertEquals(-Errno.ENOENT, LibC.open("/nonexistent-nsdp-test-path", LibC.O_RDONLY));
        assertEquals(-Errno.ENODEV, Sockets.ifNameToIndex("nsdp-no-such"));
        assertEquals(-Errno.EBADF, Sockets.sendto(-1, MemorySegment.NULL, 0, Sockets.MSG_DONTWAIT, MemorySegment.NULL, 0));
    }

    @Test
    void nativeExceptionSaysWhatFailedWhyAndWhatToDo() {
        final NativeException e = assertThrows(NativeException.class,
            () -> NativeException.check(LibC.open("/nonexistent-nsdp-test-path", LibC.O_RDONLY), "open(/nonexistent)"));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("ENOENT", e.errnoName());
        assertEquals("open(/nonexistent) failed: ENOENT (no such file or directory)", e.getMessage());
        assertEquals("socket(AF_PACKET) failed: EPERM (operation not permitted): run as root",
            new NativeException("socket(AF_PACKET)", Errno.EPERM).withHint("run as root").getMessage());
        assertEquals("errno 4095", Errno.name(4095));
    }

    @Test
    void fileCallsReadAndWriteThroughMemory() {
        try (Arena arena = Arena.ofConfined()) {
            final int fd = NativeException.check(LibC.open("/proc/self/stat", LibC.O_RDONLY | LibC.O_CLOEXEC), "open");
            try {
                final MemorySegment buffer = arena.allocate(256);
                final long n = LibC.read(fd, buffer);
                assertTrue(n > 0);
                final String text = new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                // /proc/self/stat starts with our pid
                assertEquals(Long.toString(ProcessHandle.current().pid()), text.substring(0, text.indexOf(' ')));
            } finally {
                assertEquals(0, LibC.close(fd));
            }
            final int devNull = NativeException.check(LibC.open("/dev/null", LibC.O_RDWR | LibC.O_CLOEXEC), "open");
            try {
                assertEquals(5, LibC.write(devNull, arena.allocateFrom("12345").asSlice(0, 5)));
            } finally {
                LibC.close(devNull);
            }
        }
    }

    @Test
    void processAndThreadIds() {
        assertEquals(ProcessHandle.current().pid(), LibC.getpid());
        final int[] other = new int[1];
        final Thread thread = Thread.ofPlatform().start(() -> other[0] = LibC.gettid());
        assertTrue(join(thread));
        assertNotEquals(LibC.gettid(), other[0]);
        assertTrue(other[0] > 0);
    }

    @Test
    void pollReportsReadinessAndTimesOut() {
        final int fd = NativeException.check(
            Sockets.socket(Sockets.AF_INET, Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0), "socket");
        try (Arena arena = Arena.ofConfined()) {
            final PollFd set = new PollFd(arena, 2);
            set.add(fd, PollFd.POLLOUT);
            assertEquals(1, set.poll(1000));
            assertTrue((set.revents(0) & PollFd.POLLOUT) != 0);
            set.clear();
            set.add(fd, PollFd.POLLIN); // nothing to read: times out
            assertEquals(0, set.poll(1));
            assertEquals(0, set.revents(0));
        } finally {
            LibC.close(fd);
        }
    }

    @Test
    void socketOptionsRoundTrip() {
        final int fd = NativeException.check(
            Sockets.socket(Sockets.AF_INET, Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0), "socket");
        try {
            assertEquals(0, Sockets.setIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF, 65536));
            // Linux doubles the requested buffer to leave room for its bookkeeping.
            assertEquals(131072, Sockets.getIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF));
            assertEquals(0, Sockets.getIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_ERROR));
        } finally {
            LibC.close(fd);
        }
    }

    @Test
    void ioctlAsksAboutLinksOfTheSocketsNamespace() {
        final int fd = NativeException.check(
            Sockets.socket(Sockets.AF_INET, Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0), "socket");
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment ifreq = InterfaceRequest.forLink(arena, "lo");
            assertEquals(0, LibC.ioctl(fd, InterfaceRequest.SIOCGIFINDEX, ifreq));
            assertEquals(Sockets.ifNameToIndex("lo"), InterfaceRequest.intValue(ifreq));
            assertEquals(0, LibC.ioctl(fd, InterfaceRequest.SIOCGIFFLAGS, ifreq));
            assertTrue((InterfaceRequest.flags(ifreq) & InterfaceRequest.IFF_LOOPBACK) != 0);
            InterfaceRequest.setName(ifreq, "nsdp-no-such");
            assertEquals(-Errno.ENODEV, LibC.ioctl(fd, InterfaceRequest.SIOCGIFFLAGS, ifreq));
            InterfaceRequest.setIntValue(ifreq, Sockets.ifNameToIndex("lo"));
            assertEquals(0, LibC.ioctl(fd, InterfaceRequest.SIOCGIFNAME, ifreq));
            assertEquals("lo", InterfaceRequest.name(ifreq));
        } finally {
            LibC.close(fd);
        }
        assertThrows(IllegalArgumentException.class, () -> InterfaceRequest.checkLinkName("sixteen-bytes-xx"));
        assertThrows(IllegalArgumentException.class, () -> InterfaceRequest.checkLinkName("a/b"));
    }

    @Test
    void structLayoutsMatchLinux() {
        assertEquals(20, PacketSockets.SOCKADDR_LL.byteSize());
        assertEquals(16, PacketSockets.PACKET_MREQ.byteSize());
        assertEquals(16, PacketSockets.TPACKET_REQ.byteSize());
        assertEquals(32, PacketSockets.TPACKET2_HDR.byteSize());
        assertEquals(52, PacketSockets.TPACKET2_HDRLEN);
        assertEquals(32, PacketSockets.TX_FRAME_OFFSET);
        assertEquals(66, PacketSockets.RX_FRAME_OFFSET);
        assertEquals(24, PacketSockets.TP_VLAN_TCI_OFFSET);
        assertEquals(26, PacketSockets.TP_VLAN_TPID_OFFSET);
        assertEquals(40, InterfaceRequest.LAYOUT.byteSize());
        assertEquals(16, InterfaceRequest.IFRU_OFFSET);
        assertEquals(8, PollFd.LAYOUT.byteSize());
        assertEquals(0x0300, Sockets.htons(PacketSockets.ETH_P_ALL));
    }

    @Test
    void pinningToAnOnlineCpuWorks() {
        final int[] result = new int[2];
        final Thread thread = Thread.ofPlatform().start(() -> {
            result[0] = LibC.pinCurrentThread(0);
            result[1] = LibC.pinCurrentThread(1023); // not online here
        });
        assertTrue(join(thread));
        assertEquals(0, result[0]);
        assertEquals(-Errno.EINVAL, result[1]);
    }

    @Test
    void unshareGivesTheCallingThreadAFreshNetworkNamespace() throws Exception {
        final String mine = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self/ns/net")).toString();
        final String[] seen = new String[1];
        final int[] result = new int[2];
        // A thread of its own: the new (empty) namespace goes away when the thread ends.
        final Thread thread = Thread.ofPlatform().start(() -> {
            result[0] = LibC.unshare(LibC.CLONE_NEWNET);
            try {
                seen[0] = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self/ns/net")).toString();
            } catch (final java.io.IOException e) {
                seen[0] = e.toString();
            }
            result[1] = Sockets.ifNameToIndex("lo"); // a new namespace has its own loopback
        });
        assertTrue(join(thread));
        assertEquals(0, result[0]);
        assertNotEquals(mine, seen[0]);
        assertEquals(1, result[1]);
        assertEquals(mine, java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self/ns/net")).toString());
    }

    @Test
    void recvfromOnAnEmptyNonBlockingSocketSaysEagain() {
        final int fd = NativeException.check(Sockets.socket(Sockets.AF_INET,
            Sockets.SOCK_DGRAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0), "socket");
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(-Errno.EAGAIN, Sockets.recvfrom(fd, arena.allocate(64), 0, MemorySegment.NULL, MemorySegment.NULL));
        } finally {
            LibC.close(fd);
        }
    }

    private static boolean join(final Thread thread) {
        try {
            thread.join(10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
