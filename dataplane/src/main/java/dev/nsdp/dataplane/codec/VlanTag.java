package dev.nsdp.dataplane.codec;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over one 802.1Q or 802.1ad tag: TPID then TCI (priority 3 bits, drop eligible 1 bit,
 * VLAN id 12 bits), followed in the frame by the encapsulated EtherType (or the next tag's TPID).
 * The outermost tag of a frame starts at {@link EthernetHeader#ETHER_TYPE_OFFSET}.
 *
 * <p>{@link #push} and {@link #pop} insert and remove a tag in place by moving the 12 MAC bytes,
 * never the payload, which is why the pool keeps headroom in front of every frame.
 */
public final class VlanTag {
    public static final int TPID_OFFSET = 0;
    public static final int TCI_OFFSET = 2;
    /** The EtherType after the tag, relative to the tag's start. */
    public static final int NEXT_ETHER_TYPE_OFFSET = 4;
    public static final int TAG_LENGTH = 4;
    public static final int VLAN_ID_MASK = 0x0FFF;
    public static final int MAX_TAGS = 2;

    private MutableDirectBuffer buffer;
    private int offset;

    /** Wraps the tag whose TPID is at {@code offset}; 6 bytes (tag and next EtherType) must follow. */
    public VlanTag wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int offset() {
        return offset;
    }

    public int tpid() {
        return buffer.getShort(offset + TPID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public VlanTag tpid(final int tpid) {
        buffer.putShort(offset + TPID_OFFSET, (short) tpid, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int tci() {
        return buffer.getShort(offset + TCI_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public VlanTag tci(final int tci) {
        buffer.putShort(offset + TCI_OFFSET, (short) tci, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Priority code point (802.1p), 0..7. */
    public int priority() {
        return tci() >>> 13;
    }

    public VlanTag priority(final int priority) {
        return tci((tci() & 0x1FFF) | ((priority & 0x7) << 13));
    }

    /** Drop eligible indicator (formerly CFI). */
    public boolean dropEligible() {
        return (tci() & 0x1000) != 0;
    }

    public VlanTag dropEligible(final boolean dei) {
        return tci(dei ? tci() | 0x1000 : tci() & ~0x1000);
    }

    public int vlanId() {
        return tci() & VLAN_ID_MASK;
    }

    public VlanTag vlanId(final int vlanId) {
        return tci((tci() & ~VLAN_ID_MASK) | (vlanId & VLAN_ID_MASK));
    }

    public int nextEtherType() {
        return buffer.getShort(offset + NEXT_ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public VlanTag nextEtherType(final int etherType) {
        buffer.putShort(offset + NEXT_ETHER_TYPE_OFFSET, (short) etherType, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * Inserts a tag as the new outermost tag of the frame at {@code frameOffset}, which must have 4
     * bytes of headroom in front of it: the MACs move 4 bytes towards the buffer start and the tag
     * goes where they were. Returns the frame's new offset ({@code frameOffset - 4}); its length
     * grows by 4.
     */
    public static int push(final MutableDirectBuffer buffer, final int frameOffset, final int tpid, final int tci) {
        final int newOffset = frameOffset - TAG_LENGTH;
        // 12 bytes as a long and an int: both loads happen before any store, so the overlap is harmless.
        final long macs = buffer.getLong(frameOffset);
        final int macsTail = buffer.getInt(frameOffset + 8);
        buffer.putLong(newOffset, macs);
        buffer.putInt(newOffset + 8, macsTail);
        buffer.putShort(newOffset + EthernetHeader.ETHER_TYPE_OFFSET, (short) tpid, ByteOrder.BIG_ENDIAN);
        buffer.putShort(newOffset + EthernetHeader.ETHER_TYPE_OFFSET + TCI_OFFSET, (short) tci, ByteOrder.BIG_ENDIAN);
        return newOffset;
    }

    /**
     * Removes the outermost tag of the frame at {@code frameOffset} (the caller knows it is tagged):
     * the MACs move 4 bytes forward over the tag. Returns the frame's new offset
     * ({@code frameOffset + 4}); its length shrinks by 4.
     */
    public static int pop(final MutableDirectBuffer buffer, final int frameOffset) {
        final int newOffset = frameOffset + TAG_LENGTH;
        final long macs = buffer.getLong(frameOffset);
        final int macsTail = buffer.getInt(frameOffset + 8);
        buffer.putLong(newOffset, macs);
        buffer.putInt(newOffset + 8, macsTail);
        return newOffset;
    }
}
