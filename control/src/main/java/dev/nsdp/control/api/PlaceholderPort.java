package dev.nsdp.control.api;

import dev.nsdp.control.model.PortSpec;
import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.port.Port;

/**
 * A port that carries nothing: link down, receives nothing, takes nothing to send. Two uses: the
 * control service's validation registry (which never forwards, so it holds placeholders for the real
 * ports), and a port the journal names whose link cannot be opened at replay (it stays configured,
 * down, so every later change that names it still applies; {@code status} lists it as missing).
 */
final class PlaceholderPort implements Port {
    private final PortSpec spec;

    PlaceholderPort(final PortSpec spec) {
        this.spec = spec;
    }

    PortSpec spec() {
        return spec;
    }

    @Override
    public String name() {
        return spec.link();
    }

    @Override
    public boolean isLinkUp() {
        return false;
    }

    @Override
    public int receive(final PacketVector into, final int portIndex, final BufferCache cache) {
        return 0;
    }

    @Override
    public int transmit(final PacketVector from, final BufferCache cache) {
        return 0;
    }

    @Override
    public void close(final BufferCache cache) {
    }

    @Override
    public String toString() {
        return "placeholder:" + spec;
    }
}
