package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.util.ShutdownHooks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@code cmt node} in a child JVM, for the demo and the crash tests: started with this JVM's {@code java.home},
 * the flags of the {@code jvm.options} class path resource (see {@link #jvmOptions()}) and this JVM's class path,
 * its output prefixed and passed on (only the lines a filter lets through), and killed when this JVM exits. The node
 * is started with {@code --parent-pid} of this JVM, so it also drains and exits if this JVM dies without running its
 * shutdown hooks, even while the node is still starting.
 */
public final class NodeProcess implements AutoCloseable
{
    /** Class path resource with the JVM flags, one per line ({@code #} comments). */
    public static final String JVM_OPTIONS_RESOURCE = "/io/cmtchain/pipeline/jvm.options";

    /** Class path resource with the JVM flags that only a JDK {@value #JDK_OPTIONS_FEATURE} or later accepts. */
    public static final String JDK_OPTIONS_RESOURCE = "/io/cmtchain/pipeline/jvm-jdk23.options";

    /** The JDK feature release from which {@link #JDK_OPTIONS_RESOURCE}'s flags apply. */
    public static final int JDK_OPTIONS_FEATURE = 23;

    private static final int TAIL_LINES = 40;

    private final Process process;
    private final Thread shutdownHook;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch outputEnded = new CountDownLatch(1);
    private final ArrayDeque<String> tail = new ArrayDeque<>();

    private NodeProcess(final Process process, final String prefix, final PrintStream out, final Predicate<String> show)
    {
        this.process = process;
        shutdownHook = ShutdownHooks.add("cmt-node-process-kill", process::destroyForcibly);
        final Thread reader = new Thread(() -> pump(process.getInputStream(), prefix, out, show),
            "cmt-node-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Start {@code cmt node --data DIR --parent-pid PID} in a child JVM, PID this JVM's.
     *
     * @param dataDir          of the node.
     * @param systemProperties passed as {@code -Dkey=value} (node, transport and journal settings).
     * @param jvmFlags         extra JVM flags (heap, GC), after those of {@code jvm.options}.
     * @param prefix           put before each line of the child's output that is shown.
     * @param out              where the shown lines go.
     * @param show             which lines to show; the rest are only kept for {@link #tail()}.
     * @return the running child.
     */
    public static NodeProcess start(
        final File dataDir,
        final Map<String, String> systemProperties,
        final List<String> jvmFlags,
        final String prefix,
        final PrintStream out,
        final Predicate<String> show)
    {
        final List<String> command = javaCommand();
        command.addAll(jvmFlags);
        for (final Map.Entry<String, String> property : systemProperties.entrySet())
        {
            command.add("-D" + property.getKey() + "=" + property.getValue());
        }
        command.add(CmtMain.class.getName());
        command.add("node");
        command.add("--data");
        command.add(dataDir.getAbsolutePath());
        command.add("--parent-pid");
        command.add(Long.toString(ProcessHandle.current().pid()));
        try
        {
            return new NodeProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), prefix, out, show);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start a node JVM: " + ex.getMessage(), ex);
        }
    }

    /**
     * @return {@code java} of this JVM's {@code java.home}, the flags of {@code jvm.options} and this JVM's class
     * path: the start of a command line that runs a class of this code base in a child JVM.
     */
    public static List<String> javaCommand()
    {
        final List<String> command = new ArrayList<>();
        command.add(new File(new File(System.getProperty("java.home"), "bin"), "java").getPath());
        command.addAll(jvmOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        return command;
    }

    /**
     * @return the flags of the {@code jvm.options} class path resource and, when this JVM is a JDK
     * {@value #JDK_OPTIONS_FEATURE} or later, those of {@code jvm-jdk23.options} after them: the flags bin/cmt gives
     * the same JDK.
     */
    public static List<String> jvmOptions()
    {
        return jvmOptions(resource(JVM_OPTIONS_RESOURCE), resource(JDK_OPTIONS_RESOURCE), Runtime.version().feature());
    }

    /**
     * @param text        of a {@code jvm.options} file.
     * @param jdkText     of a {@code jvm-jdk23.options} file.
     * @param jdkFeature  the feature release of the JDK the flags are for.
     * @return the flags of {@code text}, then those of {@code jdkText} when {@code jdkFeature} is
     * {@value #JDK_OPTIONS_FEATURE} or later.
     */
    public static List<String> jvmOptions(final String text, final String jdkText, final int jdkFeature)
    {
        final List<String> flags = jvmOptions(text);
        if (jdkFeature >= JDK_OPTIONS_FEATURE)
        {
            flags.addAll(jvmOptions(jdkText));
        }
        return flags;
    }

    private static String resource(final String name)
    {
        try (InputStream in = NodeProcess.class.getResourceAsStream(name))
        {
            if (in == null)
            {
                throw new IllegalStateException("missing class path resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + name, ex);
        }
    }

    /**
     * @param text of a {@code jvm.options} file.
     * @return its flags, comments and blank lines removed.
     */
    public static List<String> jvmOptions(final String text)
    {
        final List<String> flags = new ArrayList<>();
        for (final String line : text.split("\n"))
        {
            final String flag = line.trim();
            if (!flag.isEmpty() && !flag.startsWith("#"))
            {
                flags.add(flag);
            }
        }
        return flags;
    }

    /**
     * Wait for the node to print {@link NodeCommand#READY}.
     *
     * @param timeoutMs longest wait ({@link Long#MAX_VALUE}: until ready or exited).
     * @return true once ready; false when the timeout passed or the node exited first.
     * @throws InterruptedException when interrupted.
     */
    public boolean awaitReady(final long timeoutMs) throws InterruptedException
    {
        // Elapsed time against the timeout, not now against start + timeout, which overflows for huge timeouts.
        final long startNs = System.nanoTime();
        final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!ready.await(50, TimeUnit.MILLISECONDS))
        {
            if (!process.isAlive() || System.nanoTime() - startNs > timeoutNs)
            {
                return ready.getCount() == 0;
            }
        }
        return true;
    }

    /** @return the child's process id. */
    public long pid()
    {
        return process.pid();
    }

    /** @return true while the child runs. */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /** @return the child's exit code, once it has exited. */
    public int exitValue()
    {
        return process.exitValue();
    }

    /** @return the last lines the child printed, shown or not, for diagnostics. */
    public String tail()
    {
        synchronized (tail)
        {
            return String.join("\n", tail);
        }
    }

    /**
     * SIGKILL: the node gets no chance to drain or close its journal (a crash).
     *
     * @param timeoutMs longest wait for the process to be gone.
     * @return true when it is gone.
     * @throws InterruptedException when interrupted.
     */
    public boolean kill(final long timeoutMs) throws InterruptedException
    {
        process.toHandle().destroyForcibly();
        final boolean gone = process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
        if (gone)
        {
            outputEnded.await(timeoutMs, TimeUnit.MILLISECONDS);
            removeHook();
        }
        return gone;
    }

    /**
     * SIGTERM: the node drains accepted transactions to receipts, closes its journal and exits; killed when it does
     * not exit within the timeout.
     *
     * @param timeoutMs longest wait for the drain.
     * @return the exit code, or -1 when it had to be killed.
     * @throws InterruptedException when interrupted.
     */
    public int stop(final long timeoutMs) throws InterruptedException
    {
        // Through the handle: Process.destroy() would also close our end of the child's output, losing its last lines.
        process.toHandle().destroy();
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            kill(timeoutMs);
            return -1;
        }
        outputEnded.await(timeoutMs, TimeUnit.MILLISECONDS);
        removeHook();
        return process.exitValue();
    }

    /** Kill the child if it still runs. */
    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        removeHook();
    }

    private void removeHook()
    {
        // While this JVM shuts down the hook runs anyway, and finds the child gone.
        ShutdownHooks.remove(shutdownHook);
    }

    private void pump(final InputStream in, final String prefix, final PrintStream out, final Predicate<String> show)
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                synchronized (tail)
                {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES)
                    {
                        tail.removeFirst();
                    }
                }
                if (show.test(line))
                {
                    out.println(prefix + line);
                    out.flush();
                }
                if (line.startsWith(NodeCommand.READY))
                {
                    ready.countDown();
                }
            }
        }
        catch (final IOException ex)
        {
            // The child went away mid-line (killed): nothing more to read.
        }
        finally
        {
            outputEnded.countDown();
        }
    }
}
