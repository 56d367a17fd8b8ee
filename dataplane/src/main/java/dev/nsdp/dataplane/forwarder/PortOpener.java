package dev.nsdp.dataplane.forwarder;

import dev.nsdp.dataplane.nativ.Errno;
import dev.nsdp.dataplane.nativ.NativeException;
import dev.nsdp.dataplane.port.PacketSocketOptions;
import dev.nsdp.dataplane.port.PacketSocketPort;
import dev.nsdp.dataplane.port.Port;
import dev.nsdp.dataplane.port.TapPort;

/**
 * Opens the kernel side of a configured port, and turns the kernel's refusal into a message about
 * the configuration: which line, which link in which kernel namespace, what failed and which
 * setting or command fixes it.
 */
final class PortOpener {
    private PortOpener() {
    }

    /** Opens the port of {@code spec}; the caller owns it. */
    static Port open(final ConfigStatement.Port spec) throws ForwarderException {
        try {
            return switch (spec.kind()) {
                case AFPACKET -> PacketSocketPort.open(spec.link(), spec.options());
                case TAP -> TapPort.open(spec.link(), spec.kernelNamespace());
            };
        } catch (final NativeException e) {
            throw new ForwarderException(explain(spec, e), e);
        } catch (final IllegalArgumentException e) {
            throw new ForwarderException("line " + spec.line() + ": " + spec.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The user-facing message for a port that would not open. */
    static String explain(final ConfigStatement.Port spec, final NativeException e) {
        final String what = "line " + spec.line() + ": " + spec.describe() + ": ";
        final String failure = e.operation() + " failed: " + e.errnoName() + " (" + Errno.description(e.errno()) + ")";
        final String where = "kernel namespace '" + spec.kernelNamespace().displayName() + "'";
        final String hint = switch (e.errno()) {
            case Errno.ENODEV -> (spec.kind() == ConfigStatement.PortKind.TAP ? "TAP '" : "link '") + spec.link()
                + "' not found in " + where + ": create it first, or correct the name on line " + spec.line()
                + (spec.kernelNamespace().isCurrent() ? " (`ip link show`)"
                    : " (`ip -n " + spec.kernelNamespace().displayName() + " link show`)");
            case Errno.ENOMEM -> spec.options() == null ? e.hint() : ringHint(spec, spec.options());
            case Errno.EPERM, Errno.EACCES -> e.hint() != null ? e.hint()
                : "the forwarder needs CAP_NET_ADMIN and CAP_NET_RAW: " + Capabilities.HOW;
            default -> e.hint();
        };
        return what + failure + (hint == null ? "" : ": " + hint);
    }

    private static String ringHint(final ConfigStatement.Port spec, final PacketSocketOptions o) {
        final long bytes = (long) (o.rxFrames() + o.txFrames()) * o.frameSize();
        return "the kernel could not allocate or map the port's rings (" + bytes + " bytes: rx-frames " + o.rxFrames()
            + " + tx-frames " + o.txFrames() + " slots of frame-size " + o.frameSize() + "): lower rx-frames/tx-frames"
            + " (or frame-size, if frames stay below it) on line " + spec.line() + ", or free memory (and raise `ulimit -v`"
            + " if the process has an address-space limit)";
    }
}
