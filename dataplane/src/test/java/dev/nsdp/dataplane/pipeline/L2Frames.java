package dev.nsdp.dataplane.pipeline;

import java.nio.ByteBuffer;

/**
 * Raw Ethernet frames for switching tests, built by hand so the switch tests do not depend on the
 * codecs under test elsewhere. EtherType 0x88B5 (IEEE local experimental) carries no L3 header, so
 * only the L2 path is exercised; the payload carries a marker to tell frames apart.
 */
final class L2Frames {
    static final int EXPERIMENTAL = 0x88B5;

    private L2Frames() {
    }

    static byte[] frame(final long dst, final long src, final int marker) {
        final ByteBuffer b = ByteBuffer.allocate(60);
        putMac(b, dst);
        putMac(b, src);
        b.putShort((short) EXPERIMENTAL);
        b.putInt(marker);
        return b.array();
    }

    static byte[] tagged(final int tpid, final int vlan, final long dst, final long src, final int marker) {
        final ByteBuffer b = ByteBuffer.allocate(64);
        putMac(b, dst);
        putMac(b, src);
        b.putShort((short) tpid);
        b.putShort((short) vlan);
        b.putShort((short) EXPERIMENTAL);
        b.putInt(marker);
        return b.array();
    }

    static void putMac(final ByteBuffer b, final long mac) {
        b.putShort((short) (mac >>> 32));
        b.putInt((int) mac);
    }

    static long dst(final byte[] frame) {
        return ByteBuffer.wrap(frame).getLong(0) >>> 16;
    }

    static int marker(final byte[] frame) {
        return ByteBuffer.wrap(frame).getInt(14);
    }
}
