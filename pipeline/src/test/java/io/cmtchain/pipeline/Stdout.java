package io.cmtchain.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What a command prints on {@code System.out} (the demo and the load generator print there, not to picocli's
 * writer), for tests.
 */
public final class Stdout
{
    private Stdout()
    {
    }

    /**
     * @param body to run with {@code System.out} captured.
     * @return what it printed.
     */
    public static String capture(final Runnable body)
    {
        final PrintStream saved = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        boolean done = false;
        try
        {
            body.run();
            done = true;
        }
        finally
        {
            System.setOut(saved);
            if (!done)
            {
                // The body failed: its output goes to the test's report.
                saved.print(captured.toString(StandardCharsets.UTF_8));
            }
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
