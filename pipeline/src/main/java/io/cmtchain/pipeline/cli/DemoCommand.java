package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.pipeline.DevnetGenesis;
import io.cmtchain.pipeline.InProcessClient;
import io.cmtchain.pipeline.Node;
import io.cmtchain.pipeline.NodeContext;
import io.cmtchain.pipeline.NodeCounters;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * {@code cmt demo}: an in-process node on a fresh devnet, fed pre-signed transfers through the in-process client as
 * fast as it takes them (or at {@code --rate}), with a live line every second and a summary; {@code --json} writes
 * {@code {"tps","p50_ms","p99_ms","submitted","committed","rejected"}}. Latency is from the first offer of a
 * transaction to its receipt.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run an in-process node on a fresh devnet and feed it pre-signed transfers; prints throughput and " +
        "latency every second and a summary.")
public final class DemoCommand implements Callable<Integer>
{
    private static final int STRIDE = TransactionDescriptor.BODY_OFFSET + TransactionDescriptor.TRANSFER_BODY_LENGTH;
    private static final int AUTO_TXS_PER_SECOND = 10_000;
    private static final int SIGN_CHUNK = 1024;

    @Option(names = "--seconds", paramLabel = "N", description = "submit for N seconds (default: ${DEFAULT-VALUE})")
    int seconds = 10;

    @Option(names = "--json", paramLabel = "FILE", description = "write the summary as JSON")
    File jsonFile;

    @Option(names = "--accounts", paramLabel = "N", description = "devnet accounts (default: ${DEFAULT-VALUE})")
    int accounts = 10_000;

    @Option(names = "--senders", paramLabel = "N", description = "accounts that send (default: ${DEFAULT-VALUE})")
    int senders = 256;

    @Option(names = "--rate", paramLabel = "TPS", description = "offered transactions per second; 0 = flat out " +
        "(default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--txs", paramLabel = "N", description = "transfers to pre-sign (default: rate x seconds, or " +
        AUTO_TXS_PER_SECOND + " x seconds flat out)")
    int txs;

    @Option(names = "--signers", paramLabel = "N", description = "signing threads (default: processors)")
    int signers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--sigverify", paramLabel = "KIND", description = "bouncycastle or none (default: ${DEFAULT-VALUE})")
    String sigverify = "bouncycastle";

    @Option(names = "--data", paramLabel = "DIR", description = "node data directory, e.g. to watch with cmt stat " +
        "(default: a fresh temporary directory, deleted after)")
    File dataDirOption;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private volatile int submittedCount;
    private volatile long firstSubmitNs;
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong lastReceiptNs = new AtomicLong();
    private final long[] rejectedByStatus = new long[256];

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final String problem = validate();
        if (problem != null)
        {
            err.println("cmt demo: " + problem);
            return 1;
        }
        final long totalLong = txs > 0 ? txs : (long)(rate > 0 ? rate : AUTO_TXS_PER_SECOND) * seconds;
        if (totalLong * STRIDE > Integer.MAX_VALUE - 8)
        {
            err.println("cmt demo: " + totalLong + " transfers do not fit in memory here; lower --seconds, --rate or --txs");
            return 1;
        }
        final int total = (int)totalLong;

        out.printf("demo: devnet genesis with %,d accounts, %,d senders, sigverify %s%n", accounts, senders, sigverify);
        out.flush();
        final Genesis genesis = Genesis.parse(DevnetGenesis.jsonWithAccounts(accounts));
        final byte[] frames = new byte[total * STRIDE];
        final long[] hashKeys = new long[total];
        preSign(out, genesis, frames, hashKeys, total);

        final Long2LongHashMap indexByHash = new Long2LongHashMap(total * 2, 0.65f, -1);
        for (int i = 0; i < total; i++)
        {
            indexByHash.put(hashKeys[i], i);
        }
        final long[] submitNs = new long[total];
        final Recorder recorder = new Recorder(3);
        final InProcessClient client = new InProcessClient((clientId, hash, off, status, height, fee) ->
        {
            final long now = System.nanoTime();
            final long index = indexByHash.get(key(hash, off));
            if (index >= 0)
            {
                recorder.recordValue(Math.max(0, now - submitNs[(int)index]));
            }
            if (status == ReceiptStatus.OK.value())
            {
                committed.lazySet(committed.get() + 1);
            }
            else
            {
                rejectedByStatus[status & 0xFF]++;
                rejected.lazySet(rejected.get() + 1);
            }
            lastReceiptNs.lazySet(now);
        });

        final Path dataDir = dataDirOption != null ? dataDirOption.toPath() : Files.createTempDirectory("cmt-demo");
        final NodeContext ctx = new NodeContext().dataDir(dataDir.toFile()).genesis(genesis).sigverify(sigverify);
        final Node node = client.launch(ctx);
        out.printf("demo: node up (threading %s, %d verifier thread(s), blocks of <= %,d txs or %d ms, data %s)%n",
            ctx.threadingMode(), ctx.verifierThreads(), ctx.blockMaxTxs(), ctx.blockIntervalMs(), dataDir);
        out.printf("demo: submitting %s for %d s%n", rate > 0 ? String.format("%,d tx/s", rate) : "flat out", seconds);
        out.flush();

        final Thread submitter = new Thread(() -> submit(client, frames, submitNs, total), "cmt-demo-submitter");
        final Histogram totalHistogram = new Histogram(3);
        Histogram interval = null;
        submitter.start();
        long previousCommitted = 0;
        long previousNs = System.nanoTime();
        int second = 0;
        while (submitter.isAlive())
        {
            submitter.join(1000);
            final long nowNs = System.nanoTime();
            interval = recorder.getIntervalHistogram(interval);
            totalHistogram.add(interval);
            final long c = committed.get();
            second++;
            out.printf("%4d s  %,9.0f tx/s  committed %,11d  rejected %,8d  p50 %8.2f ms  p99 %8.2f ms  limiting: %s%n",
                second, (c - previousCommitted) * 1e9 / (nowNs - previousNs), c, rejected.get(),
                ms(interval.getValueAtPercentile(50)), ms(interval.getValueAtPercentile(99)),
                NodeCounters.limitingStage(node.countersFile().newReader(), 64));
            out.flush();
            previousCommitted = c;
            previousNs = nowNs;
        }
        final int submitted = submittedCount;
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (client.receipts() < submitted && System.nanoTime() < deadlineNs)
        {
            LockSupport.parkNanos(1_000_000);
        }
        node.close();
        interval = recorder.getIntervalHistogram(interval);
        totalHistogram.add(interval);
        if (dataDirOption == null)
        {
            deleteQuietly(dataDir);
        }

        final long c = committed.get();
        final long r = rejected.get();
        final double elapsedS = Math.max(1, lastReceiptNs.get() - firstSubmitNs) / 1e9;
        final double tps = c / elapsedS;
        final double p50 = ms(totalHistogram.getValueAtPercentile(50));
        final double p99 = ms(totalHistogram.getValueAtPercentile(99));
        out.printf("demo: %,d submitted, %,d committed, %,d rejected in %.2f s: %,.0f tx/s committed, latency p50 " +
            "%.2f ms, p99 %.2f ms, max %.2f ms%n", submitted, c, r, elapsedS, tps, p50, p99,
            ms(totalHistogram.getMaxValue()));
        for (int s = 0; s < rejectedByStatus.length; s++)
        {
            if (rejectedByStatus[s] > 0)
            {
                out.printf("demo:   rejected %s: %,d%n", ReceiptStatus.get((short)s), rejectedByStatus[s]);
            }
        }
        if (client.receipts() < submitted)
        {
            err.printf("cmt demo: %,d transactions without a receipt%n", submitted - client.receipts());
        }
        if (submitted == total && second < seconds)
        {
            out.printf("demo: ran out of pre-signed transfers after %d s (use --txs to sign more)%n", second);
        }
        if (jsonFile != null)
        {
            final String json = String.format(Locale.ROOT,
                "{\"tps\": %.1f, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"submitted\": %d, \"committed\": %d, " +
                "\"rejected\": %d}%n", tps, p50, p99, submitted, c, r);
            Files.writeString(jsonFile.toPath(), json, StandardCharsets.UTF_8);
            out.println("demo: wrote " + jsonFile);
        }
        out.flush();
        return client.receipts() == submitted ? 0 : 2;
    }

    private String validate()
    {
        if (seconds < 1)
        {
            return "--seconds must be >= 1";
        }
        if (accounts < 2 || accounts > 1_000_000)
        {
            return "--accounts must be in 2..1000000";
        }
        if (senders < 1 || senders > accounts)
        {
            return "--senders must be in 1..--accounts (" + accounts + ")";
        }
        if (rate < 0 || txs < 0)
        {
            return "--rate and --txs must be >= 0";
        }
        if (signers < 1)
        {
            return "--signers must be >= 1";
        }
        if (!sigverify.equals("bouncycastle") && !sigverify.equals("none"))
        {
            return "--sigverify must be bouncycastle or none";
        }
        return null;
    }

    private void preSign(
        final PrintWriter out, final Genesis genesis, final byte[] frames, final long[] hashKeys, final int total)
        throws InterruptedException
    {
        final long startNs = System.nanoTime();
        out.printf("demo: deriving %,d devnet keys on %d threads%n", accounts, signers);
        out.flush();
        final Ed25519Key[] senderKeys = new Ed25519Key[senders];
        final byte[][] addresses = new byte[accounts][];
        final AtomicInteger nextKey = new AtomicInteger();
        runOnThreads(() ->
        {
            int i;
            while ((i = nextKey.getAndIncrement()) < accounts)
            {
                final Ed25519Key key = Genesis.devnetAccountKey(i);
                addresses[i] = key.address();
                if (i < senders)
                {
                    senderKeys[i] = key;
                }
            }
        });

        out.printf("demo: pre-signing %,d transfers on %d threads%n", total, signers);
        out.flush();
        final long fee = genesis.fees().minFee(TxTypes.TRANSFER);
        final AtomicInteger nextChunk = new AtomicInteger();
        final AtomicInteger signed = new AtomicInteger();
        final Thread[] threads = startThreads(() ->
        {
            final TransactionBuilder builder = new TransactionBuilder(genesis.chainId());
            final UnsafeBuffer buffer = new UnsafeBuffer(frames);
            final Sha256 sha = new Sha256();
            final byte[] hash = new byte[32];
            int chunk;
            while ((chunk = nextChunk.getAndIncrement()) * SIGN_CHUNK < total)
            {
                final int end = Math.min(total, (chunk + 1) * SIGN_CHUNK);
                for (int i = chunk * SIGN_CHUNK; i < end; i++)
                {
                    final int sender = i % senders;
                    final long nonce = i / senders;
                    int recipient = (int)((sender * 7919L + nonce * 31 + 1) % accounts);
                    if (recipient == sender)
                    {
                        recipient = (recipient + 1) % accounts;
                    }
                    builder.transfer(senderKeys[sender], nonce, fee, 0, addresses[recipient], 1 + i % 1000, buffer,
                        i * STRIDE);
                    TxHash.compute(sha, buffer, i * STRIDE, STRIDE, hash, 0);
                    hashKeys[i] = key(hash, 0);
                }
                signed.addAndGet(end - chunk * SIGN_CHUNK);
            }
        });
        boolean alive = true;
        while (alive)
        {
            alive = false;
            for (final Thread thread : threads)
            {
                thread.join(1000);
                alive |= thread.isAlive();
                if (alive)
                {
                    break;
                }
            }
            if (alive)
            {
                final double elapsed = (System.nanoTime() - startNs) / 1e9;
                out.printf("demo:   signed %,d of %,d (%,.0f/s)%n", signed.get(), total, signed.get() / elapsed);
                out.flush();
            }
        }
        out.printf("demo: signed %,d transfers in %.1f s%n", total, (System.nanoTime() - startNs) / 1e9);
        out.flush();
    }

    private void submit(final InProcessClient client, final byte[] frames, final long[] submitNs, final int total)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frames);
        final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 100_000);
        final long startNs = System.nanoTime();
        firstSubmitNs = startNs;
        final long endNs = startNs + TimeUnit.SECONDS.toNanos(seconds);
        final double intervalNs = rate > 0 ? 1e9 / rate : 0;
        for (int i = 0; i < total; i++)
        {
            long now = System.nanoTime();
            if (now >= endNs)
            {
                break;
            }
            if (rate > 0)
            {
                final long dueNs = startNs + (long)(i * intervalNs);
                while ((now = System.nanoTime()) < dueNs)
                {
                    LockSupport.parkNanos(Math.min(dueNs - now, 100_000));
                }
            }
            submitNs[i] = now;
            if (!client.submit(buffer, i * STRIDE, STRIDE, i, idle))
            {
                break;
            }
            submittedCount = i + 1;
        }
    }

    private void runOnThreads(final Runnable task) throws InterruptedException
    {
        for (final Thread thread : startThreads(task))
        {
            thread.join();
        }
    }

    private Thread[] startThreads(final Runnable task)
    {
        final Thread[] threads = new Thread[signers];
        for (int t = 0; t < signers; t++)
        {
            threads[t] = new Thread(task, "cmt-demo-signer-" + t);
            threads[t].start();
        }
        return threads;
    }

    private static long key(final byte[] hash, final int offset)
    {
        long key = 0;
        for (int i = 0; i < 8; i++)
        {
            key |= (hash[offset + i] & 0xFFL) << (8 * i);
        }
        return key;
    }

    private static double ms(final long ns)
    {
        return ns / 1e6;
    }

    private static void deleteQuietly(final Path dir)
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
        catch (final IOException ex)
        {
            // A temp directory left behind is harmless.
        }
    }
}
