package io.cmtchain.pipeline.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JVM flags child JVMs get: jvm.options on every JDK, jvm-jdk23.options after it from JDK 23 on. */
class NodeProcessOptionsTest
{
    @Test
    void shouldAddTheJdkFlagsFromTheirFeatureReleaseOn()
    {
        final String base =
            "# comment\n--add-opens=java.base/java.lang=ALL-UNNAMED\n\n  -XX:+UseTransparentHugePages \n";
        final String jdk = "# 23 and later\n--sun-misc-unsafe-memory-access=allow\n";
        final List<String> common =
            List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "-XX:+UseTransparentHugePages");

        assertEquals(common, NodeProcess.jvmOptions(base, jdk, 17));
        assertEquals(common, NodeProcess.jvmOptions(base, jdk, NodeProcess.JDK_OPTIONS_FEATURE - 1));
        assertEquals(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "-XX:+UseTransparentHugePages",
            "--sun-misc-unsafe-memory-access=allow"),
            NodeProcess.jvmOptions(base, jdk, NodeProcess.JDK_OPTIONS_FEATURE));
        assertEquals(NodeProcess.jvmOptions(base, jdk, 23), NodeProcess.jvmOptions(base, jdk, 25));
    }

    @Test
    void shouldCarryTheCheckoutsFilesForThisJdk() throws IOException
    {
        final Path root = checkoutRoot();
        final String base = Files.readString(root.resolve("jvm.options"), StandardCharsets.UTF_8);
        final String jdk = Files.readString(root.resolve("jvm-jdk23.options"), StandardCharsets.UTF_8);

        assertEquals(NodeProcess.jvmOptions(base, jdk, Runtime.version().feature()), NodeProcess.jvmOptions());
        assertFalse(NodeProcess.jvmOptions(jdk).isEmpty(), "jvm-jdk23.options holds no flag");
        assertTrue(NodeProcess.jvmOptions(base).stream().noneMatch(NodeProcess.jvmOptions(jdk)::contains),
            "a flag is in both files");
    }

    private static Path checkoutRoot()
    {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("jvm.options")))
        {
            dir = dir.getParent();
        }
        if (dir == null)
        {
            throw new IllegalStateException("jvm.options not found above " + System.getProperty("user.dir"));
        }
        return dir;
    }
}
