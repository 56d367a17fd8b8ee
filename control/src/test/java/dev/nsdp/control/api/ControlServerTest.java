package dev.nsdp.control.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.control.model.ErrorKind;
import dev.nsdp.control.model.JsonReader;
import dev.nsdp.control.model.PortSpec;
import dev.nsdp.control.model.Reply;
import dev.nsdp.control.model.Request;
import dev.nsdp.dataplane.namespace.Caller;
import dev.nsdp.dataplane.namespace.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {
    @TempDir
    Path dir;

    private ControlServerConfig config() {
        return ControlServerConfig.DEFAULTS.withSocket(dir.resolve("nsdp.sock")).withSocketGroup(null).withMaxRequestBytes(4096);
    }

    @Test
    void requestsAndRepliesTravelAsJsonLinesOverTheUnixSocket() throws Exception {
        try (ServiceFixture f = new ServiceFixture(dir.resolve("journal"));
             ControlServer server = ControlServer.start(config(), f.service);
             ControlClient client = ControlClient.connect(server.socketPath())) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socketPath())));
            final Reply created = client.call(new Request.AddNamespace("red", Level.L2, null, "alice"));
            assertTrue(created.ok(), String.valueOf(created.error()));
            assertEquals(1L, created.id());
            assertEquals(1, created.sequence());
            assertEquals("red", ControlServiceTest.castMap(created.result()).get("name"));

            client.sendLine("{\"id\":\"x-1\",\"verb\":\"port.add\",\"namespace\":\"red\",\"name\":\"eth0\",\"kind\":\"memory\",\"link\":\"m0\"}");
            final String line = client.receiveLine();
            assertEquals("{\"id\":\"x-1\",\"ok\":true,\"seq\":2,\"result\":{\"name\":\"eth0\",\"namespace\":\"red\",\"index\":0,"
                + "\"up\":false,\"loopback\":false,\"kind\":\"memory\",\"link\":\"m0\"}}", line);
        }
        assertFalse(Files.exists(dir.resolve("nsdp.sock")), "the socket file is removed on close");
    }

    @Test
    void theKernelSaysWhoTheCallerIs() throws Exception {
        // The tests run as root (uid 0): SO_PEERCRED makes the caller the administrator "root".
        try (ServiceFixture f = new ServiceFixture(null);
             ControlServer server = ControlServer.start(config().withTcpPort(0), f.service);
             ControlClient unix = ControlClient.connect(server.socketPath());
             ControlClient tcp = ControlClient.connectTcp(server.tcpPort())) {
            final long uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            final String expected = uid == 0 ? "root" : new PeerIdentity(null).userName((int) uid);
            for (final ControlClient client : new ControlClient[] {unix, tcp}) {
                final Reply reply = client.call(new Request.Status());
                assertTrue(reply.ok(), String.valueOf(reply.error()));
                final Map<String, Object> status = ControlServiceTest.castMap(reply.result());
                assertEquals(expected, status.get("caller"));
                assertEquals(uid == 0, status.get("admin"));
            }
        }
    }

    @Test
    void malformedRequestsAreRefusedAndTheServerKeepsServing() throws Exception {
        try (ServiceFixture f = new ServiceFixture(dir.resolve("journal"));
             ControlServer server = ControlServer.start(config(), f.service);
             ControlClient client = ControlClient.connect(server.socketPath())) {
            final Map<String, Object> before = f.service.snapshot();
            expectError(client, "{\"verb\" \"namespace.add\"}", ErrorKind.BAD_JSON,
                "bad JSON at offset 8: expected ':' after an object key, got '\"'");
            expectError(client, "not json at all", ErrorKind.BAD_JSON, "bad JSON at offset 0: unexpected 'n'; expected a value");
            expectError(client, "[1,2]", ErrorKind.BAD_JSON, "expected a JSON object");
            expectError(client, "{\"id\":5,\"verb\":\"namespace.nuke\"}", ErrorKind.BAD_REQUEST, "unknown verb 'namespace.nuke'");
            expectError(client, "{\"id\":[1],\"verb\":\"status\"}", ErrorKind.BAD_REQUEST, "'id' must be an integer or a string");
            expectError(client, "{\"verb\":\"namespace.add\",\"name\":\"bad name\"}", ErrorKind.INVALID,
                "has the character ' ' at position 3");
            expectError(client, "{\"verb\":\"namespace.add\",\"name\":\"" + "x".repeat(16) + "\"}", ErrorKind.INVALID,
                "is 16 characters long, at most 15 are allowed");
            expectError(client, "{\"verb\":\"mac.add\",\"namespace\":\"root\",\"mac\":\"zz:00:00:00:00:01\",\"port\":\"e\"}",
                ErrorKind.INVALID, "non-hex octet 'zz'");
            expectError(client, "{\"verb\":\"vlan.map\",\"namespace\":\"root\",\"port\":\"e\",\"vlan\":0,\"to\":\"root\"}",
                ErrorKind.INVALID, "out of range 1..4094");
            expectError(client, "{\"verb\":\"namespace.delete\",\"name\":\"root\"}", ErrorKind.INVALID,
                "the root namespace can never be deleted");
            expectError(client, "{\"verb\":\"status\",\"pad\":\"" + "y".repeat(5000) + "\"}", ErrorKind.TOO_LARGE,
                "request longer than 4096 bytes; it was skipped");
            // Invalid UTF-8 (a lone continuation byte).
            try (SocketChannel raw = SocketChannel.open(java.net.UnixDomainSocketAddress.of(server.socketPath()))) {
                raw.write(ByteBuffer.wrap(new byte[] {'{', '"', (byte) 0x80, '"', '}', '\n'}));
                final ByteBuffer in = ByteBuffer.allocate(512);
                while (in.position() == 0 || in.get(in.position() - 1) != '\n') {
                    raw.read(in);
                }
                final String reply = new String(in.array(), 0, in.position(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(reply.contains("not valid UTF-8"), reply);
            }
            // Replies to a pipelined mix come back in order, and the server still serves.
            client.sendLine("garbage");
            client.send(new Request.AddNamespace("red", Level.L2, null, null).toJson());
            client.sendLine("{\"verb\":\"status\",\"extra\":1}");
            assertEquals(ErrorKind.BAD_JSON, client.receive().error().kind());
            final Reply created = client.receive();
            assertTrue(created.ok());
            assertEquals(ErrorKind.BAD_REQUEST, client.receive().error().kind());
            assertEquals(1, f.journal.lastSequence(), "only the one good change was journaled");
            assertEquals(before.keySet().size() + 1, f.service.snapshot().size());
        }
    }

    @Test
    void unauthorisedRequestsAreRefusedOverTheSocket() throws Exception {
        try (ServiceFixture f = new ServiceFixture(dir.resolve("journal"))) {
            ControlServiceTest.ok(f.call(ControlServiceTest.ADMIN, new Request.AddNamespace("red", Level.L2, null, "alice")));
            ControlServiceTest.ok(f.call(ControlServiceTest.ADMIN, new Request.AddPort("red", "eth0", PortSpec.memory("m0"))));
            final Map<String, Object> before = f.service.snapshot();
            try (ControlServer server = ControlServer.start(config(), f.service, Authenticator.fixed(Caller.user("bob")));
                 ControlClient bob = ControlClient.connect(server.socketPath())) {
                expectError(bob, "{\"verb\":\"namespace.add\",\"name\":\"bobs\"}", ErrorKind.PERMISSION_DENIED,
                    "user 'bob' may not create namespaces (namespace.add); only an administrator may");
                expectError(bob, "{\"verb\":\"port.move\",\"namespace\":\"red\",\"name\":\"eth0\",\"to\":\"root\"}",
                    ErrorKind.PERMISSION_DENIED, "may not move links between namespaces");
                expectError(bob, "{\"verb\":\"port.up\",\"namespace\":\"red\",\"name\":\"eth0\"}", ErrorKind.PERMISSION_DENIED,
                    "user 'bob' may not set devices up or down in namespace 'red' (owned by 'alice')");
                expectError(bob, "{\"verb\":\"namespace.delete\",\"name\":\"red\"}", ErrorKind.PERMISSION_DENIED,
                    "may not delete namespace 'red'");
                final Reply list = bob.call(new Request.ListNamespaces());
                assertEquals(Map.of("namespaces", java.util.List.of()), list.result(), "bob owns nothing and sees nothing");
            }
            try (ControlServer server = ControlServer.start(config(), f.service, channel -> null);
                 ControlClient nobody = ControlClient.connect(server.socketPath())) {
                final Reply reply = nobody.receive();
                assertEquals(ErrorKind.PERMISSION_DENIED, reply.error().kind());
                assertTrue(reply.error().message().contains("cannot tell who you are"));
            }
            assertEquals(before, f.service.snapshot());
            assertEquals(2, f.journal.lastSequence());
        }
    }

    @Test
    void aSecondServerOnTheSameSocketIsRefused() {
        try (ServiceFixture f = new ServiceFixture(null);
             ControlServer server = ControlServer.start(config(), f.service)) {
            final IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> ControlServer.start(config(), f.service));
            assertTrue(e.getMessage().contains("another nsdp control server is listening"), e.getMessage());
            assertTrue(Files.exists(server.socketPath()));
        }
    }

    private static void expectError(final ControlClient client, final String line, final ErrorKind kind, final String part)
        throws Exception {
        client.sendLine(line);
        final String text = client.receiveLine();
        JsonReader.parseObject(text); // a reply is always one JSON object
        final Reply reply = Reply.fromJson(text);
        assertFalse(reply.ok(), text);
        assertEquals(kind, reply.error().kind(), text);
        assertTrue(reply.error().message().contains(part), text);
    }
}
