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

/**
 * Parses the executable jar's arguments into an {@link Invocation}. Options are {@code --name value} or
 * {@code --name=value}; {@code --help} (or {@code -h}) anywhere asks for the usage text.
 */
final class CommandLine {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar raftbus-kv.jar MODE [OPTIONS]",
            "",
            "  demo [--data DIR] [--timeout SECONDS]",
            "      Start an embedded Kafka broker and a 3-node cluster (n1, n2, n3) in this process and open a console:",
            "      " + CommandParser.HELP.substring("commands: ".length()) + ".",
            "      With standard input not a terminal, it runs the commands line by line (one output line each;",
            "      status: one line per node) and exits at end of input.",
            "      --data DIR  keep the nodes' SQLite logs in DIR, so a later demo resumes them (default: a temporary",
            "                  directory deleted at exit); the broker's data is always temporary",
            "      --timeout SECONDS  how long each command may take (default "
                    + Invocation.DEMO_COMMAND_TIMEOUT.toSeconds() + ")",
            "",
            "  node --id ID --members ID,ID,... --bootstrap HOST:PORT --data DIR [--cluster NAME] [--join]",
            "       [--command-config FILE] [--metrics-log SECONDS] [--metrics-port PORT]",
            "      Run one node of a cluster whose nodes talk through an existing Kafka; its log is DIR/ID.db.",
            "      Type add ID, remove ID or status at the leader's node to change or show the membership.",
            "      --join  start a new node outside a running cluster (--members: its voters, without --id), to be",
            "              added there with add ID; restart it later with the same options",
            "      --metrics-log SECONDS  print a one-line metrics summary every SECONDS",
            "      --metrics-port PORT    serve Prometheus metrics at http://HOST:PORT/metrics",
            "",
            "  client --bootstrap HOST:PORT [--members ID,ID,...] [--cluster NAME] [--timeout SECONDS]",
            "         [--command-config FILE] COMMAND",
            "      Send one command (put KEY VALUE | get KEY | del KEY | cas KEY OLD NEW) to the cluster through",
            "      Kafka and print its result. --timeout bounds connecting and waiting for the result.",
            "",
            "  broker",
            "      Start a single-node development Kafka broker (plaintext, on 127.0.0.1, data deleted at exit), print",
            "      its address for --bootstrap, and run until stopped.",
            "",
            "  inspect --data DIR [--node ID] [--entries N]",
            "      Describe the SQLite log DIR/ID.db (every *.db in DIR without --node): cluster, node, term, vote,",
            "      first/last index, and the last N entries (default 10). Read-only; safe while the node runs.",
            "",
            "  --command-config FILE  Kafka client properties (security.protocol, sasl.*, ssl.*, ...), as for",
            "                         Kafka's own tools; raftbus.* transport settings are accepted too.",
            "  Defaults: --cluster " + Invocation.DEFAULT_CLUSTER + ", --members " + String.join(",", Invocation.DEFAULT_MEMBERS)
                    + ", --timeout " + Invocation.DEFAULT_TIMEOUT.toSeconds() + ".",
            "  Exit status: 0 success, 1 failure, 2 usage error; stopped by Ctrl-C (SIGINT) 130, by SIGTERM 143.");

    /** Default of {@code inspect --entries}. */
    static final int DEFAULT_ENTRIES = 10;

    private CommandLine() {
    }

    /** @throws UsageException if the arguments do not form a valid invocation */
    static Invocation parse(String[] args) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("no mode given");
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        // a client's command may contain any word; elsewhere --help anywhere asks for help
        List<String> options = args[0].equals("client") ? Parsed.optionPart(rest) : rest;
        if (args[0].equals("help") || isHelpOption(args[0]) || options.stream().anyMatch(CommandLine::isHelpOption)) {
            return new Invocation.Help();
        }
        return switch (args[0]) {
            case "demo" -> parseDemo(rest);
            case "node" -> parseNode(rest);
            case "client" -> parseClient(rest);
            case "broker" -> parseBroker(rest);
            case "inspect" -> parseInspect(rest);
            default -> throw new UsageException("unknown mode '" + args[0] + "'");
        };
    }

    private static boolean isHelpOption(String arg) {
        return arg.equals("-h") || arg.equals("--help");
    }

    private static Invocation parseDemo(List<String> args) throws UsageException {
        Parsed parsed = Parsed.of(args, Set.of("data", "timeout"));
        parsed.requireNoWords("demo");
        String data = parsed.options.get("data");
        return new Invocation.Demo(data == null ? null : Path.of(data),
                timeout(parsed, Invocation.DEMO_COMMAND_TIMEOUT));
    }

    private static Invocation parseNode(List<String> args) throws UsageException {
        Parsed parsed = Parsed.of(args, Set.of("id", "members", "bootstrap", "data", "cluster", "command-config",
                "metrics-log", "metrics-port", "join"));
        parsed.requireNoWords("node");
        String id = parsed.required("id");
        Set<String> members = new LinkedHashSet<>(memberList(parsed.required("members")));
        boolean join = parsed.options.containsKey("join");
        if (join && members.contains(id)) {
            throw new UsageException("--join: --members lists the voters of the cluster " + id + " joins, without "
                    + id + " itself");
        }
        if (!join && !members.contains(id)) {
            throw new UsageException("--id " + id + " is not one of --members " + String.join(",", members)
                    + " (a node joining a running cluster is started with --join)");
        }
        String cluster = clusterName(parsed);
        for (String member : members) {
            requireName("--members", member);
        }
        requireName("--id", id); // a joining node's id is not among --members
        int metricsLog = wholeNumber(parsed, "metrics-log", 1, 86_400, "a number of seconds");
        int metricsPort = wholeNumber(parsed, "metrics-port", 1, 65_535, "a TCP port");
        return new Invocation.Node(id, Set.copyOf(members), parsed.required("bootstrap"),
                Path.of(parsed.required("data")), cluster, commandConfig(parsed), metricsLog, metricsPort, join);
    }

    /** An optional whole-number option within [min, max]; 0 when not given. */
    private static int wholeNumber(Parsed parsed, String name, int min, int max, String what) throws UsageException {
        String given = parsed.options.get(name);
        if (given == null) {
            return 0;
        }
        int value;
        try {
            value = Integer.parseInt(given);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " takes " + what + ", not '" + given + "'");
        }
        if (value < min || value > max) {
            throw new UsageException("--" + name + " must be from " + min + " to " + max + ", not " + value);
        }
        return value;
    }

    /** The {@code --timeout SECONDS} option (a positive number, fractions allowed), or {@code otherwise}. */
    private static Duration timeout(Parsed parsed, Duration otherwise) throws UsageException {
        String given = parsed.options.get("timeout");
        if (given == null) {
            return otherwise;
        }
        Duration timeout;
        try {
            timeout = Duration.ofMillis(Math.round(Double.parseDouble(given) * 1000));
        } catch (NumberFormatException e) {
            throw new UsageException("--timeout takes a number of seconds, not '" + given + "'");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new UsageException("--timeout must be positive");
        }
        return timeout;
    }

    private static Invocation parseClient(List<String> args) throws UsageException {
        Parsed parsed = Parsed.of(args, Set.of("bootstrap", "members", "cluster", "timeout", "command-config"));
        String members = parsed.options.get("members");
        Duration timeout = timeout(parsed, Invocation.DEFAULT_TIMEOUT);
        if (parsed.words.isEmpty()) {
            throw new UsageException("client: no command given (put KEY VALUE | get KEY | del KEY | cas KEY OLD NEW)");
        }
        ConsoleCommand command = CommandParser.parse(parsed.words);
        if (!(command instanceof ConsoleCommand.Kv kv)) {
            throw new UsageException("client: only put, get, del and cas can be sent to a cluster, not '"
                    + parsed.words.get(0) + "'");
        }
        String cluster = clusterName(parsed);
        return new Invocation.Client(parsed.required("bootstrap"),
                members == null ? Invocation.DEFAULT_MEMBERS : memberList(members), cluster, timeout, kv.command(),
                commandConfig(parsed));
    }

    private static Invocation parseBroker(List<String> args) throws UsageException {
        Parsed.of(args, Set.of()).requireNoWords("broker");
        return new Invocation.Broker();
    }

    private static Invocation parseInspect(List<String> args) throws UsageException {
        Parsed parsed = Parsed.of(args, Set.of("data", "node", "entries"));
        parsed.requireNoWords("inspect");
        int entries = DEFAULT_ENTRIES;
        String given = parsed.options.get("entries");
        if (given != null) {
            try {
                entries = Integer.parseInt(given);
            } catch (NumberFormatException e) {
                throw new UsageException("--entries takes a whole number, not '" + given + "'");
            }
            if (entries < 0) {
                throw new UsageException("--entries must not be negative");
            }
        }
        return new Invocation.Inspect(Path.of(parsed.required("data")), parsed.options.get("node"), entries);
    }

    private static String clusterName(Parsed parsed) throws UsageException {
        String cluster = parsed.options.getOrDefault("cluster", Invocation.DEFAULT_CLUSTER);
        requireName("--cluster", cluster);
        return cluster;
    }

    /** Cluster and node ids become parts of Kafka topic names: letters, digits, '.', '_' and '-' only. */
    private static void requireName(String option, String name) throws UsageException {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new UsageException(option + " '" + name + "' may only use letters, digits, '.', '_' and '-' "
                    + "(it becomes part of Kafka topic names)");
        }
    }

    private static Map<String, String> commandConfig(Parsed parsed) throws UsageException {
        String file = parsed.options.get("command-config");
        return file == null ? Map.of() : KafkaPropertiesFile.load(Path.of(file));
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

        /** The arguments before the first word that is not an option (a client's command may contain "--x"). */
        static List<String> optionPart(List<String> args) {
            int i = 0;
            while (i < args.size() && args.get(i).startsWith("--")) {
                i += args.get(i).contains("=") ? 1 : 2;
            }
            return args.subList(0, Math.min(i, args.size()));
        }

        /** Options that take no value: present or not. */
        private static final Set<String> FLAGS = Set.of("join");

        static Parsed of(List<String> args, Set<String> known) throws UsageException {
            Map<String, String> options = new HashMap<>();
            int i = 0;
            while (i < args.size() && args.get(i).startsWith("--")) {
                String arg = args.get(i).substring(2);
                int eq = arg.indexOf('=');
                String name = eq >= 0 ? arg.substring(0, eq) : arg;
                if (!known.contains(name)) {
                    throw new UsageException("unknown option --" + name);
                }
                String value;
                if (FLAGS.contains(name)) {
                    if (eq >= 0) {
                        throw new UsageException("--" + name + " takes no value");
                    }
                    value = "true";
                    i++;
                } else if (eq >= 0) {
                    value = arg.substring(eq + 1);
                    i++;
                } else {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args.get(i + 1);
                    i += 2;
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
