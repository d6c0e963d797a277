package io.raftbus.examples.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses console lines into {@link ConsoleCommand}s. Words are separated by whitespace; a word containing spaces
 * can be written in double quotes, inside which {@code \"} and {@code \\} stand for {@code "} and {@code \}.
 * Blank lines and lines starting with {@code #} are not commands.
 */
final class CommandParser {

    /** The one-line command list printed by {@code help}. */
    static final String HELP = "commands: put KEY VALUE | get KEY | del KEY | cas KEY OLD NEW | status"
            + " | kill NODE | stop NODE | restart NODE | partition NODE | heal NODE | snapshot NODE | wait-applied NODE"
            + " | add NODE | remove NODE | help | quit";

    private CommandParser() {
    }

    /**
     * Parses one console line.
     *
     * @return the command, or empty for a blank or comment line
     * @throws UsageException for an unknown command, a missing or extra argument, or an unclosed quote
     */
    static Optional<ConsoleCommand> parseLine(String line) throws UsageException {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return Optional.empty();
        }
        return Optional.of(parse(tokenize(trimmed)));
    }

    /** Parses an already split command (for example the {@code client} mode's arguments). */
    static ConsoleCommand parse(List<String> words) throws UsageException {
        if (words.isEmpty()) {
            throw new UsageException("no command given; " + HELP);
        }
        String name = words.get(0).toLowerCase();
        List<String> args = words.subList(1, words.size());
        return switch (name) {
            case "put", "set" -> {
                expect(args, 2, "put KEY VALUE");
                yield new ConsoleCommand.Kv(new KvCommand.Put(args.get(0), args.get(1)));
            }
            case "get" -> {
                expect(args, 1, "get KEY");
                yield new ConsoleCommand.Kv(new KvCommand.Get(args.get(0)));
            }
            case "del", "delete" -> {
                expect(args, 1, "del KEY");
                yield new ConsoleCommand.Kv(new KvCommand.Delete(args.get(0)));
            }
            case "cas" -> {
                expect(args, 3, "cas KEY OLD NEW");
                yield new ConsoleCommand.Kv(new KvCommand.Cas(args.get(0), args.get(1), args.get(2)));
            }
            case "status" -> {
                expect(args, 0, "status");
                yield new ConsoleCommand.Status();
            }
            case "kill" -> {
                expect(args, 1, "kill NODE");
                yield new ConsoleCommand.Kill(args.get(0));
            }
            case "stop" -> {
                expect(args, 1, "stop NODE");
                yield new ConsoleCommand.Stop(args.get(0));
            }
            case "restart" -> {
                expect(args, 1, "restart NODE");
                yield new ConsoleCommand.Restart(args.get(0));
            }
            case "partition" -> {
                expect(args, 1, "partition NODE");
                yield new ConsoleCommand.Partition(args.get(0));
            }
            case "heal" -> {
                expect(args, 1, "heal NODE");
                yield new ConsoleCommand.Heal(args.get(0));
            }
            case "snapshot" -> {
                expect(args, 1, "snapshot NODE");
                yield new ConsoleCommand.Snapshot(args.get(0));
            }
            case "wait-applied" -> {
                expect(args, 1, "wait-applied NODE");
                yield new ConsoleCommand.WaitApplied(args.get(0));
            }
            case "add" -> {
                expect(args, 1, "add NODE");
                yield new ConsoleCommand.Add(args.get(0));
            }
            case "remove" -> {
                expect(args, 1, "remove NODE");
                yield new ConsoleCommand.Remove(args.get(0));
            }
            case "help", "?" -> {
                expect(args, 0, "help");
                yield new ConsoleCommand.Help();
            }
            case "quit", "exit" -> {
                expect(args, 0, "quit");
                yield new ConsoleCommand.Quit();
            }
            default -> throw new UsageException("unknown command '" + words.get(0) + "'; type help for the list");
        };
    }

    private static void expect(List<String> args, int count, String usage) throws UsageException {
        if (args.size() < count) {
            throw new UsageException("missing argument; usage: " + usage);
        }
        if (args.size() > count) {
            throw new UsageException("too many arguments; usage: " + usage
                    + (usage.startsWith("put") || usage.startsWith("cas") ? " (quote values with spaces)" : ""));
        }
        if (count > 0 && args.get(0).isEmpty()) {
            throw new UsageException("the first argument must not be empty; usage: " + usage);
        }
    }

    /** Splits a line into words, honouring double quotes. */
    static List<String> tokenize(String line) throws UsageException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                    word.append(line.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == '"') {
                quoted = true;
                inWord = true;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quoted) {
            throw new UsageException("unclosed double quote");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
