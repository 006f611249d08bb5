package io.cmtchain.bench.engine;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.transport.loadgen.FileArguments;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code cmt bench state}: the state at scale. Builds a state of N funded accounts, reports the heap it holds per
 * account (used heap after a full GC, before and after), then applies blocks of already-verified transfers between
 * random accounts on one thread (state root included) and reports transactions per second.
 */
@Command(name = "state", mixinStandardHelpOptions = true,
    description = "Heap per account and sequential apply rate (state root included) at a given state size.")
public final class StateScaleCommand implements Callable<Integer>
{
    private static final int CHAIN_ID = 1001;
    private static final long FEE = 100;

    @Option(names = "--accounts", paramLabel = "N",
        description = "accounts in the state (default: ${DEFAULT-VALUE})", defaultValue = "1000000")
    int accounts;

    @Option(names = "--block-size", paramLabel = "N",
        description = "transfers per block (default: ${DEFAULT-VALUE})", defaultValue = "10000")
    int blockSize;

    @Option(names = "--seconds", paramLabel = "S",
        description = "seconds of measured blocks per run (default: ${DEFAULT-VALUE})", defaultValue = "10")
    int seconds;

    @Option(names = "--runs", paramLabel = "N",
        description = "measured runs; the median is reported (default: ${DEFAULT-VALUE})", defaultValue = "3")
    int runs;

    @Option(names = "--json", paramLabel = "FILE", description = "write the results as JSON")
    Path json;

    @Override
    public Integer call() throws IOException
    {
        if (accounts < 2 || blockSize < 1 || seconds < 1 || runs < 1)
        {
            System.err.println("cmt bench state: --accounts >= 2, --block-size, --seconds and --runs >= 1");
            return 2;
        }
        try
        {
            FileArguments.checkWritable(json == null ? null : json.toFile(), "--json");
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("cmt bench state: " + ex.getMessage());
            return 2;
        }
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        final long heapBefore = usedHeapAfterGc(memory);
        final long buildStart = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(12);
        final ChainState state = new ChainState(CHAIN_ID, 5, accounts, new FeeSchedule(FEE), random.nextLong());
        final byte[] address = new byte[20];
        final UnsafeBuffer addressBuffer = new UnsafeBuffer(address);
        final byte[] publicKey = new byte[32];
        final Sha256 sha = new Sha256();
        final byte[] digest = new byte[32];
        // Account i's public key is SHA-256(i), so any account can be a sender without storing keys.
        for (int i = 0; i < accounts; i++)
        {
            publicKeyOf(sha, i, publicKey);
            sha.update(publicKey);
            sha.digest(digest, 0);
            System.arraycopy(digest, 0, address, 0, 20);
            final int slot = state.accounts().findOrCreate(addressBuffer, 0);
            state.accounts().balance(slot, 1_000_000_000_000L);
            if (i > 0 && i % 2_000_000 == 0)
            {
                System.out.printf("  built %,d accounts%n", i);
            }
        }
        state.endBlock();
        final double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
        final long heapAfter = usedHeapAfterGc(memory);
        final double bytesPerAccount = (heapAfter - heapBefore) / (double)accounts;
        System.out.printf("state of %,d accounts built in %.1f s; heap %.0f MB, %.1f bytes per account%n",
            accounts, buildSeconds, (heapAfter - heapBefore) / 1e6, bytesPerAccount);

        final Chain chain = new Chain(state, 0, new byte[32]);
        final ReferenceExecutor executor = new ReferenceExecutor();
        final BlockTransactions txs = new BlockTransactions(blockSize);
        final BlockReceipts receipts = new BlockReceipts(blockSize);
        final BlockHeader header = new BlockHeader();
        final UnsafeBuffer frames = new UnsafeBuffer(new byte[blockSize * UnsignedFrames.TRANSFER_LENGTH]);
        final byte[] hashes = new byte[blockSize * 32];
        final byte[] recipient = new byte[20];
        final long[] nonces = new long[accounts];
        final double[] rates = new double[runs];
        long timestampMs = 0;
        for (int run = -1; run < runs; run++)
        {
            final long deadline = System.nanoTime() + (run < 0 ? 3L : seconds) * 1_000_000_000L;
            long applyNs = 0;
            long applied = 0;
            while (System.nanoTime() < deadline)
            {
                txs.reset();
                for (int i = 0; i < blockSize; i++)
                {
                    final int sender = random.nextInt(accounts);
                    publicKeyOf(sha, sender, publicKey);
                    publicKeyOf(sha, random.nextInt(accounts), digest);
                    sha.update(digest);
                    sha.digest(digest, 0);
                    System.arraycopy(digest, 0, recipient, 0, 20);
                    final int offset = i * UnsignedFrames.TRANSFER_LENGTH;
                    UnsignedFrames.transfer(frames, offset, CHAIN_ID, publicKey, nonces[sender]++, FEE, recipient, 1);
                    TxHash.compute(sha, frames, offset, UnsignedFrames.TRANSFER_LENGTH, hashes, i * 32);
                    txs.add(frames, offset, UnsignedFrames.TRANSFER_LENGTH, hashes, i * 32);
                }
                final long start = System.nanoTime();
                chain.apply(timestampMs += 1000, recipient, txs, executor, receipts, header);
                applyNs += System.nanoTime() - start;
                applied += blockSize;
                for (int i = 0; i < blockSize; i++)
                {
                    if (receipts.status(i) != ReceiptStatus.OK.value())
                    {
                        System.err.println("cmt bench state: a transfer was rejected (" + receipts.status(i) + ")");
                        return 1;
                    }
                }
            }
            if (run >= 0)
            {
                rates[run] = applied / (applyNs / 1e9);
                System.out.printf("run %d: %,.0f tx/s (%,d transfers in blocks of %,d)%n", run + 1, rates[run],
                    applied, blockSize);
            }
        }
        final double[] sorted = rates.clone();
        Arrays.sort(sorted);
        final double median = sorted[runs / 2];
        System.out.printf("median %,.0f tx/s (min %,.0f, max %,.0f) over %,d accounts%n", median, sorted[0],
            sorted[runs - 1], accounts);
        if (json != null)
        {
            Files.writeString(json, String.format(
                "{\"accounts\":%d,\"block_size\":%d,\"heap_bytes\":%d,\"bytes_per_account\":%.1f,\"build_s\":%.2f," +
                "\"tps_median\":%.0f,\"tps_min\":%.0f,\"tps_max\":%.0f,\"runs\":%d}%n",
                accounts, blockSize, heapAfter - heapBefore, bytesPerAccount, buildSeconds, median, sorted[0],
                sorted[runs - 1], runs), StandardCharsets.UTF_8);
        }
        return 0;
    }

    private static void publicKeyOf(final Sha256 sha, final int index, final byte[] out)
    {
        sha.updateLong(index);
        sha.digest(out, 0);
    }

    private static long usedHeapAfterGc(final MemoryMXBean memory)
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
