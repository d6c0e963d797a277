package io.raftbus.engine.trace;

import io.raftbus.engine.simulation.InvariantViolation;
import io.raftbus.engine.simulation.MembershipStats;
import io.raftbus.engine.simulation.RandomFaultScenario;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Prints one {@link RandomFaultScenario} seed's run as a {@link TraceTable} and optionally writes it as a PlantUML
 * sequence diagram:
 * <pre>
 * java -cp raft-engine/target/classes:raft-engine-testkit/target/classes:&lt;slf4j-api.jar&gt; \
 *     io.raftbus.engine.trace.TraceMain SEED [--steps N] [--last] [--puml FILE] [--snapshots on|off] [--width W] \
 *     [--membership]
 * </pre>
 * {@code --steps N} (default 60) events are shown, the first ones or with {@code --last} the last ones (what led to
 * a failure); quiet ticks are never shown. The run is the one a seed sweep runs for that seed (with snapshots for
 * even seeds) unless {@code --snapshots} says otherwise; with {@code --membership} it is the run of the membership
 * sweep ({@link RandomFaultScenario#runWithMembershipChanges}: 2 to 5 voters, nodes joining, promoted and removed
 * among the faults). Exits 0 if the run passed, 1 if it failed an invariant
 * (the violation is printed after the table), 2 on bad arguments.
 */
public final class TraceMain {

    private TraceMain() {
    }

    /** What the command line asks for. */
    record Options(long seed, int steps, boolean last, Path puml, RandomFaultScenario.Snapshots snapshots,
                   int width, boolean membership) {

        static Options parse(String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("a seed is required");
            }
            long seed = Long.parseLong(args[0]);
            int steps = 60;
            boolean last = false;
            Path puml = null;
            RandomFaultScenario.Snapshots snapshots = RandomFaultScenario.sweepMode(seed);
            int width = TraceTable.DEFAULT_COLUMN_WIDTH;
            boolean membership = false;
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--steps" -> steps = Integer.parseInt(value(args, ++i));
                    case "--last" -> last = true;
                    case "--puml" -> puml = Path.of(value(args, ++i));
                    case "--width" -> width = Integer.parseInt(value(args, ++i));
                    case "--membership" -> membership = true;
                    case "--snapshots" -> snapshots = switch (value(args, ++i)) {
                        case "on" -> RandomFaultScenario.Snapshots.ON;
                        case "off" -> RandomFaultScenario.Snapshots.OFF;
                        default -> throw new IllegalArgumentException("--snapshots takes on or off");
                    };
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (steps <= 0) {
                throw new IllegalArgumentException("--steps must be positive");
            }
            return new Options(seed, steps, last, puml, snapshots, width, membership);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }
    }

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("TraceMain: " + e.getMessage());
            System.err.println("usage: TraceMain SEED [--steps N] [--last] [--puml FILE] [--snapshots on|off]"
                    + " [--width W] [--membership]");
            System.exit(2);
            return;
        }
        System.exit(run(options, System.out));
    }

    /** Runs the seed, prints its table to {@code out}, writes the diagram if asked; returns the exit status. */
    static int run(Options options, PrintStream out) throws IOException {
        TraceRecorder recorder = options.last() ? TraceRecorder.last(options.steps())
                : TraceRecorder.first(options.steps());
        String outcome;
        InvariantViolation failure = null;
        try {
            outcome = options.membership() ? runWithMembershipChanges(options, recorder) : runPlain(options, recorder);
        } catch (InvariantViolation v) {
            failure = v;
            outcome = "FAILED: " + v.reason();
        }
        String which = options.last() ? "last" : "first";
        out.println("seed " + options.seed() + " (snapshots " + options.snapshots().name().toLowerCase()
                + (options.membership() ? ", membership changes" : "") + ") " + outcome);
        out.println("the " + which + " " + recorder.events().size() + " of " + recorder.seen()
                + " events (quiet ticks left out):");
        out.print(TraceTable.render(recorder.events(), List.of(), options.width()));
        if (options.puml() != null) {
            Files.writeString(options.puml(), recorder.plantUml("raftbus seed " + options.seed() + ", " + which + " "
                    + recorder.events().size() + " events", List.of()));
            out.println("sequence diagram written to " + options.puml());
        }
        if (failure != null) {
            out.println();
            out.println(failure.getMessage());
            return 1;
        }
        return 0;
    }

    private static String runPlain(Options options, TraceRecorder recorder) {
        RandomFaultScenario.SnapshotResult r = RandomFaultScenario.run(options.seed(), null, null, options.snapshots(),
                recorder);
        return passed(r.result());
    }

    private static String runWithMembershipChanges(Options options, TraceRecorder recorder) {
        RandomFaultScenario.MembershipResult r = RandomFaultScenario.runWithMembershipChanges(options.seed(),
                options.snapshots(), recorder);
        MembershipStats c = r.changes();
        return passed(r.run().result()) + "; membership: " + c.joined() + " joined, " + c.proposed()
                + " changes proposed, " + c.completed() + " completed, " + c.committedConfigs()
                + " configurations committed, " + c.retired() + " retired";
    }

    private static String passed(RandomFaultScenario.Result r) {
        return "passed: " + r.nodes() + " nodes, " + r.committed() + " entries committed, " + r.messages()
                + " messages delivered in " + r.virtualMs() + " ms of virtual time";
    }
}
