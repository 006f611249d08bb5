package io.cmtchain.bench;

import io.cmtchain.pipeline.cli.NodeProcess;

import java.util.List;

/**
 * The JVM flags of the project's one {@code jvm.options} file, as the pipeline jar (shaded into this one) carries
 * it, so JMH forks and measuring child JVMs run with exactly the flags of the launcher and the tests.
 */
public final class JvmOptions
{
    private JvmOptions()
    {
    }

    /** @return the flags, comments and blank lines removed. */
    public static List<String> flags()
    {
        return NodeProcess.jvmOptions();
    }
}
