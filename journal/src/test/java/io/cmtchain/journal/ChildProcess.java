package io.cmtchain.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a main of the test sources in a child JVM with the project's JVM flags. The build chooses them (jvm.options,
 * and jvm-jdk23.options on a JDK 23 or later) and hands them over as the {@code cmt.jvmFlags} system property, so the
 * choice is not made again here.
 */
final class ChildProcess
{
    static final String JVM_FLAGS_PROPERTY = "cmt.jvmFlags";

    private ChildProcess()
    {
    }

    static Process start(final Class<?> main, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags(System.getProperty(JVM_FLAGS_PROPERTY)));
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static List<String> jvmFlags(final String argLine)
    {
        if (argLine == null || argLine.isBlank())
        {
            throw new IllegalStateException("system property " + JVM_FLAGS_PROPERTY +
                " is not set: run the tests through Maven, whose surefire and PIT configurations set it");
        }
        return List.of(argLine.trim().split("\\s+"));
    }
}
