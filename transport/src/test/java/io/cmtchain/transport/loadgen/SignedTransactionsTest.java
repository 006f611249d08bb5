package io.cmtchain.transport.loadgen;

import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignedTransactionsTest
{
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    private static final TransactionMix TRANSFERS = new TransferMix(new RecipientSampler(100, 0, 0, 1), 100, 1);

    @TempDir
    File temp;

    @Test
    void shouldRefuseACountOutsideWhatOneSetHoldsAndNameTheRange()
    {
        // A set is one buffer of a 64-byte header and count records of 2 + maxFrameLength bytes, at most 2^31 - 1.
        final long most = (Integer.MAX_VALUE - 64) / (2 + TRANSFERS.maxFrameLength());
        for (final long count : new long[] {0, -1, most + 1})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> SignedTransactions.loadOrSign(1001, 3, 0, count, TRANSFERS, null, 1, QUIET));
            assertEquals("transaction count must be in 1.." + most + ", was " + count, ex.getMessage());
        }
        try (SignedTransactions one = SignedTransactions.loadOrSign(1001, 3, 0, 1, TRANSFERS, null, 1, QUIET))
        {
            assertEquals(1, one.count());
            assertTrue(one.length(0) > 0);
        }
    }

    @Test
    void shouldNameACacheDirectoryItCannotCreate() throws IOException
    {
        final File notADirectory = new File(temp, "plain-file");
        Files.write(notADirectory.toPath(), new byte[] {1});
        final File cache = new File(notADirectory, "cache");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> SignedTransactions.loadOrSign(1001, 3, 0, 4, TRANSFERS, cache, 1, QUIET));
        assertEquals("cannot create cache directory " + cache + ": Not a directory", ex.getMessage());

        // The directory's own name taken by a file: said so, as cmt node says of its data directory.
        final IllegalArgumentException inTheWay = assertThrows(IllegalArgumentException.class,
            () -> SignedTransactions.loadOrSign(1001, 3, 0, 4, TRANSFERS, notADirectory, 1, QUIET));
        assertEquals("cannot create cache directory " + notADirectory + ": a file of that name is in the way",
            inTheWay.getMessage());
    }

    @Test
    void shouldFailWithTheSignersErrorAndLeaveNoCacheFileBehind()
    {
        final IllegalStateException broken = new IllegalStateException("no key for sender");
        final TransactionMix failing = new TransactionMix()
        {
            @Override
            public int encode(
                final long index,
                final Ed25519Key sender,
                final long nonce,
                final TransactionBuilder builder,
                final MutableDirectBuffer out,
                final int offset)
            {
                if (index == 3_000)
                {
                    throw broken;
                }
                return TRANSFERS.encode(index, sender, nonce, builder, out, offset);
            }

            @Override
            public int maxFrameLength()
            {
                return TRANSFERS.maxFrameLength();
            }

            @Override
            public String describe()
            {
                return "failing at 3000";
            }
        };

        final File cache = new File(temp, "cache");
        for (final File dir : new File[] {null, cache})
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> SignedTransactions.loadOrSign(1001, 3, 0, 5_000, failing, dir, 2, QUIET));
            assertEquals("signing failed: " + broken, ex.getMessage());
            assertSame(broken, ex.getCause());
        }
        assertArrayEquals(new String[0], cache.list(), "no set, whole or partial, is left in the cache");
    }
}
