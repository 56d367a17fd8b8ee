package dev.nsdp.dataplane.port;

import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.nativ.PacketSockets;
import java.util.Objects;

/**
 * How a {@link PacketSocketPort} is set up.
 *
 * @param namespace         the kernel network namespace the link is in ({@link KernelNamespace#current()} by default)
 * @param frameSize         bytes per ring slot, a power of two in 256..65536. A slot holds one frame after its
 *                          header (66 bytes on receive, 32 on transmit), so the default 2048 takes any frame up to
 *                          1982 bytes: every 1500-MTU frame, and the most a 2048-byte pool buffer can hold
 * @param rxFrames          receive ring slots (a multiple of the frames per 4 KiB block when frameSize is below 4 KiB)
 * @param txFrames          transmit ring slots (same rule)
 * @param promiscuous       join PACKET_MR_PROMISC, so frames for other MACs arrive (a switch needs them)
 * @param qdiscBypass       PACKET_QDISC_BYPASS: transmit straight to the driver, skipping the link's qdisc
 *                          (faster; loses the qdisc's shaping and its back-pressure)
 * @param linkCheckMillis   how often {@link PacketSocketPort#isLinkUp()} asks the kernel (ms; it answers from a
 *                          cache in between, and asks at once after a transmit error says the link went down)
 */
public record PacketSocketOptions(
    KernelNamespace namespace,
    int frameSize,
    int rxFrames,
    int txFrames,
    boolean promiscuous,
    boolean qdiscBypass,
    int linkCheckMillis) {

    public static final int DEFAULT_FRAME_SIZE = 2048;
    public static final int DEFAULT_RX_FRAMES = 1024;
    public static final int DEFAULT_TX_FRAMES = 1024;
    public static final int DEFAULT_LINK_CHECK_MILLIS = 100;
    /** The kernel allocates ring memory in blocks of whole pages; one block holds one or more slots. */
    static final int PAGE_SIZE = 4096;

    public PacketSocketOptions {
        Objects.requireNonNull(namespace, "namespace (use KernelNamespace.current() for the caller's own)");
        if (frameSize < 256 || frameSize > 65536 || Integer.bitCount(frameSize) != 1) {
            throw new IllegalArgumentException("frameSize must be a power of two in 256..65536, got " + frameSize);
        }
        checkFrames("rxFrames", rxFrames, frameSize);
        checkFrames("txFrames", txFrames, frameSize);
        if (linkCheckMillis < 0) {
            throw new IllegalArgumentException("linkCheckMillis must be >= 0, got " + linkCheckMillis);
        }
    }

    public static PacketSocketOptions defaults() {
        return new PacketSocketOptions(KernelNamespace.current(), DEFAULT_FRAME_SIZE, DEFAULT_RX_FRAMES,
            DEFAULT_TX_FRAMES, true, false, DEFAULT_LINK_CHECK_MILLIS);
    }

    public PacketSocketOptions withNamespace(final KernelNamespace newNamespace) {
        return new PacketSocketOptions(newNamespace, frameSize, rxFrames, txFrames, promiscuous, qdiscBypass,
            linkCheckMillis);
    }

    public PacketSocketOptions withFrameSize(final int newFrameSize) {
        return new PacketSocketOptions(namespace, newFrameSize, rxFrames, txFrames, promiscuous, qdiscBypass,
            linkCheckMillis);
    }

    public PacketSocketOptions withRxFrames(final int newRxFrames) {
        return new PacketSocketOptions(namespace, frameSize, newRxFrames, txFrames, promiscuous, qdiscBypass,
            linkCheckMillis);
    }

    public PacketSocketOptions withTxFrames(final int newTxFrames) {
        return new PacketSocketOptions(namespace, frameSize, rxFrames, newTxFrames, promiscuous, qdiscBypass,
            linkCheckMillis);
    }

    public PacketSocketOptions withPromiscuous(final boolean newPromiscuous) {
        return new PacketSocketOptions(namespace, frameSize, rxFrames, txFrames, newPromiscuous, qdiscBypass,
            linkCheckMillis);
    }

    public PacketSocketOptions withQdiscBypass(final boolean newQdiscBypass) {
        return new PacketSocketOptions(namespace, frameSize, rxFrames, txFrames, promiscuous, newQdiscBypass,
            linkCheckMillis);
    }

    public PacketSocketOptions withLinkCheckMillis(final int newLinkCheckMillis) {
        return new PacketSocketOptions(namespace, frameSize, rxFrames, txFrames, promiscuous, qdiscBypass,
            newLinkCheckMillis);
    }

    /** Ring block size: one page, or one slot when slots are larger than a page. */
    int blockSize() {
        return Math.max(PAGE_SIZE, frameSize);
    }

    int framesPerBlock() {
        return blockSize() / frameSize;
    }

    /** The largest frame a receive slot holds whole. */
    int rxSlotCapacity() {
        return frameSize - PacketSockets.RX_FRAME_OFFSET;
    }

    /** The largest frame a transmit slot holds. */
    int txSlotCapacity() {
        return frameSize - PacketSockets.TX_FRAME_OFFSET;
    }

    /** Bytes of the one mapping that holds both rings (RX first, then TX). */
    long mappingSize() {
        return (long) (rxFrames + txFrames) * frameSize;
    }

    private static void checkFrames(final String what, final int frames, final int frameSize) {
        final int perBlock = Math.max(PAGE_SIZE, frameSize) / frameSize;
        if (frames <= 0 || frames % perBlock != 0) {
            throw new IllegalArgumentException(
                what + " must be a positive multiple of " + perBlock + " (slots per " + PAGE_SIZE
                    + "-byte block at frameSize " + frameSize + "), got " + frames);
        }
    }
}
