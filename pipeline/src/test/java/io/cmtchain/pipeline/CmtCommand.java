package io.cmtchain.pipeline;

import io.cmtchain.pipeline.cli.CmtMain;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * {@code cmt} run in this JVM, for tests: what the command prints through picocli goes to writers the test reads.
 * (The demo and the load generator also print on {@code System.out}: see {@link Stdout}.)
 */
public final class CmtCommand
{
    private CmtCommand()
    {
    }

    /**
     * @param out receives the command's output.
     * @param err receives its errors.
     * @return the command line of {@code cmt}, writing there.
     */
    public static CommandLine commandLine(final Writer out, final Writer err)
    {
        final CommandLine commandLine = CmtMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine;
    }

    /**
     * @param out  receives the command's output.
     * @param err  receives its errors.
     * @param args of {@code cmt}, the subcommand first.
     * @return its exit status.
     */
    public static int run(final Writer out, final Writer err, final String... args)
    {
        return commandLine(out, err).execute(args);
    }
}
