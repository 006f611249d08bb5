package io.cmtchain.pipeline.cli;

import io.cmtchain.pipeline.Await;
import io.cmtchain.pipeline.CmtCommand;
import io.cmtchain.pipeline.Node;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's node killed while the demo sends: the demo prints its figures, says the node exited and how, and does
 * not exit 0. Crash profile: {@code ./mvnw -B -pl pipeline -am verify -Pslow -Dtest=DemoNodeKilledTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("crash")
class DemoNodeKilledTest
{
    @TempDir
    File dir;

    @Test
    void shouldSummariseSayTheNodeWasKilledAndExit2() throws Exception
    {
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        final PrintStream saved = System.out;
        final StringWriter err = new StringWriter();
        final int[] status = {-1};
        final String cache = new File(dir, "cache").getPath();
        final String data = new File(dir, "data").getPath();
        final Thread demo = new Thread(() -> status[0] = CmtCommand.run(new StringWriter(), err, "demo",
            "--transport", "udp", "--seconds", "6", "--warmup", "1", "--rate", "1000", "--senders", "50",
            "--accounts", "1000", "--cache", cache, "--data", data), "demo");
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try
        {
            demo.start();
            // Once the load generator's first second is out, SIGKILL the node, whose pid its first line gives.
            final Pattern pid = Pattern.compile("node\\| cmt node: chain .*, pid (\\d+)");
            // '[  1s] over 1.1 s: sent' when the line came late: any first line will do.
            Await.until(() -> printed.toString(StandardCharsets.UTF_8).contains("[  1s] ") &&
                pid.matcher(printed.toString(StandardCharsets.UTF_8)).find(), 60_000,
                () -> "the demo never sent: " + printed.toString(StandardCharsets.UTF_8) + err);
            final Matcher node = pid.matcher(printed.toString(StandardCharsets.UTF_8));
            assertTrue(node.find());
            ProcessHandle.of(Long.parseLong(node.group(1))).ifPresent(ProcessHandle::destroyForcibly);
            demo.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!demo.isAlive(), () -> "the demo did not end: " + printed.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(saved);
        }
        final String text = printed.toString(StandardCharsets.UTF_8);
        assertEquals(2, status[0], () -> text + err);
        final Matcher summary = Pattern.compile("demo: ([0-9,]+) sent, ([0-9,]+) committed, 0 rejected, ([0-9,]+) " +
            "lost: ").matcher(text);
        assertTrue(summary.find(), text);
        assertTrue(Long.parseLong(summary.group(3).replace(",", "")) > 0, "lost: " + summary.group());
        assertTrue(text.contains("demo: cores used after warm-up: "), text);
        assertTrue(err.toString().startsWith("cmt demo: the node exited with 137; its last lines:\n"),
            () -> err + "\n" + text);
        // What the killed node's media driver left in /dev/shm (memory, until the machine restarts) is removed.
        final File driverDir = new File(Node.defaultAeronDirectory(new File(dir, "data")));
        assertTrue(!driverDir.exists(), driverDir + " is left");
    }
}
