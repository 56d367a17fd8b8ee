package dev.nsdp.dataplane.nativ;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The bindings added for offloads and fanout: layouts, option encodings, errno-free calls. */
class OffloadBindingsTest {

    @Test
    void virtioNetHeaderLayoutIsTheKernels() {
        // struct virtio_net_hdr: u8 flags, u8 gso_type, then four 16-bit fields, 10 bytes.
        assertEquals(10, VirtioNetHeader.SIZE);
        assertEquals(0, VirtioNetHeader.FLAGS_OFFSET);
        assertEquals(1, VirtioNetHeader.GSO_TYPE_OFFSET);
        assertEquals(2, VirtioNetHeader.HDR_LEN_OFFSET);
        assertEquals(4, VirtioNetHeader.GSO_SIZE_OFFSET);
        assertEquals(6, VirtioNetHeader.CSUM_START_OFFSET);
        assertEquals(8, VirtioNetHeader.CSUM_OFFSET_OFFSET);
    }

    @Test
    void virtioNetHeaderFieldsReadAndWriteInHostOrder() {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment memory = arena.allocate(32);
            // At an odd offset, as in a ring slot (tp_mac - 10).
            VirtioNetHeader.write(memory, 3, VirtioNetHeader.F_NEEDS_CSUM,
                VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN, 66, 1448, 34, 16);
            final ByteBuffer expected = ByteBuffer.allocate(10).order(ByteOrder.nativeOrder());
            expected.put((byte) 1).put((byte) 0x81).putShort((short) 66).putShort((short) 1448).putShort((short) 34)
                .putShort((short) 16);
            assertEquals(MemorySegment.ofArray(expected.array()).mismatch(memory.asSlice(3, 10)), -1);
            assertEquals(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.flags(memory, 3));
            assertEquals(VirtioNetHeader.GSO_TCPV4, VirtioNetHeader.gsoType(memory, 3), "without the ECN bit");
            assertEquals(1448, VirtioNetHeader.gsoSize(memory, 3));
            assertEquals(34, VirtioNetHeader.csumStart(memory, 3));
            assertEquals(16, VirtioNetHeader.csumOffset(memory, 3));
            VirtioNetHeader.clear(memory, 3);
            for (int i = 3; i < 13; i++) {
                assertEquals(0, memory.get(ValueLayout.JAVA_BYTE, i));
            }
        }
    }

    @Test
    void fanoutArgumentPacksGroupModeAndFlags() {
        assertEquals(0x8000_1234 | (PacketFanout.HASH << 16),
            PacketFanout.argument(0x1234, PacketFanout.HASH, PacketFanout.FLAG_DEFRAG));
        assertEquals(0x4001_0007, PacketFanout.argument(7, PacketFanout.LOAD_BALANCE, PacketFanout.FLAG_IGNORE_OUTGOING));
        assertThrows(IllegalArgumentException.class, () -> PacketFanout.argument(0x10000, PacketFanout.HASH, 0));
        assertThrows(IllegalArgumentException.class, () -> PacketFanout.argument(-1, PacketFanout.HASH, 0));
    }

    @Test
    void errnoFreeCallsSayMinusOneOnFailure() {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment buffer = arena.allocate(64);
            final MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, 4);
            assertEquals(-1, HotCalls.kick(-1, Sockets.MSG_DONTWAIT));
            assertEquals(-1, HotCalls.recvfrom(-1, buffer, Sockets.MSG_DONTWAIT));
            assertEquals(-1, HotCalls.getsockopt(-1, Sockets.SOL_SOCKET, Sockets.SO_ERROR, buffer, length));
            assertEquals(-1, HotCalls.ioctl(-1, InterfaceRequest.SIOCGIFFLAGS, buffer));
        }
    }

    @Test
    void errnoFreeCallsWorkOnARealSocket() {
        try (Arena arena = Arena.ofConfined()) {
            final int fd = NativeException.check(
                Sockets.socket(Sockets.AF_INET, Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0), "socket");
            try {
                final MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
                final MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, 4);
                assertEquals(0, HotCalls.getsockopt(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF, value, length));
                assertEquals(Sockets.getIntOption(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF), value.get(ValueLayout.JAVA_INT, 0));
                // Loopback's index by name, as LinkMonitor asks for flags by index.
                final MemorySegment request = InterfaceRequest.forLink(arena, "lo");
                assertEquals(0, HotCalls.ioctl(fd, InterfaceRequest.SIOCGIFFLAGS, request));
                assertTrue((InterfaceRequest.flags(request) & InterfaceRequest.IFF_LOOPBACK) != 0);
                // Nothing queued: a non-blocking receive fails.
                assertEquals(-1, HotCalls.recvfrom(fd, arena.allocate(16), Sockets.MSG_DONTWAIT));
                // A bigger receive buffer (the kernel doubles what it is asked for).
                final long granted = PacketCopies.setReceiveBuffer(fd, 1 << 20);
                assertEquals(2L << 20, granted);
            } finally {
                LibC.close(fd);
            }
        }
    }
}
