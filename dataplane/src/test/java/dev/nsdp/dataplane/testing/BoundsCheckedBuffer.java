package dev.nsdp.dataplane.testing;

import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An UnsafeBuffer whose reads are bounds-checked whatever Agrona's global switch says. nsdp runs
 * with Agrona's checks off (scripts/jvm.options: packet memory is one pool-sized buffer and every
 * frame access is length-checked by the parser), so the fuzz tests use this to prove the parser
 * never reads past the end of a frame.
 */
public final class BoundsCheckedBuffer extends UnsafeBuffer {
    public BoundsCheckedBuffer(final byte[] bytes) {
        super(bytes);
    }

    private void check(final int index, final int length) {
        if (index < 0 || length < 0 || index > capacity() - length) {
            throw new IndexOutOfBoundsException("read of " + length + " bytes at " + index + " in a buffer of " + capacity());
        }
    }

    @Override
    public long getLong(final int index, final ByteOrder order) {
        check(index, 8);
        return super.getLong(index, order);
    }

    @Override
    public long getLong(final int index) {
        check(index, 8);
        return super.getLong(index);
    }

    @Override
    public int getInt(final int index, final ByteOrder order) {
        check(index, 4);
        return super.getInt(index, order);
    }

    @Override
    public int getInt(final int index) {
        check(index, 4);
        return super.getInt(index);
    }

    @Override
    public short getShort(final int index, final ByteOrder order) {
        check(index, 2);
        return super.getShort(index, order);
    }

    @Override
    public short getShort(final int index) {
        check(index, 2);
        return super.getShort(index);
    }

    @Override
    public byte getByte(final int index) {
        check(index, 1);
        return super.getByte(index);
    }
}
