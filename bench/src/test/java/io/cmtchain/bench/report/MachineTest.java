package io.cmtchain.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReadTheFirstProcessorsFlags()
    {
        final String cpuinfo = "processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: fpu sse2 avx2 sha_ni hypervisor\n" +
            "\nprocessor\t: 1\nflags\t\t: fpu avx512f\n";
        final Set<String> flags = Machine.cpuFlags(cpuinfo);
        assertEquals(Set.of("fpu", "sse2", "avx2", "sha_ni", "hypervisor"), flags);
        assertEquals("sha_ni yes, avx2 yes, avx512f no, avx512ifma no", Machine.cpuFlagsText(flags));
        assertEquals("unknown", Machine.cpuFlagsText(Machine.cpuFlags("processor\t: 0\n")));
    }

    @Test
    void shouldReadTheSelectedSetting()
    {
        assertEquals("madvise", Machine.selected("always [madvise] never\n"));
        assertEquals("never", Machine.selected("always madvise [never]"));
        assertEquals("odd", Machine.selected(" odd \n"));
    }

    @Test
    void shouldReadJvmOptionsAsTheLauncherDoes() throws IOException
    {
        Files.writeString(dir.resolve("jvm.options"), "# comment\n--add-opens=java.base/java.lang=ALL-UNNAMED\n\n" +
            "  -XX:+UseTransparentHugePages  \n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("jvm-jdk23.options"), "# only 23+\n--sun-misc-unsafe-memory-access=allow\n",
            StandardCharsets.UTF_8);
        assertEquals(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "-XX:+UseTransparentHugePages"),
            Machine.jvmOptions(dir, 22));
        assertEquals(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "-XX:+UseTransparentHugePages",
            "--sun-misc-unsafe-memory-access=allow"), Machine.jvmOptions(dir, 23));
    }

    @Test
    void shouldNameTheFileSystemType()
    {
        final String type = Machine.fileSystem(dir);
        assertFalse(type.isEmpty());
        assertFalse(type.equals("unknown"), type);
        assertEquals("unknown", Machine.fileSystem(dir.resolve("missing")));
    }

    @Test
    void shouldGiveCommandOutputOrNull()
    {
        assertEquals("hello", Machine.commandOutput(dir, "echo", " hello "));
        assertNull(Machine.commandOutput(dir, "false"));
        assertNull(Machine.commandOutput(dir, "no-such-command-cmt-report"));
        final String sodium = Machine.libsodiumVersion();
        assertTrue(sodium == null || sodium.matches("[0-9][0-9.]*.*"), sodium);
    }
}
