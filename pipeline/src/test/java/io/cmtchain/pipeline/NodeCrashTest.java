package io.cmtchain.pipeline;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;

/**
 * Kill -9 a node under load ten times at random moments and check that every receipted transaction survived, none
 * was applied twice, and recovery equals a replay from genesis ({@link CrashScenario}). Crash profile:
 * {@code ./mvnw -B -pl pipeline -am verify -Pslow -Dtest=NodeCrashTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("crash")
class NodeCrashTest
{
    @TempDir
    File dir;

    @Test
    void shouldKeepEveryReceiptedTransactionExactlyOnceAcrossTenKills() throws Exception
    {
        new CrashScenario(dir, Integer.getInteger("cmt.crash.rounds", 10)).run();
    }
}
