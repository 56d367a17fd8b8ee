package dev.nsdp.control.journal;

import dev.nsdp.control.model.ControlException;
import dev.nsdp.control.model.Fields;
import dev.nsdp.control.model.JsonException;
import dev.nsdp.control.model.JsonReader;
import dev.nsdp.control.model.JsonWriter;
import dev.nsdp.control.model.Request;
import dev.nsdp.control.model.RequestCodec;
import dev.nsdp.dataplane.namespace.Caller;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The journal's format, version {@value #VERSION}. It is meant to outlive upgrades of nsdp, so it is
 * plain and documented here:
 *
 * <ul>
 * <li><b>Container.</b> A Chronicle Queue directory (files {@code yyyyMMdd'L'.cq4}, one per day, plus
 *     {@code metadata.cq4t}), daily roll cycle LARGE_DAILY. Every excerpt is one UTF-8 text message
 *     (Chronicle's {@code writeText}) holding one JSON object on one line.</li>
 * <li><b>Header.</b> The first excerpt ever written is
 *     {@code {"nsdp":"journal","format":1,"created":<epoch ms>}}. {@code format} is this version.</li>
 * <li><b>Entries.</b> Every later excerpt is one accepted change:
 *     {@code {"seq":N,"time":<epoch ms>,"caller":"alice","admin":false,"request":{"verb":"mac.add",...}}}
 *     where {@code request} is exactly the request's protocol JSON ({@link Request#toJson()}) and
 *     {@code seq} counts 1, 2, 3 ... without gaps.</li>
 * </ul>
 *
 * <p><b>Versions.</b> A new nsdp may add verbs and optional fields without changing the version; it
 * bumps the version only when an old reader would misread an entry. On open, a journal whose header
 * has a version this nsdp cannot read ({@code format} above {@value #VERSION}: written by a newer
 * nsdp; or below {@value #OLDEST_READABLE}: not a format this nsdp knows) is refused with a message
 * naming both versions, and the process does not start: nothing is replayed, appended or rewritten,
 * so the journal is still intact for the nsdp that can read it. Every version from
 * {@value #OLDEST_READABLE} to {@value #VERSION} is read (today that is version 1 only).
 * A directory whose first excerpt is not a header is refused as "not an nsdp journal".
 */
public final class JournalFormat {
    /** The version this nsdp writes. */
    public static final int VERSION = 1;
    /** The oldest version this nsdp still reads. */
    public static final int OLDEST_READABLE = 1;

    static final String MAGIC_KEY = "nsdp";
    static final String MAGIC_VALUE = "journal";

    private JournalFormat() {
    }

    static String header(final int version, final long createdMillis) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put(MAGIC_KEY, MAGIC_VALUE);
        json.put("format", (long) version);
        json.put("created", createdMillis);
        return JsonWriter.write(json);
    }

    /** The header's format version; refuses text that is not an nsdp journal header. */
    static int readHeader(final String text, final String where) {
        final Map<String, Object> json;
        try {
            json = JsonReader.parseObject(text);
        } catch (final JsonException e) {
            throw new JournalException(where + " is not an nsdp journal: its first entry is not a header (" + e.getMessage() + ")");
        }
        if (!MAGIC_VALUE.equals(json.get(MAGIC_KEY)) || !(json.get("format") instanceof Long format)) {
            throw new JournalException(where + " is not an nsdp journal: its first entry is not a header");
        }
        if (format > VERSION) {
            throw new JournalException("journal " + where + " has format " + format + ", written by a newer nsdp; this nsdp reads formats "
                + OLDEST_READABLE + ".." + VERSION + ". Run the newer nsdp, or move the journal away to start empty. Nothing was changed.");
        }
        if (format < OLDEST_READABLE) {
            throw new JournalException("journal " + where + " has format " + format + ", older than the oldest this nsdp reads ("
                + OLDEST_READABLE + ".." + VERSION + "). Replay it with the nsdp that wrote it and export the namespaces, "
                + "or move the journal away to start empty. Nothing was changed.");
        }
        return format.intValue();
    }

    static String entry(final long sequence, final long timeMillis, final Caller caller, final Request request) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("seq", sequence);
        json.put("time", timeMillis);
        json.put("caller", caller.principal());
        json.put("admin", caller.privileged());
        json.put("request", request.toJson());
        return JsonWriter.write(json);
    }

    static JournalEntry readEntry(final String text, final int version, final long index) {
        try {
            final Fields f = Fields.of(JsonReader.parseObject(text), "journal entry");
            final long sequence = f.integer("seq", 1, Long.MAX_VALUE);
            final long time = f.integer("time", 0, Long.MAX_VALUE);
            final Caller caller = new Caller(f.string("caller"), f.optionalBoolean("admin", false));
            @SuppressWarnings("unchecked")
            final Map<String, Object> request = (Map<String, Object>) f.object("request").json();
            return new JournalEntry(sequence, time, caller, RequestCodec.decode(request));
        } catch (final JsonException | ControlException | dev.nsdp.dataplane.namespace.NamespaceException e) {
            throw new JournalException("journal entry at index 0x" + Long.toHexString(index) + " (format " + version
                + ") cannot be read: " + (e instanceof ControlException ce ? ce.error().message() : e.getMessage()) + "; the journal is damaged or from an incompatible nsdp", e);
        }
    }
}
