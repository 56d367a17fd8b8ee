package dev.nsdp.control.api;

import dev.nsdp.control.model.PortSpec;
import dev.nsdp.dataplane.port.InertPort;

/**
 * An {@link InertPort} that remembers the spec it stands in for. Two uses: the
 * control service's validation registry (which never forwards, so it holds placeholders for the real
 * ports), and a port the journal names whose link cannot be opened at replay (it stays configured,
 * down, so every later change that names it still applies; {@code status} lists it as missing).
 */
final class PlaceholderPort extends InertPort {
    private final PortSpec spec;

    PlaceholderPort(final PortSpec spec) {
        super(spec.link());
        this.spec = spec;
    }

    PortSpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return "placeholder:" + spec;
    }
}
