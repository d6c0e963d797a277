package io.raftbus.examples.kv;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * The {@code raftbus-kv.jar} entry point: {@code demo}, {@code node}, {@code client}, {@code broker} or
 * {@code inspect} (see {@link CommandLine#USAGE}). Exit status: 0 success, 1 failure, 2 usage error; a JVM stopped by
 * SIGINT or SIGTERM exits 130 or 143 (after closing nodes and brokers in its shutdown hooks).
 */
public final class Main {

    /** Exit status of a successful run. */
    public static final int OK = 0;
    /** Exit status when the work failed. */
    public static final int FAILURE = 1;
    /** Exit status for arguments that cannot be understood. */
    public static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err, System.console() != null));
    }

    /**
     * Runs the jar's logic with the given streams.
     *
     * @param interactive whether standard input is a terminal (the demo then shows a banner and a prompt)
     * @return the exit status
     */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean interactive) {
        Invocation invocation;
        try {
            invocation = CommandLine.parse(args);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(CommandLine.USAGE);
            return USAGE;
        }
        try {
            if (invocation instanceof Invocation.Help) {
                out.println(CommandLine.USAGE);
                return OK;
            }
            if (invocation instanceof Invocation.Demo demo) {
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
                return DemoMode.run(demo, reader, out, err, interactive, demo.commandTimeout());
            }
            if (invocation instanceof Invocation.Node node) {
                return NodeMode.run(node, in, out);
            }
            if (invocation instanceof Invocation.Broker) {
                return BrokerMode.run(out);
            }
            if (invocation instanceof Invocation.Inspect inspect) {
                return InspectMode.run(inspect, out);
            }
            return ClientMode.run((Invocation.Client) invocation, out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return FAILURE;
        } catch (Exception e) {
            err.println("error: " + e.getMessage());
            return FAILURE;
        }
    }
}
