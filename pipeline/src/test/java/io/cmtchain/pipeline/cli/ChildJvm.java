package io.cmtchain.pipeline.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of this class path ({@link NodeProcess#javaCommand()}) with its output in a file, for the tests that signal
 * a command and read what it printed; killed on close if still running.
 */
final class ChildJvm implements AutoCloseable
{
    private final Process process;
    private final File log;

    private ChildJvm(final Process process, final File log)
    {
        this.process = process;
        this.log = log;
    }

    /**
     * @param log        where its standard output and error go.
     * @param properties system properties, each {@code key=value}.
     * @param mainClass  to run.
     * @param args       of the main class.
     * @return the started JVM.
     * @throws IOException when it cannot be started.
     */
    static ChildJvm start(final File log, final List<String> properties, final String mainClass, final String... args)
        throws IOException
    {
        final List<String> command = NodeProcess.javaCommand();
        properties.forEach(property -> command.add("-D" + property));
        command.add(mainClass);
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start(), log);
    }

    Process process()
    {
        return process;
    }

    /** @return all it has printed so far. */
    String output()
    {
        try
        {
            return log.exists() ? Files.readString(log.toPath(), StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close()
    {
        process.destroyForcibly();
        try
        {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
