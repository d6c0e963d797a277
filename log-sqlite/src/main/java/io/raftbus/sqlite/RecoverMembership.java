package io.raftbus.sqlite;

import io.raftbus.engine.spi.Membership;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The command line of {@link MembershipRecovery}: quorum-loss recovery of one stopped node's SQLite log. A dry run
 * unless {@value #ACK} is given. Read docs/OPERATIONS.md, "Recovering from a lost majority", first.
 *
 * <pre>
 * java -cp ... io.raftbus.sqlite.RecoverMembership --log FILE --voters ID[,ID...] [--learners ID[,ID...]]
 *      [--term T] [--snapshot-dir DIR] [--dry-run | --i-understand-acknowledged-commits-may-be-lost]
 * </pre>
 * Exit status: 0 done (or dry run), 1 refused or failed, 2 bad command line.
 */
public final class RecoverMembership {

    /** The flag without which nothing is written. */
    public static final String ACK = "--i-understand-acknowledged-commits-may-be-lost";

    static final String USAGE = """
            usage: RecoverMembership --log FILE --voters ID[,ID...] [--learners ID[,ID...]] [--term T]
                                     [--snapshot-dir DIR] [--dry-run | %s]
            Rewrites the membership of a STOPPED node's SQLite log after the cluster lost its majority for good.
            UNSAFE: commands acknowledged by the lost nodes only are lost. Never run it while a majority is alive.
            Run it on every survivor with the same --voters and the same --term (above every survivor's current
            term, printed by a dry run); see docs/OPERATIONS.md, "Recovering from a lost majority".
              --log FILE          the node's SQLite log file
              --voters IDS        the voters to restart with (comma-separated), this node among them
              --learners IDS      learners to restart with (default none)
              --term T            the recovery term, the same on every survivor; optional if --voters is this
                                  node alone
              --snapshot-dir DIR  the node's snapshot directory, if it takes snapshots
              --dry-run           print what would be written, write nothing (the default)
              %s
                                  write it
            """.formatted(ACK, ACK);

    private RecoverMembership() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the tool; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (a.help) {
            out.print(USAGE);
            return 0;
        }
        try {
            Membership members = new Membership(a.voters, a.learners);
            boolean write = a.acknowledged && !a.dryRun;
            MembershipRecoveryPlan plan = write
                    ? MembershipRecovery.recover(a.log, members, a.term, a.snapshotDir)
                    : MembershipRecovery.plan(a.log, members, a.term, a.snapshotDir);
            plan.describe(write).forEach(out::println);
            if (a.snapshotDir.isEmpty()) {
                out.println("note: no --snapshot-dir given; if this node takes snapshots, give it: the latest"
                        + " snapshot may set the configuration of a compacted log, and must be one the log continues");
            }
            if (write) {
                out.println("done. Start this node as before (same start membership); start every survivor. Never"
                        + " start a lost node on its old data again.");
            } else {
                out.println("dry run: nothing written." + (a.acknowledged ? "" : " To write it, run again with "
                        + ACK + (a.dryRun ? " and without --dry-run." : ".")));
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("refused: " + e.getMessage());
            return 1;
        }
    }

    /** The parsed command line. */
    private static final class Arguments {
        Path log;
        Set<String> voters;
        Set<String> learners = Set.of();
        OptionalLong term = OptionalLong.empty();
        Optional<Path> snapshotDir = Optional.empty();
        boolean dryRun;
        boolean acknowledged;
        boolean help;

        static Arguments parse(String[] args) {
            Arguments a = new Arguments();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                switch (flag) {
                    case "--help", "-h" -> a.help = true;
                    case "--dry-run" -> a.dryRun = true;
                    case ACK -> a.acknowledged = true;
                    case "--log" -> a.log = Path.of(value(args, ++i, flag));
                    case "--voters" -> a.voters = ids(value(args, ++i, flag), flag);
                    case "--learners" -> a.learners = ids(value(args, ++i, flag), flag);
                    case "--snapshot-dir" -> a.snapshotDir = Optional.of(Path.of(value(args, ++i, flag)));
                    case "--term" -> a.term = OptionalLong.of(term(value(args, ++i, flag)));
                    default -> throw new IllegalArgumentException("unknown argument '" + flag + "'");
                }
            }
            if (a.help) {
                return a;
            }
            if (a.log == null) {
                throw new IllegalArgumentException("--log FILE is required");
            }
            if (a.voters == null) {
                throw new IllegalArgumentException("--voters is required");
            }
            return a;
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }

        private static Set<String> ids(String list, String flag) {
            Set<String> ids = new LinkedHashSet<>();
            for (String id : Arrays.asList(list.split(",", -1))) {
                if (id.isBlank()) {
                    throw new IllegalArgumentException(flag + " '" + list + "' holds an empty id");
                }
                if (!ids.add(id.strip())) {
                    throw new IllegalArgumentException(flag + " '" + list + "' repeats " + id.strip());
                }
            }
            return ids;
        }

        private static long term(String value) {
            try {
                long t = Long.parseLong(value);
                if (t < 1) {
                    throw new IllegalArgumentException("--term must be at least 1, got " + value);
                }
                return t;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--term '" + value + "' is not a number");
            }
        }
    }
}
