package dev.nsdp.dataplane.port;

import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.nativ.PacketSockets;
import dev.nsdp.dataplane.nativ.VirtioNetHeader;
import java.util.Objects;

/**
 * How a {@link PacketSocketPort} is set up.
 *
 * @param namespace           the kernel network namespace the link is in ({@link KernelNamespace#current()} by default)
 * @param frameSize           bytes per ring slot, a power of two in 256..65536. A slot holds one frame after its
 *                            header (66 bytes on receive, 32 on transmit, each 10 more with {@code vnetHeader}), so
 *                            the default 2048 takes any 1500-MTU frame whole. Larger frames (GSO super-frames) do
 *                            not need larger slots: see {@code vnetHeader}
 * @param rxFrames            receive ring slots (a multiple of the frames per 4 KiB block when frameSize is below 4 KiB)
 * @param txFrames            transmit ring slots (same rule)
 * @param promiscuous         join PACKET_MR_PROMISC, so frames for other MACs arrive (a switch needs them)
 * @param qdiscBypass         PACKET_QDISC_BYPASS: transmit straight to the driver, skipping the link's qdisc
 *                            (faster; loses the qdisc's shaping and its back-pressure)
 * @param linkCheckMillis     how often {@link PacketSocketPort#isLinkUp()} asks the kernel (ms; it answers from a
 *                            cache in between, and asks at once after a transmit error says the link went down)
 * @param vnetHeader          PACKET_VNET_HDR (default on): the kernel puts a virtio-net header in front of every
 *                            received frame, saying where a partial checksum goes and whether the frame is a GSO
 *                            super-frame (TCP/UDP segmentation offload, up to 64 KiB, which a veth with default
 *                            offloads passes on unsegmented). The port then completes checksums without parsing and
 *                            segments super-frames into frames that fit a pool buffer ({@link FrameSplitter}).
 *                            Frames larger than a slot reach the port whole through the socket's receive queue
 *                            (PACKET_COPY_THRESH) rather than through larger slots: see {@code oversizeBufferBytes}.
 *                            Off: super-frames are dropped ({@code rx-frame-too-long}) and partial checksums are
 *                            found by parsing, as before
 * @param oversizeBufferBytes with {@code vnetHeader}: the socket receive buffer (SO_RCVBUF, forced past
 *                            net.core.rmem_max where the process may) that bounds the kernel memory of frames
 *                            larger than a slot waiting whole for the port (about 64 KiB each for a full TCP
 *                            super-frame). Too small and the kernel delivers such frames only cut short, which the
 *                            port counts ({@code rx-oversize-not-copied}) and TCP answers by slowing down.
 *                            0 leaves the kernel's default (about 208 KiB: three super-frames)
 * @param fanoutGroup         PACKET_FANOUT group id (0..65535) shared with the other ports on the same link, or -1
 *                            for none. Several ports (one per worker) then share the link's received frames
 * @param fanoutMode          how the group spreads frames ({@link FanoutMode#HASH}: whole flows per member)
 * @param fanoutDefrag        PACKET_FANOUT_FLAG_DEFRAG: the kernel reassembles IPv4 fragments before hashing, so a
 *                            fragmented datagram reaches the member its flow's other datagrams reach (without it,
 *                            fragments lack ports and hash apart from their flow). Reassembled datagrams larger than
 *                            a pool buffer are fragmented again by the port ({@link FrameSplitter})
 */
public record PacketSocketOptions(
    KernelNamespace namespace,
    int frameSize,
    int rxFrames,
    int txFrames,
    boolean promiscuous,
    boolean qdiscBypass,
    int linkCheckMillis,
    boolean vnetHeader,
    int oversizeBufferBytes,
    int fanoutGroup,
    FanoutMode fanoutMode,
    boolean fanoutDefrag) {

    public static final int DEFAULT_FRAME_SIZE = 2048;
    public static final int DEFAULT_RX_FRAMES = 1024;
    public static final int DEFAULT_TX_FRAMES = 1024;
    public static final int DEFAULT_LINK_CHECK_MILLIS = 100;
    /** Room for about 64 full TCP super-frames waiting for the port. */
    public static final int DEFAULT_OVERSIZE_BUFFER_BYTES = 4 << 20;
    public static final int NO_FANOUT = -1;
    /** The kernel allocates ring memory in blocks of whole pages; one block holds one or more slots. */
    static final int PAGE_SIZE = 4096;

    public PacketSocketOptions {
        Objects.requireNonNull(namespace, "namespace (use KernelNamespace.current() for the caller's own)");
        Objects.requireNonNull(fanoutMode, "fanoutMode");
        if (frameSize < 256 || frameSize > 65536 || Integer.bitCount(frameSize) != 1) {
            throw new IllegalArgumentException("frameSize must be a power of two in 256..65536, got " + frameSize);
        }
        checkFrames("rxFrames", rxFrames, frameSize);
        checkFrames("txFrames", txFrames, frameSize);
        if (linkCheckMillis < 0) {
            throw new IllegalArgumentException("linkCheckMillis must be >= 0, got " + linkCheckMillis);
        }
        if (oversizeBufferBytes < 0) {
            throw new IllegalArgumentException("oversizeBufferBytes must be >= 0, got " + oversizeBufferBytes);
        }
        if (fanoutGroup < NO_FANOUT || fanoutGroup > 0xFFFF) {
            throw new IllegalArgumentException("fanoutGroup must be 0..65535 (or -1 for none), got " + fanoutGroup);
        }
    }

    public static PacketSocketOptions defaults() {
        return new PacketSocketOptions(KernelNamespace.current(), DEFAULT_FRAME_SIZE, DEFAULT_RX_FRAMES,
            DEFAULT_TX_FRAMES, true, false, DEFAULT_LINK_CHECK_MILLIS, true, DEFAULT_OVERSIZE_BUFFER_BYTES,
            NO_FANOUT, FanoutMode.HASH, false);
    }

    public PacketSocketOptions withNamespace(final KernelNamespace newNamespace) {
        return new PacketSocketOptions(newNamespace, frameSize, rxFrames, txFrames, promiscuous, qdiscBypass,
            linkCheckMillis, vnetHeader, oversizeBufferBytes, fanoutGroup, fanoutMode, fanoutDefrag);
    }

    public PacketSocketOptions withFrameSize(final int newFrameSize) {
        return new PacketSocketOptions(namespace, newFrameSize, rxFrames, txFrames, promiscuous, qdiscBypass,
            linkCheckMillis, vnetHeader, oversizeBufferBytes, fanoutGroup, fanoutMode, fanoutDefrag);
    }

    public PacketSocketOptions withRxFrames(final int newRxFrames) {
        return new PacketSocketOptions(namespace, frameSize, newRxFrames, txFrames, promiscuous, qdiscBypass,
            linkCheckMillis, vnetHeader, oversizeBufferBytes, fanoutGroup, fanoutMode, fanoutDefrag);
    }

    public PacketSocketOptions withTxFrames(final int newTxFrames) {
        return new PacketSocketOptions(namespace, frameSize, rxFrames, newTxFrames, promiscuous, qdiscBypass,
            linkCheckMillis, vnetHeader, oversizeBufferBytes, fanoutGroup, fanoutMode, fanoutDefrag);
    }

    public PacketSocketOptions withPromiscuous(final boolean newPromiscuous) {
        return new PacketSocketOptions(namespace, frameSize, rxFrames, txFrames, newPromiscuous, qdiscBypass,
            linkCheckMillis, vnetHeader, oversizeBufferBytes, fanoutGroup, fanoutMode, fanoutDefrag);
    }

    public PacketSocketOptions withQdiscBypass(final boolean newQdiscBypass) {
        return new PacketSocketOptions(namespace, frameSize, rxFrames, txFrames, promiscuous, newQdiscBypass,
            linkCheckMillis, vnetHeader, oversizeBufferBytes, fanoutGroup, fanoutMode, fanoutDefrag);
    }

    public PacketSocketOptions withLinkCheckMillis(final int newLinkCheckMillis) {
        return new PacketSocketOptions(namespace, frameSize, rxFrames, txFrames, promiscuous, qdiscBypass,
            newLinkCheckMillis, vnetHeader, oversizeBufferBytes, fanoutGroup, fanoutMode, fanoutDefrag);
    }

    public PacketSocketOptions withVnetHeader(final boolean newVnetHeader) {
        return new PacketSocketOptions(namespace, frameSize, rxFrames, txFrames, promiscuous, qdiscBypass,
            linkCheckMillis, newVnetHeader, oversizeBufferBytes, fanoutGroup, fanoutMode, fanoutDefrag);
    }

    public PacketSocketOptions withOversizeBufferBytes(final int newOversizeBufferBytes) {
        return new PacketSocketOptions(namespace, frameSize, rxFrames, txFrames, promiscuous, qdiscBypass,
            linkCheckMillis, vnetHeader, newOversizeBufferBytes, fanoutGroup, fanoutMode, fanoutDefrag);
    }

    /**
     * Joins PACKET_FANOUT group {@code groupId} on the link in {@code mode}. Every port of the group
     * must be on the same link with the same mode and defrag setting. {@link FanoutMode#HASH} turns
     * {@link #fanoutDefrag} on (so fragments follow their flow); the other modes turn it off.
     */
    public PacketSocketOptions withFanout(final int groupId, final FanoutMode mode) {
        if (groupId < 0) {
            throw new IllegalArgumentException("fanout group id must be 0..65535, got " + groupId);
        }
        return new PacketSocketOptions(namespace, frameSize, rxFrames, txFrames, promiscuous, qdiscBypass,
            linkCheckMillis, vnetHeader, oversizeBufferBytes, groupId, mode, mode == FanoutMode.HASH);
    }

    public PacketSocketOptions withFanoutDefrag(final boolean newFanoutDefrag) {
        return new PacketSocketOptions(namespace, frameSize, rxFrames, txFrames, promiscuous, qdiscBypass,
            linkCheckMillis, vnetHeader, oversizeBufferBytes, fanoutGroup, fanoutMode, newFanoutDefrag);
    }

    public PacketSocketOptions withoutFanout() {
        return new PacketSocketOptions(namespace, frameSize, rxFrames, txFrames, promiscuous, qdiscBypass,
            linkCheckMillis, vnetHeader, oversizeBufferBytes, NO_FANOUT, fanoutMode, fanoutDefrag);
    }

    public boolean hasFanout() {
        return fanoutGroup != NO_FANOUT;
    }

    /** Ring block size: one page, or one slot when slots are larger than a page. */
    int blockSize() {
        return Math.max(PAGE_SIZE, frameSize);
    }

    int framesPerBlock() {
        return blockSize() / frameSize;
    }

    /** Bytes in front of every frame in a slot for the virtio-net header (0 without it). */
    int vnetHeaderBytes() {
        return vnetHeader ? VirtioNetHeader.SIZE : 0;
    }

    /** The largest frame a receive slot holds whole. */
    int rxSlotCapacity() {
        return frameSize - PacketSockets.RX_FRAME_OFFSET - vnetHeaderBytes();
    }

    /** The largest frame a transmit slot holds. */
    int txSlotCapacity() {
        return frameSize - PacketSockets.TX_FRAME_OFFSET - vnetHeaderBytes();
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
