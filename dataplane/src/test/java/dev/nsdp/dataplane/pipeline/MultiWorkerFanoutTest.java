package dev.nsdp.dataplane.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.Dataplane;
import dev.nsdp.dataplane.namespace.Caller;
import dev.nsdp.dataplane.namespace.Level;
import dev.nsdp.dataplane.namespace.NamespaceRegistry;
import dev.nsdp.dataplane.nativ.KernelLab;
import dev.nsdp.dataplane.nativ.KernelNamespace;
import dev.nsdp.dataplane.port.PacketSocketGroup;
import dev.nsdp.dataplane.port.PacketSocketOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two workers share each of two links through PACKET_FANOUT (one socket per worker per link, hash
 * mode): real kernel hosts send many UDP flows with sequence numbers through nsdp. Every datagram
 * arrives, no flow is reordered, and both workers carried traffic. Bounded: 32 flows x 100
 * datagrams at about 32 per millisecond, 60 s at most.
 */
class MultiWorkerFanoutTest {
    private static final Caller ADMIN = Caller.administrator("test");
    private static final int FLOWS = 32;
    private static final int PER_FLOW = 100;

    private static final String SENDER = """
        import socket, struct, sys, time
        flows, count = int(sys.argv[1]), int(sys.argv[2])
        sockets = []
        for f in range(flows):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(('198.18.9.1', 42000 + f))
            sockets.append(s)
        for seq in range(count):
            for f in range(flows):
                sockets[f].sendto(struct.pack('!II', f, seq), ('198.18.9.2', 9999))
            time.sleep(0.001)
        """;

    private static final String RECEIVER = """
        import socket, struct, sys
        expected = int(sys.argv[1])
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        s.bind(('198.18.9.2', 9999))
        s.settimeout(20)
        print('ready', flush=True)
        got = 0
        try:
            while got < expected:
                data = s.recv(64)
                f, seq = struct.unpack('!II', data[:8])
                print(f, seq)
                got += 1
        except socket.timeout:
            pass
        print('done', got, flush=True)
        """;

    @Test
    void twoWorkersShareLinksWithoutReorderingOrLosingAFlow() throws Exception {
        try (KernelLab lab = KernelLab.open()) {
            final String gen = lab.namespace("g");
            final String dut = lab.namespace("d");
            final String sink = lab.namespace("s");
            final String d0 = lab.link("d0");
            final String d1 = lab.link("d1");
            lab.vethPair(gen, "g0", dut, d0);
            lab.vethPair(dut, d1, sink, "s0");
            lab.ip("-n", gen, "addr", "add", "198.18.9.1/24", "dev", "g0");
            lab.ip("-n", sink, "addr", "add", "198.18.9.2/24", "dev", "s0");

            final PacketSocketOptions options = PacketSocketOptions.defaults().withNamespace(KernelNamespace.named(dut));
            try (Dataplane dataplane = new Dataplane(new Dataplane.Config(8192, 4096), WorkerIdleStrategy.Mode.BALANCED, 2)) {
                dataplane.start();
                final NamespaceRegistry ns = dataplane.namespaces();
                ns.createNamespace(ADMIN, "fan", Level.L2);
                ns.addPort(ADMIN, "fan", "p0", PacketSocketGroup.open(d0, options, 2));
                ns.addPort(ADMIN, "fan", "p1", PacketSocketGroup.open(d1, options, 2));
                ns.setPortUp(ADMIN, "fan", "p0", true);
                ns.setPortUp(ADMIN, "fan", "p1", true);
                dataplane.sync();
                assertEquals(0, lab.exec(gen, "ping", "-c", "2", "-W", "2", "198.18.9.2").exitCode(), "ARP and ping through nsdp");

                final Process receiver = lab.start(sink, "python3", "-c", RECEIVER, String.valueOf(FLOWS * PER_FLOW));
                final java.io.BufferedReader lines = receiver.inputReader();
                assertEquals("ready", lines.readLine());
                lab.exec(gen, "python3", "-c", SENDER, String.valueOf(FLOWS), String.valueOf(PER_FLOW)).checked();
                final Map<Integer, List<Integer>> byFlow = new HashMap<>();
                String line;
                int done = -1;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("done")) {
                        done = Integer.parseInt(line.split(" ")[1]);
                        break;
                    }
                    final String[] parts = line.split(" ");
                    byFlow.computeIfAbsent(Integer.parseInt(parts[0]), f -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
                }
                assertTrue(receiver.waitFor(60, TimeUnit.SECONDS));
                assertEquals(FLOWS * PER_FLOW, done, "every datagram arrived");
                for (int f = 0; f < FLOWS; f++) {
                    final List<Integer> seqs = byFlow.get(f);
                    for (int i = 0; i < PER_FLOW; i++) {
                        assertEquals(i, seqs.get(i), "flow " + f + " in order: " + seqs);
                    }
                }
                final int p0 = ns.port("fan", "p0").portIndex();
                final long first = dataplane.workers().get(0).counters().portRxPackets(p0);
                final long second = dataplane.workers().get(1).counters().portRxPackets(p0);
                assertTrue(first > 0 && second > 0, "both workers received from the shared link: " + first + " and " + second);
                assertTrue(first + second >= FLOWS * PER_FLOW, first + " + " + second);
            }
        }
    }
}
