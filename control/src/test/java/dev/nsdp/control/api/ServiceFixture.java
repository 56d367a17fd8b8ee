package dev.nsdp.control.api;

import dev.nsdp.control.journal.Journal;
import dev.nsdp.control.journal.JournalSync;
import dev.nsdp.control.model.Reply;
import dev.nsdp.control.model.Request;
import dev.nsdp.dataplane.Dataplane;
import dev.nsdp.dataplane.namespace.Caller;
import java.nio.file.Path;

/** A running dataplane with memory ports, a control service over it, and (optionally) its journal. */
final class ServiceFixture implements AutoCloseable {
    final Dataplane dataplane;
    final MemoryPortFactory ports;
    final Journal journal;
    final ControlService service;

    ServiceFixture(final Path journalDir) {
        dataplane = new Dataplane(new Dataplane.Config(2048, 4096)).start();
        ports = new MemoryPortFactory(dataplane::sync);
        journal = journalDir == null ? null : Journal.open(journalDir, JournalSync.NONE);
        service = new ControlService(dataplane.namespaces(), ports, journal);
        service.start();
    }

    Reply call(final Caller caller, final Request request) {
        return service.submit(caller, request).join();
    }

    @Override
    public void close() {
        service.close();
        if (journal != null) {
            journal.close();
        }
        dataplane.close();
    }
}
