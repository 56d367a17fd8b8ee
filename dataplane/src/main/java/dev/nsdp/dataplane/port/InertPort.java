package dev.nsdp.dataplane.port;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.PacketVector;

/**
 * A port that carries nothing: its link is down, it receives nothing and takes nothing to send.
 * It stands in where the model needs a port but no frames may move: a dry run of a configuration,
 * the control service's validation registry, a port whose link is missing, a worker's view of a port
 * another worker drives. A worker treats it as a port whose link is down.
 */
public class InertPort implements Port {
    private final String name;

    public InertPort(final String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
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
        return "inert:" + name;
    }
}
