package dev.nsdp.perf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.perf.testing.JsonSyntax;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PerfCommandTest {
    @TempDir
    Path dir;

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome perf(final String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = PerfCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), new AtomicBoolean());
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "loop --rate 0                        | rate must be positive",
        "loop --rate 0Mpps                    | rate must be positive",
        "loop --rate fast                     | is not a number",
        "loop --size 63                       | outside 64..9000",
        "loop --size 9001                     | outside 64..9000",
        "loop --ipv6 --size 64                | the minimum is 84",
        "loop --size imix --ipv6              | the minimum is 84",
        "loop --count 0                       | --count must be at least 1",
        "loop --count 10 --duration 1s        | not both",
        "loop --duration 10                   | needs a unit",
        "loop --burst 300                     | --burst must be 1..256",
        "loop --flows 3 --vary src-mac        | unknown flow field",
        "loop --src-ip 198.18.0.1 --dst-ip 2001:db8::1 | not of one IP version",
        "loop --src-port 65535 --flows 2      | does not fit",
        "loop --speed 1                       | unknown option --speed",
        "loop --ring 1000                     | power of two",
        "loop --stall-at 1s                   | needs --stall-for",
        "gen --link nsdp-no-such-link0        | unknown link 'nsdp-no-such-link0'",
        "gen                                  | give the port",
        "sink --link nsdp-no-such-link0       | unknown link",
        "rfc2544 --sizes 64,x                 | --sizes",
        "rfc2544 --min-rate 2M --max-rate 1M  | min rate <= max rate",
        "rfc2544 --size 64                    | unknown option --size",
        "gen --link g0 --netns nsdp-no-such-ns | unknown kernel network namespace 'nsdp-no-such-ns'",
        "latency --rate 0                     | rate must be positive",
        "latency --tx-link nsdp-no-such-link0 --rx-link lo | unknown link 'nsdp-no-such-link0'",
        "rfc2544 --tx-link lo                 | give the port: --rx-link",
        "frobnicate                           | unknown command"})
    void badArgumentsAreRefusedWithAClearMessage(final String command, final String message) {
        final Outcome o = perf(command.trim().split("\\s+"));
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains(message), "wanted '" + message + "' in: " + o.err());
        assertTrue(o.out().isEmpty(), "nothing runs: " + o.out());
    }

    @Test
    void helpForEveryCommand() {
        for (final String c : new String[] {"loop", "rfc2544", "latency", "gen", "sink"}) {
            final Outcome o = perf("help", c);
            assertEquals(0, o.status());
            assertTrue(o.out().contains("perf " + c), o.out());
        }
        assertEquals(0, perf("loop", "--help").status());
        assertTrue(perf().err().contains("usage: perf COMMAND"));
    }

    @Test
    void loopRunStopsAtItsCountAndWritesItsReports() throws Exception {
        final Outcome o = perf("loop", "--rate", "20k", "--count", "3000", "--warmup", "0s", "--flows", "2", "--size", "imix",
            "--report", dir.resolve("loop").toString(), "--quiet");
        assertEquals(0, o.status(), o.err() + o.out());
        final String json = Files.readString(dir.resolve("loop.json"));
        JsonSyntax.check(json);
        assertTrue(json.contains("\"frames\": 3000"), json);
        assertTrue(json.contains("\"framesSwitched\": 3000"), json);
        assertTrue(Files.readString(dir.resolve("loop.svg")).startsWith("<?xml"));
        assertTrue(Files.readString(dir.resolve("loop.hlog")).contains("HISTFAAA"));
        assertTrue(o.out().contains("received"), o.out());
    }

    @Test
    void rfc2544RunWritesItsReports() throws Exception {
        final Outcome o = perf("rfc2544", "--sizes", "64,imix", "--trial", "100ms", "--min-rate", "1k", "--max-rate", "20k",
            "--max-trials", "3", "--latency-trial", "100ms", "--drain", "200ms", "--report", dir.resolve("rfc").toString());
        assertEquals(0, o.status(), o.err() + o.out());
        final String json = Files.readString(dir.resolve("rfc.json"));
        JsonSyntax.check(json);
        assertTrue(json.contains("\"frameSizes\": \"imix\""), json);
        assertTrue(o.out().contains("throughput"), o.out());
        assertTrue(Files.readString(dir.resolve("rfc.svg")).contains("one point per trial"));
    }
}
