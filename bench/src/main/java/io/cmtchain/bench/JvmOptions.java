package io.cmtchain.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags of the project's one {@code jvm.options} file, packaged into this jar at build time, so JMH forks
 * run with exactly the flags of the launcher and the tests.
 */
public final class JvmOptions
{
    private JvmOptions()
    {
    }

    /** @return the flags, comments and blank lines removed. */
    public static List<String> flags()
    {
        final List<String> flags = new ArrayList<>();
        try (InputStream in = JvmOptions.class.getResourceAsStream("jvm.options"))
        {
            if (in == null)
            {
                throw new IllegalStateException("jvm.options is missing from the benchmarks jar; rebuild it");
            }
            final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null)
            {
                final String flag = line.strip();
                if (!flag.isEmpty() && !flag.startsWith("#"))
                {
                    flags.add(flag);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read jvm.options: " + ex.getMessage(), ex);
        }
        return flags;
    }
}
