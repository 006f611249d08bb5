package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.genesis.GenesisException;
import io.cmtchain.transport.loadgen.FileArguments;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * The {@code cmt} command line: the node, the demo and the operator tools.
 */
@Command(
    name = "cmt",
    mixinStandardHelpOptions = true,
    versionProvider = CmtMain.Version.class,
    description = "cmtchain: a validator engine for a CyberMiles-style DPoS chain.",
    footer = {"",
        "Benchmarks live in their own jar, which bin/cmt builds and runs for these two:",
        "  bench     JMH suites and the measured runs: bin/cmt bench --help",
        "  report    measure everything afresh into perf-reports/: bin/cmt report --help"},
    subcommands = {
        CommandLine.HelpCommand.class,
        SigcheckCommand.class,
        LoadgenCommand.class,
        ReplayCommand.class,
        SalvageCommand.class,
        NodeCommand.class,
        KeygenCommand.class,
        StatCommand.class,
        AccountCommand.class,
        ReceiptCommand.class,
        SendCommand.class,
        DemoCommand.class,
        ScenarioCommand.class,
    })
public final class CmtMain implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /**
     * Run the command line without exiting, for tests.
     *
     * @param args command line.
     * @return exit status.
     */
    public static int execute(final String... args)
    {
        return commandLine().execute(args);
    }

    /** Exit status for bad input: a command line that does not parse, or what a command refuses. */
    static final int BAD_INPUT = 1;

    /**
     * @return the {@code cmt} command line, with its handler of what a command throws: one line on standard error
     *         naming the command, exit status 1 for bad input ({@link IllegalArgumentException}, or a genesis file
     *         refused with a {@link GenesisException}) and 2 otherwise;
     *         exit status 1 too for a command line that does not parse (picocli's own is 2, which the client
     *         commands give when the node did not answer); and before a command runs, its warnings of settings that
     *         nothing reads.
     */
    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new CmtMain());
        badInputExitsOne(commandLine);
        // Registered on every command: an empty path is the working directory to File and Path alike.
        commandLine.registerConverter(File.class, value -> new File(nonEmptyPath(value)));
        commandLine.registerConverter(Path.class, value -> Path.of(nonEmptyPath(value)));
        commandLine.setExecutionStrategy(parseResult ->
        {
            Settings.warnOfUnknown(parseResult);
            return new CommandLine.RunLast().execute(parseResult);
        });
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            final String name = cmd.getCommandName();
            cmd.getErr().println(("cmt".equals(name) ? "cmt: " : "cmt " + name + ": ") + describe(ex));
            return ex instanceof IllegalArgumentException || ex instanceof GenesisException ? BAD_INPUT : 2;
        });
        return commandLine;
    }

    /**
     * @param value a path, as given.
     * @return it.
     * @throws CommandLine.TypeConversionException when it is empty or blank: an unset shell variable, most likely,
     *         which the node, the replay and the load generator's cache would take for the working directory (or, as
     *         the parent of a file, the root directory).
     */
    static String nonEmptyPath(final String value)
    {
        if (value.isBlank())
        {
            throw new CommandLine.TypeConversionException("'" + value + "' is an empty path; name a file or " +
                "directory (. for the working directory)");
        }
        return value;
    }

    private static void badInputExitsOne(final CommandLine commandLine)
    {
        // Per command: picocli takes the status from the command whose arguments did not parse.
        commandLine.getCommandSpec().exitCodeOnInvalidInput(BAD_INPUT);
        for (final CommandLine subcommand : commandLine.getSubcommands().values())
        {
            badInputExitsOne(subcommand);
        }
    }

    /**
     * @param ex what a command threw.
     * @return its message; for a file that could not be read or written, the file and the reason (the JDK's
     *         exceptions give only the path).
     */
    static String describe(final Throwable ex)
    {
        if (ex instanceof UncheckedIOException && ex.getCause() != null && ex.getMessage() != null &&
            !ex.getMessage().equals(ex.getCause().toString()))
        {
            // Its message says what was being done ("cannot create the data directory's parts in DIR"): keep it.
            return withReason(ex);
        }
        final Throwable t = ex instanceof UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
        if (t instanceof FileSystemException)
        {
            return ((FileSystemException)t).getFile() + ": " + FileArguments.reason((IOException)t);
        }
        if (t instanceof IOException)
        {
            return FileArguments.reason((IOException)t);
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /**
     * @param ex what a command caught.
     * @return its message, and the reason when an I/O error caused it and the message does not give it: the JDK's
     *         message of a file system error without a reason of its own (permission denied, a file where a directory
     *         should be) is only the path, so "cannot create the data directory's parts in DIR: " + its message said
     *         which part but not why.
     */
    static String withReason(final Throwable ex)
    {
        final String message = ex.getMessage() != null ? ex.getMessage() : ex.toString();
        if (ex.getCause() instanceof IOException)
        {
            final String reason = FileArguments.reason((IOException)ex.getCause());
            if (!message.contains(reason))
            {
                return message + ": " + reason;
            }
        }
        return message;
    }

    /**
     * @param ex what opening a node's data directory threw.
     * @return true when Chronicle Queue threw it, from the journal's files: its messages name neither the journal nor
     *         the damage (a damaged metadata file gave "Can't append to a read-only chronicle", a damaged queue file's
     *         header a {@code ClassNotFoundException} of the bytes there).
     */
    static boolean thrownByChronicle(final Throwable ex)
    {
        final StackTraceElement[] frames = ex.getStackTrace();
        return frames.length > 0 && frames[0].getClassName().startsWith("net.openhft.");
    }

    /**
     * @param journalDir the journal's directory.
     * @param ex         what Chronicle Queue threw when the journal was opened ({@link #thrownByChronicle}).
     * @return a line that names the journal and says what is likely wrong.
     */
    static String journalFailure(final File journalDir, final Throwable ex)
    {
        return "cannot open the journal in " + journalDir + ": a file of it is damaged, or not a journal's " +
            "(Chronicle Queue: " + withReason(ex) + "); restore the data directory from a backup";
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /** Version from the jar manifest. */
    public static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String v = CmtMain.class.getPackage().getImplementationVersion();
            return new String[] {"cmt " + (v == null ? "dev" : v)};
        }
    }
}
