package dev.nsdp.control.journal;

import dev.nsdp.control.model.Request;
import dev.nsdp.dataplane.namespace.Caller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;

/**
 * The durable journal of accepted configuration changes: an embedded Chronicle Queue in one
 * directory (default {@value #DEFAULT_DIRECTORY}), in the format {@link JournalFormat} documents.
 * The control service appends each accepted change before it acknowledges it, and replays the
 * whole journal when the process starts.
 *
 * <p>Single-threaded: one control thread opens it, replays it and appends to it (Chronicle's
 * appenders belong to the thread that made them).
 */
public final class Journal implements AutoCloseable {
    public static final String DEFAULT_DIRECTORY = "/var/lib/nsdp/journal";
    /** How long a reader waits on an excerpt a killed writer left unfinished before Chronicle recovers it. */
    private static final long RECOVERY_TIMEOUT_MS = 2_000;

    private final Path directory;
    private final ChronicleQueue queue;
    private final int format;
    private ExcerptAppender appender;
    private long lastSequence;
    private boolean replayed;

    private Journal(final Path directory, final ChronicleQueue queue, final int format) {
        this.directory = directory;
        this.queue = queue;
        this.format = format;
    }

    /**
     * Opens (creating if needed) the journal in {@code directory}. A new journal gets a header of the
     * current format; an existing one must have a readable format ({@link JournalFormat}), otherwise
     * this throws and nothing is changed.
     */
    public static Journal open(final Path directory, final JournalSync sync) {
        try {
            Files.createDirectories(directory);
        } catch (final IOException e) {
            throw new JournalException("cannot create journal directory " + directory + ": " + e.getMessage(), e);
        }
        checkExistingHeader(directory);
        final ChronicleQueue queue;
        try {
            queue = SingleChronicleQueueBuilder.single(directory.toFile())
                .rollCycle(LargeRollCycles.LARGE_DAILY)
                .syncMode(sync.chronicleMode())
                .timeoutMS(RECOVERY_TIMEOUT_MS)
                .build();
        } catch (final RuntimeException e) {
            throw new JournalException("cannot open journal " + directory + ": " + e, e);
        }
        try {
            final int format;
            try (ExcerptTailer tailer = queue.createTailer()) {
                final String first = tailer.readText();
                if (first == null) {
                    format = JournalFormat.VERSION;
                    try (ExcerptAppender headerAppender = queue.createAppender()) {
                        headerAppender.writeText(JournalFormat.header(format, System.currentTimeMillis()));
                    }
                } else {
                    format = JournalFormat.readHeader(first, directory.toString());
                }
            }
            return new Journal(directory, queue, format);
        } catch (final RuntimeException e) {
            queue.close();
            throw e instanceof JournalException je ? je : new JournalException("cannot read journal " + directory + ": " + e, e);
        }
    }

    /**
     * Reads the header of an existing journal through a read-only queue first, so a journal this nsdp
     * must refuse is not touched at all (opening a queue for writing updates its metadata file).
     */
    private static void checkExistingHeader(final Path directory) {
        final boolean hasData;
        try (java.util.stream.Stream<Path> files = Files.list(directory)) {
            hasData = files.anyMatch(file -> file.getFileName().toString().endsWith(".cq4"));
        } catch (final IOException e) {
            throw new JournalException("cannot list journal directory " + directory + ": " + e.getMessage(), e);
        }
        if (!hasData) {
            return;
        }
        try (ChronicleQueue readOnly = SingleChronicleQueueBuilder.single(directory.toFile())
                 .rollCycle(LargeRollCycles.LARGE_DAILY).readOnly(true).build();
             ExcerptTailer tailer = readOnly.createTailer()) {
            final String first = tailer.readText();
            if (first != null) {
                JournalFormat.readHeader(first, directory.toString());
            }
        } catch (final JournalException e) {
            throw e;
        } catch (final RuntimeException e) {
            throw new JournalException("cannot read journal " + directory + ": " + e, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** The format version in the header (what this journal was created with). */
    public int format() {
        return format;
    }

    /** Sequence number of the last entry replayed or appended (0 for an empty journal). */
    public long lastSequence() {
        return lastSequence;
    }

    /**
     * Hands every entry, oldest first, to {@code consumer}; afterwards {@link #append} continues the
     * sequence. Refuses an entry it cannot read, or a gap in the sequence, rather than skip it.
     */
    public void replay(final Consumer<JournalEntry> consumer) {
        try (ExcerptTailer tailer = queue.createTailer()) {
            tailer.readText(); // the header, checked on open
            String text;
            long expected = 1;
            while ((text = tailer.readText()) != null) {
                final JournalEntry entry = JournalFormat.readEntry(text, format, tailer.lastReadIndex());
                if (entry.sequence() != expected) {
                    throw new JournalException("journal " + directory + " has entry " + entry.sequence() + " where "
                        + expected + " was expected; it is damaged");
                }
                expected++;
                consumer.accept(entry);
                lastSequence = entry.sequence();
            }
        }
        replayed = true;
    }

    /**
     * Appends one accepted change and returns its sequence number. When this returns, the change is
     * in the journal's memory-mapped file (and, with {@link JournalSync#SYNC}, on disk).
     */
    public long append(final Caller caller, final Request request, final long timeMillis) {
        if (!replayed) {
            throw new IllegalStateException("replay the journal before appending to it");
        }
        final long sequence = lastSequence + 1;
        final String text = JournalFormat.entry(sequence, timeMillis, caller, request);
        try {
            if (appender == null) {
                appender = queue.createAppender();
            }
            appender.writeText(text);
        } catch (final RuntimeException e) {
            throw new JournalException("cannot append to journal " + directory + ": " + e, e);
        }
        lastSequence = sequence;
        return sequence;
    }

    @Override
    public void close() {
        if (appender != null) {
            appender.close();
        }
        queue.close();
    }
}
