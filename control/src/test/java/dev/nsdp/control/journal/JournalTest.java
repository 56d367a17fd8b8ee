package dev.nsdp.control.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.control.model.Request;
import dev.nsdp.dataplane.namespace.Caller;
import dev.nsdp.dataplane.namespace.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    private static final Caller ALICE = Caller.user("alice");
    private static final Caller ADMIN = Caller.administrator("root");

    @Test
    void appendedEntriesReplayInOrderAfterReopening() {
        try (Journal journal = Journal.open(dir, JournalSync.NONE)) {
            assertEquals(JournalFormat.VERSION, journal.format());
            journal.replay(e -> {
                throw new AssertionError("a new journal is empty");
            });
            assertEquals(1, journal.append(ADMIN, new Request.AddNamespace("red", Level.L2, null, "alice"), 1000));
            assertEquals(2, journal.append(ALICE, new Request.SetPortUp("red", "lo", true), 2000));
        }
        final List<JournalEntry> entries = new ArrayList<>();
        try (Journal journal = Journal.open(dir, JournalSync.SYNC)) {
            journal.replay(entries::add);
            assertEquals(2, journal.lastSequence());
            assertEquals(3, journal.append(ALICE, new Request.SetPortUp("red", "lo", false), 3000), "the sequence continues");
        }
        assertEquals(List.of(
            new JournalEntry(1, 1000, ADMIN, new Request.AddNamespace("red", Level.L2, null, "alice")),
            new JournalEntry(2, 2000, ALICE, new Request.SetPortUp("red", "lo", true))), entries);
    }

    @Test
    void theHeaderAndEntriesAreTheDocumentedText() {
        try (Journal journal = Journal.open(dir, JournalSync.NONE)) {
            journal.replay(e -> { });
            journal.append(ALICE, new Request.DeleteNamespace("red"), 1234);
        }
        final List<String> texts = rawTexts(dir);
        assertEquals(2, texts.size());
        assertTrue(texts.get(0).matches("\\{\"nsdp\":\"journal\",\"format\":1,\"created\":\\d+}"), texts.get(0));
        assertEquals("{\"seq\":1,\"time\":1234,\"caller\":\"alice\",\"admin\":false,"
            + "\"request\":{\"verb\":\"namespace.delete\",\"name\":\"red\"}}", texts.get(1));
    }

    @Test
    void aJournalFromANewerNsdpIsRefusedAndLeftAsItWas() throws Exception {
        writeRaw(dir, "{\"nsdp\":\"journal\",\"format\":2,\"created\":1}", "{\"seq\":1,\"future\":true}");
        final Map<String, String> before = fingerprint(dir);
        final JournalException e = assertThrows(JournalException.class, () -> Journal.open(dir, JournalSync.NONE));
        assertEquals("journal " + dir + " has format 2, written by a newer nsdp; this nsdp reads formats 1..1. "
            + "Run the newer nsdp, or move the journal away to start empty. Nothing was changed.", e.getMessage());
        assertEquals(before, fingerprint(dir), "the refused journal is untouched");
    }

    @Test
    void aJournalWithAnOlderUnreadableFormatIsRefusedAndLeftAsItWas() throws Exception {
        writeRaw(dir, "{\"nsdp\":\"journal\",\"format\":0,\"created\":1}", "{\"old\":1}");
        final Map<String, String> before = fingerprint(dir);
        final JournalException e = assertThrows(JournalException.class, () -> Journal.open(dir, JournalSync.NONE));
        assertEquals("journal " + dir + " has format 0, older than the oldest this nsdp reads (1..1). Replay it with the nsdp "
            + "that wrote it and export the namespaces, or move the journal away to start empty. Nothing was changed.", e.getMessage());
        assertEquals(before, fingerprint(dir));
    }

    @Test
    void aQueueThatIsNotAJournalIsRefused() {
        writeRaw(dir, "{\"hello\":1}");
        final JournalException e = assertThrows(JournalException.class, () -> Journal.open(dir, JournalSync.NONE));
        assertEquals(dir + " is not an nsdp journal: its first entry is not a header", e.getMessage());
    }

    @Test
    void aDamagedEntryStopsReplayInsteadOfBeingSkipped() {
        writeRaw(dir, "{\"nsdp\":\"journal\",\"format\":1,\"created\":1}",
            "{\"seq\":1,\"time\":1,\"caller\":\"root\",\"admin\":true,\"request\":{\"verb\":\"namespace.delete\",\"name\":\"a\"}}",
            "{\"seq\":2,\"time\":1,\"caller\":\"root\",\"admin\":true,\"request\":{\"verb\":\"namespace.teleport\"}}");
        try (Journal journal = Journal.open(dir, JournalSync.NONE)) {
            final List<JournalEntry> seen = new ArrayList<>();
            final JournalException e = assertThrows(JournalException.class, () -> journal.replay(seen::add));
            assertTrue(e.getMessage().contains("cannot be read: unknown verb 'namespace.teleport'"), e.getMessage());
            assertEquals(1, seen.size());
            assertThrows(IllegalStateException.class, () -> journal.append(ADMIN, new Request.DeleteNamespace("a"), 1),
                "nothing is appended to a journal that did not replay");
        }
    }

    static void writeRaw(final Path dir, final String... texts) {
        try (ChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.toFile()).rollCycle(LargeRollCycles.LARGE_DAILY).build();
             ExcerptAppender appender = queue.createAppender()) {
            for (final String text : texts) {
                appender.writeText(text);
            }
        }
    }

    static List<String> rawTexts(final Path dir) {
        final List<String> texts = new ArrayList<>();
        try (ChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.toFile()).rollCycle(LargeRollCycles.LARGE_DAILY).build();
             ExcerptTailer tailer = queue.createTailer()) {
            String text;
            while ((text = tailer.readText()) != null) {
                texts.add(text);
            }
        }
        return texts;
    }

    /** Name → SHA-256 of every file under {@code dir}. */
    static Map<String, String> fingerprint(final Path dir) throws IOException {
        final Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (final Path file : walk.filter(Files::isRegularFile).toList()) {
                try {
                    files.put(dir.relativize(file).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
                } catch (final java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return files;
    }
}
