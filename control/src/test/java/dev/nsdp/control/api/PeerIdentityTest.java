package dev.nsdp.control.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nsdp.dataplane.namespace.Caller;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerIdentityTest {
    @TempDir
    Path root;
    private PeerIdentity identity;

    @BeforeEach
    void files() throws Exception {
        final Path etc = Files.createDirectories(root.resolve("etc"));
        final Path proc = Files.createDirectories(root.resolve("proc"));
        Files.writeString(etc.resolve("passwd"), """
            root:x:0:0:root:/root:/bin/bash
            alice:x:1000:1000::/home/alice:/bin/sh
            carol:x:1002:1002::/home/carol:/bin/sh
            """);
        Files.writeString(etc.resolve("group"), """
            root:x:0:
            nsdp-admin:x:990:carol
            """);
        Files.createDirectories(proc.resolve("4242"));
        Files.writeString(proc.resolve("4242").resolve("status"), "Name:\tjava\nGid:\t1002\t1002\t1002\t1002\nGroups:\t27 990 1002\n");
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net").resolve("tcp"), """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
               1: 0100007F:D431 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 2 1 0 20 4 30 10 -1
            """);
        identity = new PeerIdentity("nsdp-admin", etc, proc);
    }

    @Test
    void rootIsAnAdministrator() {
        assertEquals(Caller.administrator("root"), identity.fromCredentials(1, 0, new int[] {0}));
    }

    @Test
    void aUserIsAnAdministratorOnlyThroughTheAdminGroup() {
        assertEquals(990, identity.adminGid());
        assertEquals(Caller.user("alice"), identity.fromCredentials(77, 1000, new int[] {1000}));
        assertEquals(Caller.administrator("carol"), identity.fromCredentials(4242, 1002, new int[] {1002}), "supplementary group");
        assertEquals(Caller.administrator("alice"), identity.fromCredentials(77, 1000, new int[] {990}), "primary group");
    }

    @Test
    void aUidWithoutANameGetsANumericPrincipal() {
        assertEquals(Caller.user("uid-31337"), identity.fromCredentials(1, 31337, new int[] {31337}));
    }

    @Test
    void aLoopbackTcpPeerIsTheOwnerOfItsSocket() {
        final var peer = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0xD431);
        final var local = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 8080);
        assertEquals(Caller.user("alice"), identity.fromTcp(peer, local));
        assertEquals(null, identity.fromTcp(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 1), local));
    }
}
