package dev.nsdp.perf.traffic;

/** A header field that changes from flow to flow: flow {@code k} adds {@code k} to each varied field. */
public enum FlowField {
    SRC_IP("src-ip"),
    DST_IP("dst-ip"),
    SRC_PORT("src-port"),
    DST_PORT("dst-port");

    private final String text;

    FlowField(final String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public static FlowField parse(final String text) {
        for (final FlowField f : values()) {
            if (f.text.equals(text.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown flow field '" + text + "': use src-ip, dst-ip, src-port or dst-port");
    }
}
