package dev.nsdp.control.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A declarative lab: the kernel objects and dataplane configuration a lab needs, one `nsdp`
 * command per line, in the order they are made (so a file reads like the commands a person
 * would type, and `nsdp -batch` could run it once on an empty machine).
 *
 * <pre>
 * # comment
 * netns add h1
 * link add v1 type veth peer name lan0 netns h1
 * -n h1 addr add 198.18.0.1/24 dev lan0
 * dp ns add red
 * dp -n red port add p1 type afpacket link v1
 * </pre>
 *
 * A line may start with {@code -n KNS} (the kernel namespace it acts in, as {@code ip -n});
 * dataplane lines start with {@code dp} and take {@code -n NS} after it. {@link LabStep} says
 * which commands apply knows how to check and undo.
 */
record LabFile(String source, List<LabStep> steps) {

    static LabFile read(final String file) {
        final List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file));
        } catch (final IOException e) {
            throw new IllegalArgumentException("cannot read lab file '" + file + "': " + NsdpCli.describe(e));
        }
        return parse(file, lines);
    }

    /** Parses every line; throws IllegalArgumentException listing every bad line (nothing is run). */
    static LabFile parse(final String source, final List<String> lines) {
        final List<LabStep> steps = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            final String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            try {
                steps.add(LabStep.of(i + 1, Arrays.asList(text.split("\\s+"))));
            } catch (final IllegalArgumentException e) {
                problems.add(source + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new LabFile(source, List.copyOf(steps));
    }
}
