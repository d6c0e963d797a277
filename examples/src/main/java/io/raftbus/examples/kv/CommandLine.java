package io.raftbus.examples.kv;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses the executable jar's arguments into an {@link Invocation}. Options are {@code --name value} or {@code --name=value}. */
final class CommandLine {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar raftbus-kv.jar MODE [OPTIONS]",
            "",
            "  demo [--data DIR]",
            "      Start an embedded Kafka broker and a 3-node cluster (n1, n2, n3) in this process and open a console:",
            "      put KEY VALUE, get KEY, del KEY, cas KEY OLD NEW, status, kill NODE, restart NODE,",
            "      partition NODE, heal NODE, help, quit. With standard input not a terminal, it runs the commands",
            "      line by line (one output line each; status: one line per node) and exits at end of input.",
            "      --data DIR  keep the logs and broker data in DIR (default: a temporary directory deleted at exit)",
            "",
            "  node --id ID --members ID,ID,... --bootstrap HOST:PORT --data DIR [--cluster NAME]",
            "      Run one node of a cluster whose nodes talk through an existing Kafka; its log is DIR/ID.db.",
            "",
            "  client --bootstrap HOST:PORT [--members ID,ID,...] [--cluster NAME] [--timeout SECONDS] COMMAND",
            "      Send one command (put KEY VALUE | get KEY | del KEY | cas KEY OLD NEW) to the cluster through",
            "      Kafka and print its result.",
            "",
            "  Defaults: --cluster " + Invocation.DEFAULT_CLUSTER + ", --members " + String.join(",", Invocation.DEFAULT_MEMBERS)
                    + ", --timeout " + Invocation.DEFAULT_TIMEOUT.toSeconds() + ".",
            "  Exit status: 0 success, 1 failure, 2 usage error.");

    private CommandLine() {
    }

    /** @throws UsageException if the arguments do not form a valid invocation */
    static Invocation parse(String[] args) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("no mode given");
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        return switch (args[0]) {
            case "help", "-h", "--help" -> new Invocation.Help();
            case "demo" -> parseDemo(rest);
            case "node" -> parseNode(rest);
            case "client" -> parseClient(rest);
            default -> throw new UsageException("unknown mode '" + args[0] + "'");
        };
    }

    private static Invocation parseDemo(List<String> args) throws UsageException {
        Parsed parsed = Parsed.of(args, Set.of("data"));
        parsed.requireNoWords("demo");
        String data = parsed.options.get("data");
        return new Invocation.Demo(data == null ? null : Path.of(data));
    }

    private static Invocation parseNode(List<String> args) throws UsageException {
        Parsed parsed = Parsed.of(args, Set.of("id", "members", "bootstrap", "data", "cluster"));
        parsed.requireNoWords("node");
        String id = parsed.required("id");
        Set<String> members = new LinkedHashSet<>(memberList(parsed.required("members")));
        if (!members.contains(id)) {
            throw new UsageException("--id " + id + " is not one of --members " + String.join(",", members));
        }
        return new Invocation.Node(id, Set.copyOf(members), parsed.required("bootstrap"),
                Path.of(parsed.required("data")), parsed.options.getOrDefault("cluster", Invocation.DEFAULT_CLUSTER));
    }

    private static Invocation parseClient(List<String> args) throws UsageException {
        Parsed parsed = Parsed.of(args, Set.of("bootstrap", "members", "cluster", "timeout"));
        String members = parsed.options.get("members");
        Duration timeout = Invocation.DEFAULT_TIMEOUT;
        if (parsed.options.containsKey("timeout")) {
            try {
                timeout = Duration.ofMillis(Math.round(Double.parseDouble(parsed.options.get("timeout")) * 1000));
            } catch (NumberFormatException e) {
                throw new UsageException("--timeout takes a number of seconds, not '" + parsed.options.get("timeout") + "'");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new UsageException("--timeout must be positive");
            }
        }
        if (parsed.words.isEmpty()) {
            throw new UsageException("client: no command given (put KEY VALUE | get KEY | del KEY | cas KEY OLD NEW)");
        }
        ConsoleCommand command = CommandParser.parse(parsed.words);
        if (!(command instanceof ConsoleCommand.Kv kv)) {
            throw new UsageException("client: only put, get, del and cas can be sent to a cluster, not '"
                    + parsed.words.get(0) + "'");
        }
        return new Invocation.Client(parsed.required("bootstrap"),
                members == null ? Invocation.DEFAULT_MEMBERS : memberList(members),
                parsed.options.getOrDefault("cluster", Invocation.DEFAULT_CLUSTER), timeout, kv.command());
    }

    private static List<String> memberList(String csv) throws UsageException {
        List<String> members = new ArrayList<>();
        for (String id : csv.split(",")) {
            String trimmed = id.strip();
            if (trimmed.isEmpty()) {
                throw new UsageException("--members has an empty node id: '" + csv + "'");
            }
            if (members.contains(trimmed)) {
                throw new UsageException("--members names " + trimmed + " twice");
            }
            members.add(trimmed);
        }
        return List.copyOf(members);
    }

    /** Options up to the first word that is not an option; the rest are words. */
    private record Parsed(Map<String, String> options, List<String> words) {

        static Parsed of(List<String> args, Set<String> known) throws UsageException {
            Map<String, String> options = new HashMap<>();
            int i = 0;
            while (i < args.size() && args.get(i).startsWith("--")) {
                String arg = args.get(i).substring(2);
                String name;
                String value;
                int eq = arg.indexOf('=');
                if (eq >= 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                    i++;
                } else {
                    name = arg;
                    if (i + 1 >= args.size()) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args.get(i + 1);
                    i += 2;
                }
                if (!known.contains(name)) {
                    throw new UsageException("unknown option --" + name);
                }
                if (value.isEmpty()) {
                    throw new UsageException("--" + name + " needs a non-empty value");
                }
                if (options.put(name, value) != null) {
                    throw new UsageException("--" + name + " given twice");
                }
            }
            return new Parsed(options, List.copyOf(args.subList(i, args.size())));
        }

        String required(String name) throws UsageException {
            String value = options.get(name);
            if (value == null) {
                throw new UsageException("--" + name + " is required");
            }
            return value;
        }

        void requireNoWords(String mode) throws UsageException {
            if (!words.isEmpty()) {
                throw new UsageException(mode + ": unexpected argument '" + words.get(0) + "'");
            }
        }
    }
}
