package dev.nsdp.control.journal;

import net.openhft.chronicle.bytes.SyncMode;

/**
 * When an appended change reaches the disk. In every mode the change is in the kernel's page cache
 * (the journal is memory-mapped) before it is acknowledged, so a crash of the process (kill -9, an
 * OOM kill) loses no acknowledged change; the modes differ only in a crash of the whole machine.
 */
public enum JournalSync {
    /** msync(MS_SYNC) of each change before its acknowledgement: survives power loss. The default. */
    SYNC(SyncMode.SYNC),
    /** msync(MS_ASYNC): the kernel starts writing at once; a machine crash may lose the last changes. */
    ASYNC(SyncMode.ASYNC),
    /** The kernel writes back when it likes (about 30 s); for tests and benchmarks. */
    NONE(SyncMode.NONE);

    private final SyncMode chronicleMode;

    JournalSync(final SyncMode chronicleMode) {
        this.chronicleMode = chronicleMode;
    }

    SyncMode chronicleMode() {
        return chronicleMode;
    }
}
