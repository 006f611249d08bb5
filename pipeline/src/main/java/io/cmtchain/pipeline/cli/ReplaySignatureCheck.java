package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.journal.JournalReplay;
import io.cmtchain.pipeline.Zip215BatchVerifier;

/**
 * The replay's check that every journaled transaction carries a signature that verifies under ZIP-215, as the node's
 * verification stage checked it before the transaction was ordered: batches of the block's transactions through the
 * node's own batch verifier. A journal that holds a transaction whose signature fails was written by a node with its
 * checks off ({@code cmt.sigverify=none}) or was altered.
 */
final class ReplaySignatureCheck implements JournalReplay.TransactionCheck
{
    private static final int BATCH = 256;

    private final Zip215BatchVerifier verifier = new Zip215BatchVerifier(BATCH, 4096);
    private final byte[] hash = new byte[32];
    private long verified;

    @Override
    public String check(final long height, final BlockTransactions txs)
    {
        final int count = txs.count();
        for (int first = 0; first < count; first += BATCH)
        {
            final int end = Math.min(count, first + BATCH);
            verifier.reset();
            for (int i = first; i < end; i++)
            {
                verifier.add(txs.buffer(i), txs.offset(i), txs.length(i));
            }
            verifier.verify();
            for (int i = first; i < end; i++)
            {
                if (!verifier.valid(i - first))
                {
                    txs.hash(i, hash, 0);
                    return "block " + height + ": transaction " + i + " (" + Hex.encode(hash) + ") carries a " +
                        "signature that does not verify (ZIP-215); a node checks every signature before it orders " +
                        "a transaction, so this journal was written with the checks off (cmt.sigverify=none) or " +
                        "altered";
                }
            }
        }
        verified += count;
        return null;
    }

    /** @return signatures verified so far. */
    long verified()
    {
        return verified;
    }
}
