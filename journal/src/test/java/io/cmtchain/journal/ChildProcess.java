package io.cmtchain.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main of the test sources in a child JVM with the project's JVM flags (as bin/cmt gives them). */
final class ChildProcess
{
    private ChildProcess()
    {
    }

    static Process start(final Class<?> main, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final Path options = jvmOptions();
        command.add("@" + options);
        if (Runtime.version().feature() >= 23)
        {
            command.add("@" + options.resolveSibling("jvm-jdk23.options")); // flags a JDK 17 refuses
        }
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static Path jvmOptions()
    {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null)
        {
            final Path candidate = dir.resolve("jvm.options");
            if (Files.isRegularFile(candidate))
            {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("jvm.options not found above " + System.getProperty("user.dir"));
    }
}
