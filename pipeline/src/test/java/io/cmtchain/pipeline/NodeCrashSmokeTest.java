package io.cmtchain.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;

/**
 * Two rounds of {@link CrashScenario} in the default build: a node killed -9 under load twice, restarted on its data
 * directory, with every receipted transaction kept exactly once and recovery equal to a replay from genesis. The
 * ten-round version is {@link NodeCrashTest} (crash profile).
 */
class NodeCrashSmokeTest
{
    @TempDir
    File dir;

    @Test
    void shouldKeepEveryReceiptedTransactionExactlyOnceAcrossTwoKills() throws Exception
    {
        new CrashScenario(dir, 2).run();
    }
}
