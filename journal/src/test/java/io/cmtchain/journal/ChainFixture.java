package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Drives a chain of signed devnet transfers block by block, as the node will: {@link Chain#apply} with the
 * reference executor, then the caller journals the block.
 */
final class ChainFixture
{
    static final String GENESIS_JSON = "{\"chainId\":1001,\"devnet\":{\"accounts\":100," +
        "\"balanceMicroCmt\":1000000000000,\"validators\":4},\"fees\":{\"minimumMicroCmt\":100}}";
    static final int ACCOUNTS = 100;

    final Genesis genesis = Genesis.parse(GENESIS_JSON);
    final Chain chain = new Chain(genesis.createState(7), 0, new byte[32]);
    final ReferenceExecutor executor = new ReferenceExecutor();
    final BlockHeader header = new BlockHeader();
    /** Empty: the fixture's chain has no DPoS. */
    final BlockCommit commit = new BlockCommit();
    final BlockTransactions txs = new BlockTransactions(1024);
    final BlockReceipts receipts = new BlockReceipts(1024);
    private final TransactionBuilder builder = new TransactionBuilder(genesis.chainId());
    private final Sha256 sha = new Sha256();
    private final Ed25519Key[] keys = new Ed25519Key[ACCOUNTS];
    private final long[] nonces = new long[ACCOUNTS];
    private final byte[] proposer = new byte[20];
    private UnsafeBuffer frames = new UnsafeBuffer(new byte[1 << 20]);
    private long sequence;
    /** Added to every block's timestamp: a chain with the same transactions and states but other headers. */
    long timestampOffsetMs;

    ChainFixture()
    {
        for (int i = 0; i < ACCOUNTS; i++)
        {
            keys[i] = Genesis.devnetAccountKey(i);
        }
        System.arraycopy(genesis.validators().get(0).address(), 0, proposer, 0, 20);
    }

    /**
     * Make, execute and fill the next block; every fifth transaction carries a wrong nonce so that blocks hold
     * rejection receipts too.
     *
     * @param txCount transactions in the block.
     */
    void nextBlock(final int txCount)
    {
        nextBlock(txCount, null);
    }

    /**
     * As {@link #nextBlock(int)}, then the given frame (a transaction sent again) as the block's last.
     *
     * @param txCount transactions made for the block.
     * @param again   a signed frame to add after them, or null.
     */
    void nextBlock(final int txCount, final byte[] again)
    {
        if (frames.capacity() < txCount * 256)
        {
            frames = new UnsafeBuffer(new byte[txCount * 256]);
        }
        txs.reset();
        int offset = 0;
        for (int i = 0; i < txCount; i++)
        {
            final int sender = (int)(sequence % ACCOUNTS);
            final int recipient = (int)((sequence * 7 + 3) % ACCOUNTS);
            final boolean bad = sequence % 5 == 4;
            final long nonce = bad ? nonces[sender] + 1000 : nonces[sender]++;
            final int length = builder.transfer(keys[sender], nonce, 100, 0, keys[recipient].address(),
                1 + sequence % 1000, frames, offset);
            txs.add(frames, offset, length, sha);
            offset += length;
            sequence++;
        }
        if (again != null)
        {
            frames.putBytes(offset, again);
            txs.add(frames, offset, again.length, sha);
        }
        chain.apply(1_000 * (chain.height() + 1) + timestampOffsetMs, proposer, txs, executor, receipts, header);
    }

    /**
     * @param journal to append to.
     * @param blocks  to make and append.
     * @param txCount per block.
     */
    void appendBlocks(final BlockJournal journal, final int blocks, final int txCount)
    {
        for (int b = 0; b < blocks; b++)
        {
            nextBlock(txCount);
            journal.append(header, commit, txs, receipts);
        }
    }
}
