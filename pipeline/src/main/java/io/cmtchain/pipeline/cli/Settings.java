package io.cmtchain.pipeline.cli;

import io.cmtchain.executor.ParallelExecutorContext;
import io.cmtchain.journal.JournalContext;
import io.cmtchain.pipeline.NodeContext;
import io.cmtchain.transport.CmtClient;
import io.cmtchain.transport.TransportContext;
import picocli.CommandLine;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code cmt.*} system properties that the components' contexts read (their {@code *_PROP} constants), so that a
 * command can warn about a {@code cmt.*} property nothing reads: a misspelt setting is otherwise ignored without a
 * word, and the node runs on the default the operator meant to change. Both command lines warn: {@code cmt} and the
 * benchmarks' {@code cmt bench}, whose JMH forks take the same properties.
 */
public final class Settings
{
    private static final Class<?>[] CONTEXTS = {NodeContext.class, TransportContext.class, JournalContext.class,
        ParallelExecutorContext.class, CmtClient.Context.class};
    /**
     * Read outside the contexts: the launcher's root, the demo's node flags, the benchmarks' directory, and the JVM
     * flags the build hands its test JVMs for the child JVMs they start (so a command run in a test JVM is not told
     * of it).
     */
    private static final Set<String> OTHERS =
        Set.of("cmt.root", "cmt.demo.node.jvm.flags", "cmt.bench.dir", "cmt.jvmFlags");
    private static final String PREFIX = "cmt.";
    /** Aeron's directory property, which cmtchain does not read: each media driver is given its directory. */
    private static final String AERON_DIR = "aeron.dir";

    private Settings()
    {
    }

    /**
     * Before a command runs: a line on its standard error for each {@code cmt.*} system property that nothing reads,
     * since a misspelt setting (a client's {@code cmt.client.ingres.channel}, a node's {@code cmt.snapshots.kept})
     * would otherwise leave its default in place without a word. Not for help, version, or the top command given
     * nothing (which prints its usage).
     *
     * @param parseResult the parsed command line.
     */
    public static void warnOfUnknown(final CommandLine.ParseResult parseResult)
    {
        CommandLine.ParseResult last = parseResult;
        for (CommandLine.ParseResult part = parseResult; part != null; part = part.subcommand())
        {
            if (part.isUsageHelpRequested() || part.isVersionHelpRequested())
            {
                return;
            }
            last = part;
        }
        final CommandLine command = last.commandSpec().commandLine();
        if (parseResult.originalArgs().isEmpty() || command.getCommand() instanceof CommandLine.HelpCommand)
        {
            return;
        }
        for (final String unknown : unknown(System.getProperties()))
        {
            command.getErr().println(last.commandSpec().qualifiedName() + ": warning: " + unknown);
        }
        command.getErr().flush();
    }

    /** @return every {@code cmt.*} property name a component reads. */
    static Set<String> known()
    {
        final Set<String> names = new TreeSet<>(OTHERS);
        for (final Class<?> context : CONTEXTS)
        {
            for (final Field field : context.getFields())
            {
                final int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) && field.getType() == String.class &&
                    field.getName().endsWith("_PROP"))
                {
                    try
                    {
                        final String name = (String)field.get(null);
                        if (name.startsWith(PREFIX))
                        {
                            names.add(name);
                        }
                    }
                    catch (final IllegalAccessException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                }
            }
        }
        return names;
    }

    /**
     * @param properties the system properties, say.
     * @return a line for {@code aeron.dir}, and for each {@code cmt.*} property among them that no component reads,
     * naming the nearest one that is read when one is close.
     */
    static List<String> unknown(final Properties properties)
    {
        final Set<String> known = known();
        final List<String> lines = new ArrayList<>();
        if (properties.getProperty(AERON_DIR) != null)
        {
            // Aeron's own: its other aeron.* settings tune the node's media driver, but no driver here runs there.
            lines.add(AERON_DIR + " is ignored: the node's media driver runs in " + TransportContext.AERON_DIR_PROP +
                " (default: a directory of its own under /dev/shm), and a client command's in a new directory unless " +
                "given --aeron-dir (the directory of the media driver to use)");
        }
        for (final String name : new TreeSet<>(properties.stringPropertyNames()))
        {
            if (name.startsWith(PREFIX) && !known.contains(name))
            {
                final String nearest = nearest(name, known);
                lines.add(name + " is not a setting of cmtchain; it is ignored" +
                    (null != nearest ? " (did you mean " + nearest + "?)" : ""));
            }
        }
        return lines;
    }

    private static String nearest(final String name, final Set<String> known)
    {
        final String key = normalise(name);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : known)
        {
            final String other = normalise(candidate);
            final int distance = other.startsWith(key) || key.startsWith(other) ?
                Math.abs(other.length() - key.length()) : distance(key, other);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        // About one edit in four characters, and one for a short name: "cmt.rot" is cmt.root misspelt, "cmt.foo" is
        // not (two edits in three).
        return bestDistance <= Math.max(1, key.length() / 4) ? best : null;
    }

    /**
     * The name after {@code cmt.}, which every setting shares, and case and dots aside: {@code
     * cmt.snapshot.intervalBlocks} and {@code cmt.snapshot.interval.blocks} are alike.
     */
    private static String normalise(final String name)
    {
        return name.substring(PREFIX.length()).replace(".", "").toLowerCase(Locale.ROOT);
    }

    private static int distance(final String a, final String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            final int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
