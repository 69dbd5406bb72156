package io.sansnet.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sansnet} command. Exit codes (the CLI contract of the foundation issue): {@link #EXIT_OK} 0 success,
 * {@link #EXIT_CHECK_FAILED} 1 a check or invariant failed, {@link #EXIT_USAGE} 2 a usage error (the message names the
 * bad flag or value), {@link #EXIT_ENVIRONMENT} 3 the environment is missing something (no device, no permission, an
 * unreadable file).
 */
@Command(
        name = "sansnet",
        mixinStandardHelpOptions = true,
        version = "sansnet 0.1.0",
        description = "A sans-io network stack: simulated, and run for real on Linux TUN devices.",
        subcommandsRepeatable = false)
public final class Main implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_CHECK_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_ENVIRONMENT = 3;

    /**
     * Every subcommand, in the order {@code --help} lists them. This is the one place to register a new one
     * ({@code sim}, {@code explore}, {@code nc}, {@code serve}, {@code replay}, ...): add its factory here.
     */
    static final List<Supplier<Object>> SUBCOMMANDS = List.of(
            HostCommand::new,
            RelayCommand::new,
            SimCommand::new,
            ExploreCommand::new,
            ServeCommand::new,
            NcCommand::new,
            ReplayCommand::new,
            PlotCommand::new);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line {@code args} and returns the exit code (for tests and {@link #main}). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured picocli command line with every subcommand and the exit-code mapping. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Supplier<Object> s : SUBCOMMANDS) {
            cl.addSubcommand(s.get());
        }
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println("sansnet: " + ex.getMessage());
            err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            PrintWriter err = c.getErr();
            if (ex instanceof EnvironmentException) {
                err.println("sansnet: " + ex.getMessage());
                return EXIT_ENVIRONMENT;
            }
            if (ex instanceof CommandLine.ParameterException pe) {
                err.println("sansnet: " + pe.getMessage());
                return EXIT_USAGE;
            }
            err.println("sansnet: " + ex);
            ex.printStackTrace(err);
            return EXIT_CHECK_FAILED;
        });
        return cl;
    }

    @Override
    public void run() {
        // No subcommand: show what there is.
        spec.commandLine().usage(spec.commandLine().getOut());
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
