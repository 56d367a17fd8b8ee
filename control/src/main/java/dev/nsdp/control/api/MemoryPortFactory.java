package dev.nsdp.control.api;

import dev.nsdp.control.model.ControlException;
import dev.nsdp.control.model.ErrorKind;
import dev.nsdp.control.model.PortFactory;
import dev.nsdp.control.model.PortKind;
import dev.nsdp.control.model.PortSpec;
import dev.nsdp.dataplane.port.MemoryLink;
import dev.nsdp.dataplane.port.Port;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens memory ports only: {@code memory:NAME} is the dataplane end of a fresh {@link MemoryLink}
 * whose other end ({@link #hostEnd}) belongs to the process (tests, benchmarks, the standalone
 * control daemon). AF_PACKET and TAP specs are refused: the forwarder supplies a factory for those.
 */
public final class MemoryPortFactory implements PortFactory {
    private final Runnable beforeClose;
    private final Map<String, MemoryLink> links = new HashMap<>();

    /** {@code beforeClose} runs before a released port is closed: waits until the worker has let go of it. */
    public MemoryPortFactory(final Runnable beforeClose) {
        this.beforeClose = beforeClose;
    }

    @Override
    public Port open(final PortSpec spec) {
        if (spec.kind() != PortKind.MEMORY) {
            throw new ControlException(ErrorKind.PORT_UNAVAILABLE, "this process has memory ports only; " + spec
                + " needs the forwarder");
        }
        if (links.containsKey(spec.link())) {
            throw new ControlException(ErrorKind.PORT_UNAVAILABLE, "memory link '" + spec.link() + "' is already open");
        }
        final MemoryLink link = new MemoryLink(spec.link() + "-host", spec.link());
        links.put(spec.link(), link);
        return link.b();
    }

    @Override
    public void release(final Port port) {
        links.values().removeIf(link -> link.b() == port);
        beforeClose.run();
        port.close();
    }

    /** True if {@code port} is the dataplane end of a memory link this factory opened. */
    public boolean owns(final Port port) {
        for (final MemoryLink link : links.values()) {
            if (link.b() == port) {
                return true;
            }
        }
        return false;
    }

    /** The process's end of memory link {@code name}, or null if it is not open. */
    public MemoryLink.End hostEnd(final String name) {
        final MemoryLink link = links.get(name);
        return link == null ? null : link.a();
    }
}
