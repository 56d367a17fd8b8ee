package dev.nsdp.control.model;

/**
 * Text that is not the JSON the control protocol accepts. The message names the offset (in
 * characters from the start of the request) and what was expected there, e.g.
 * {@code bad JSON at offset 17: expected ':' after an object key}.
 */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public JsonException(final int offset, final String problem) {
        super("bad JSON at offset " + offset + ": " + problem);
        this.offset = offset;
    }

    /** Where in the text the problem was found. */
    public int offset() {
        return offset;
    }
}
