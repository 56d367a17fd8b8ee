package dev.nsdp.control.cli;

import java.util.List;

/**
 * The words of a command line, read front to back, with iproute2's rules for keywords: a word
 * matches a keyword when it is a non-empty prefix of it ({@code a} for {@code add}, {@code del}
 * for {@code delete}), and the first keyword in the caller's order wins.
 */
final class Arguments {
    private final List<String> words;
    private int position;
    private String usage;

    Arguments(final List<String> words) {
        this.words = List.copyOf(words);
    }

    /** The usage text that errors from here on should print. */
    Arguments usage(final String text) {
        this.usage = text;
        return this;
    }

    String usage() {
        return usage;
    }

    boolean hasNext() {
        return position < words.size();
    }

    String peek() {
        return hasNext() ? words.get(position) : null;
    }

    String next() {
        if (!hasNext()) {
            throw new UsageException("the command is not complete", usage);
        }
        return words.get(position++);
    }

    /** The argument of keyword {@code keyword}: the next word, which must exist. */
    String valueOf(final String keyword) {
        if (!hasNext()) {
            throw new UsageException("'" + keyword + "' needs an argument", usage);
        }
        return words.get(position++);
    }

    int intValueOf(final String keyword, final long min, final long max) {
        final String text = valueOf(keyword);
        try {
            final long value = Long.parseLong(text);
            if (value < min || value > max) {
                throw new UsageException("'" + keyword + " " + text + "': the value must be " + min + ".." + max, usage);
            }
            return (int) value;
        } catch (final NumberFormatException e) {
            throw new UsageException("'" + keyword + " " + text + "': '" + text + "' is not a number", usage);
        }
    }

    /** Everything not read yet (for {@code netns exec NAME CMD...}). */
    List<String> rest() {
        final List<String> rest = words.subList(position, words.size());
        position = words.size();
        return rest;
    }

    /** True when {@code word} is a non-empty prefix of {@code keyword} (iproute2's matches()). */
    static boolean matches(final String word, final String keyword) {
        return word != null && !word.isEmpty() && keyword.startsWith(word);
    }

    /** True when the next word is {@code help}, {@code -h} or {@code --help}. */
    boolean helpRequested() {
        return isHelp(peek());
    }

    static boolean isHelp(final String word) {
        return word != null && (word.equals("help") || word.equals("-h") || word.equals("--help") || word.equals("-help"));
    }

    UsageException unknown(final String word, final String what) {
        return new UsageException("unknown " + what + " '" + word + "'", usage);
    }
}
