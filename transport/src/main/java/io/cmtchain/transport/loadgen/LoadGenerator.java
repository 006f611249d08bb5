package io.cmtchain.transport.loadgen;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.contracts.ContractsDescriptor;
import io.cmtchain.engine.exec.TransactionProcessor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.ReceiptStatuses;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.transport.AccountState;
import io.cmtchain.transport.CmtClient;
import io.cmtchain.transport.CmtClientException;
import io.cmtchain.transport.ReceiptListener;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The load generator behind {@code cmt loadgen}: pre-signs transactions ({@link SignedTransactions}), connects to a
 * node with {@link CmtClient}, sends open-loop at a fixed rate (or flat out), and measures each transaction's latency
 * from its INTENDED send time (start + i / rate, as wrk2 does), so a stall in the node or the generator shows up in
 * the percentiles instead of silently slowing the sending (coordinated omission).
 * <p>
 * Prints a line per second and a final JSON summary:
 * {@code {"tps","p50_ms","p99_ms","p999_ms","submitted","committed","rejected","lost",...}} (percentiles of committed
 * transactions, leaving out those intended in the first {@code --warmup} seconds; {@code null} when there were none,
 * as after nothing committed or a stop within the warm-up); {@code lost} counts transactions sent without a receipt
 * when the drain timeout ended (or reported lost by the client) and must be 0.
 */
public final class LoadGenerator implements ReceiptListener
{
    /** Where the node's devnet genesis lives when the pipeline is on the class path. */
    public static final String NODE_GENESIS_RESOURCE = "/io/cmtchain/pipeline/devnet-genesis.json";
    /** The load generator's own copy, used otherwise. */
    public static final String BUILT_IN_GENESIS_RESOURCE = "/io/cmtchain/transport/loadgen/devnet-genesis.json";

    private static final int BURST_LIMIT = 512;
    /**
     * How late, past the end of the sending time, a transaction that was due before it may still be sent: a sender
     * behind its schedule at the end sends what it owes (each latency counted from its intended time) instead of
     * leaving it out unmeasured.
     */
    static final long LATE_SEND_GRACE_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * @param nowNs      now.
     * @param endNs      the end of the sending time.
     * @param intendedNs when the next transaction is due (now, flat out).
     * @return true when sending is over: the end has passed, and either the next transaction was due at or after it
     *         or the grace for late sends has passed too.
     */
    static boolean timeUp(final long nowNs, final long endNs, final long intendedNs)
    {
        return nowNs - endNs >= 0 && (intendedNs - endNs >= 0 || nowNs - endNs - LATE_SEND_GRACE_NS >= 0);
    }
    /**
     * A receipt's tag is the intended send time in ns with its low 6 bits replaced by the transaction type (types are
     * below 64), so receipts are counted by type without a lookup; latency loses at most 63 ns.
     */
    private static final long TYPE_TAG_MASK = 63;

    /**
     * @param intendedNs the transaction's intended send time.
     * @param type       its type, below 64.
     * @return its receipt's tag: the intended time with its low 6 bits replaced by the type.
     */
    static long tag(final long intendedNs, final int type)
    {
        return (intendedNs & ~TYPE_TAG_MASK) | type;
    }

    /**
     * @param nowNs the time sending starts.
     * @return it with the tag's low bits cleared, so that the end of the warm-up (whole seconds later, and 10^9 is a
     *         multiple of 64) has them clear too, and {@link #afterWarmup} is exact.
     */
    static long alignedStartNs(final long nowNs)
    {
        return nowNs & ~TYPE_TAG_MASK;
    }

    /**
     * @param tag         a receipt's tag ({@link #tag}).
     * @param warmupEndNs the end of the warm-up, its low 6 bits clear ({@link #alignedStartNs}).
     * @return whether the transaction was intended at or after the end of the warm-up, to the nanosecond: the type in
     *         the tag's low bits can neither lift one intended just before the end over it nor drop one at it below.
     */
    static boolean afterWarmup(final long tag, final long warmupEndNs)
    {
        return tag - warmupEndNs >= 0;
    }

    private final Config config;
    private final PrintStream out;
    private final Histogram total = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
    private final NanoClock clock;
    private final LiveReport live;
    private final long[] rejectsByStatus = new long[256];
    /** Receipts by transaction type (the low bits of each tag) and status. */
    private final long[][] receiptsByType = new long[(int)TYPE_TAG_MASK + 1][256];
    private final long[][] setupReceiptsByType = new long[(int)TYPE_TAG_MASK + 1][256];
    private boolean setupPhase;
    private long setupReceipts;
    private final byte[] recordLine = new byte[65];
    private OutputStream record;
    private long committed;
    private long rejected;
    private long lostReported;
    private long lastReceiptNs;
    private long warmupEndNs;

    /**
     * A request to end a run's sending early, as if its time were up ({@code cmt loadgen}'s first Ctrl-C): nothing
     * more is sent, the receipts outstanding are awaited for the drain timeout, and the summary covers what was sent,
     * marked {@code "interrupted":true}.
     */
    public static final class Stop
    {
        private volatile boolean sending;
        private volatile boolean requested;

        /**
         * Ask the run to stop sending.
         *
         * @return true when the run is sending, so it stops and drains; false when it has not begun to: it will send
         * nothing, but its signing and connecting go on until done, so a caller that wants to end at once must end
         * the process.
         */
        public boolean request()
        {
            requested = true;
            return sending;
        }

        /** @return whether a stop was requested. */
        public boolean requested()
        {
            return requested;
        }
    }

    /** Parameters of a run; fluent setters, checked by {@link LoadGenerator#run()}. */
    public static final class Config
    {
        private long count;
        private double ratePerSecond = 10_000;
        private long seconds = 60;
        private int senders = 1000;
        private long firstNonce;
        private boolean continueFromNode;
        private long accounts = 1_000_000;
        private double zipf;
        private double hotShare;
        private long seed = 1;
        private long feeMicroCmt = -1;
        private long amountMicroCmt = 1;
        private int chainId;
        private File genesisFile;
        private File cacheDir;
        private File jsonFile;
        private File recordFile;
        private String ingressChannel = "aeron:udp?endpoint=localhost:40123";
        private int ingressStreamId = 1001;
        private String responseChannel = CmtClient.Context.DEFAULT_RESPONSE_CHANNEL;
        private String aeronDirectoryName;
        private long drainTimeoutMs = 10_000;
        private long connectTimeoutMs = 10_000;
        private int signingThreads = Runtime.getRuntime().availableProcessors();
        private int maxPending = 1 << 19;
        private IdleStrategy idleStrategy;
        private long warmupSeconds;
        private LoadMix mix = LoadMix.transfersOnly();
        private Stop stop = new Stop();
        private Runnable onSendingStart;
        private NanoClock nanoClock = SystemNanoClock.INSTANCE;

        /** @param count transactions to pre-sign and send (0: rate x seconds, or 1,000,000 flat out). */
        public Config count(final long count)
        {
            this.count = count;
            return this;
        }

        /** @param ratePerSecond open-loop rate; 0 = flat out. */
        public Config rate(final double ratePerSecond)
        {
            this.ratePerSecond = ratePerSecond;
            return this;
        }

        /**
         * @param seconds time to send for; at a fixed rate, transactions due before its end that are behind
         *                schedule are still sent, up to {@link #LATE_SEND_GRACE_NS} after it.
         */
        public Config seconds(final long seconds)
        {
            this.seconds = seconds;
            return this;
        }

        /** @param senders devnet accounts that send, 0..senders-1. */
        public Config senders(final int senders)
        {
            this.senders = senders;
            return this;
        }

        /** @param firstNonce of every sender (continue after an earlier run against the same chain). */
        public Config firstNonce(final long firstNonce)
        {
            this.firstNonce = firstNonce;
            return this;
        }

        /**
         * @param continueFromNode ask the node for the senders' next nonce and start there, instead of at
         *                         {@link #firstNonce(long)}: for a run after earlier ones against the same chain.
         */
        public Config continueFromNode(final boolean continueFromNode)
        {
            this.continueFromNode = continueFromNode;
            return this;
        }

        /** @param accounts recipients to spread transfers over. */
        public Config accounts(final long accounts)
        {
            this.accounts = accounts;
            return this;
        }

        /** @param zipf skew exponent of recipients (0 = uniform). */
        public Config zipf(final double zipf)
        {
            this.zipf = zipf;
            return this;
        }

        /** @param hotShare share of transfers to one hot recipient. */
        public Config hotShare(final double hotShare)
        {
            this.hotShare = hotShare;
            return this;
        }

        public Config seed(final long seed)
        {
            this.seed = seed;
            return this;
        }

        /** @param feeMicroCmt fee per transaction; -1 = the genesis minimum for transfers. */
        public Config feeMicroCmt(final long feeMicroCmt)
        {
            this.feeMicroCmt = feeMicroCmt;
            return this;
        }

        public Config amountMicroCmt(final long amountMicroCmt)
        {
            this.amountMicroCmt = amountMicroCmt;
            return this;
        }

        /** @param chainId overrides the genesis chain id (0 = from genesis). */
        public Config chainId(final int chainId)
        {
            this.chainId = chainId;
            return this;
        }

        public Config genesisFile(final File genesisFile)
        {
            this.genesisFile = genesisFile;
            return this;
        }

        public Config cacheDir(final File cacheDir)
        {
            this.cacheDir = cacheDir;
            return this;
        }

        public Config jsonFile(final File jsonFile)
        {
            this.jsonFile = jsonFile;
            return this;
        }

        /**
         * @param recordFile where to write the hash of every committed transaction, one hex per line (for
         *                   {@code cmt replay --expect}); with a setup phase, its token creations come first, after a
         *                   {@code # setup: ...} line, and the measured phase's after {@code # measured phase}.
         * @return this.
         */
        public Config recordFile(final File recordFile)
        {
            this.recordFile = recordFile;
            return this;
        }

        public Config ingressChannel(final String ingressChannel)
        {
            this.ingressChannel = ingressChannel;
            return this;
        }

        public Config ingressStreamId(final int ingressStreamId)
        {
            this.ingressStreamId = ingressStreamId;
            return this;
        }

        public Config responseChannel(final String responseChannel)
        {
            this.responseChannel = responseChannel;
            return this;
        }

        /** @param aeronDirectoryName of a running driver to use; null = launch a private one. */
        public Config aeronDirectoryName(final String aeronDirectoryName)
        {
            this.aeronDirectoryName = aeronDirectoryName;
            return this;
        }

        public Config drainTimeoutMs(final long drainTimeoutMs)
        {
            this.drainTimeoutMs = drainTimeoutMs;
            return this;
        }

        public Config connectTimeoutMs(final long connectTimeoutMs)
        {
            this.connectTimeoutMs = connectTimeoutMs;
            return this;
        }

        public Config signingThreads(final int signingThreads)
        {
            this.signingThreads = signingThreads;
            return this;
        }

        /** @param warmupSeconds transactions intended in the first seconds are left out of the percentiles. */
        public Config warmupSeconds(final long warmupSeconds)
        {
            this.warmupSeconds = warmupSeconds;
            return this;
        }

        /**
         * @param idleStrategy of the sending loop between due sends; null (the default) spins briefly, then backs off
         *                     to 50 µs parks, for punctual sends. On a machine shared with the node, a sleeping one
         *                     leaves the node the CPU; sends are then up to a park late, which counts in the latency.
         * @return this.
         */
        public Config idleStrategy(final IdleStrategy idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        /**
         * @param mix shares of transaction kinds ({@link LoadMix#parse}); the default is transfers only.
         * @return this.
         */
        public Config mix(final LoadMix mix)
        {
            this.mix = mix;
            return this;
        }

        public Config maxPending(final int maxPending)
        {
            this.maxPending = maxPending;
            return this;
        }

        /**
         * @param onSendingStart run once, on the sending thread, when the measured phase starts: after signing or
         *                       loading, connecting, the setup phase and hashing, just before the start of the sending
         *                       time that {@code --warmup} and the rates count from (the demo starts sampling the
         *                       node's stages then); null for none.
         * @return this.
         */
        public Config onSendingStart(final Runnable onSendingStart)
        {
            this.onSendingStart = onSendingStart;
            return this;
        }

        /** @param stop through which the run may be asked to stop sending early. */
        public Config stop(final Stop stop)
        {
            this.stop = stop;
            return this;
        }

        /**
         * @param nanoClock the run's clock: the sending schedule, the latencies, the live lines and the setup phase's
         *                  deadline read it; the system's by default (tests move it to stand for a stall).
         * @return this.
         */
        public Config nanoClock(final NanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }
    }

    /** The outcome of a run. */
    public static final class Summary
    {
        /** Committed per second from the start of sending to the last receipt (warm-up and drain included). */
        public double tps;
        /**
         * Committed per second from the end of the warm-up to the end of sending: the steady state under load, without
         * the JIT's warm-up at the start or the drain after the last send; NaN (JSON {@code null}) if sending ended
         * within the warm-up: no steady state was measured, and 0 would read as a node that committed nothing.
         */
        public double steadyTps = Double.NaN;
        /**
         * Latency of committed transactions from their intended send time, in ms, those intended in the warm-up left
         * out; NaN (JSON {@code null}) when none was measured ({@link #latencyMeasured()}): an empty histogram
         * answers 0, which would read as a latency measured.
         */
        public double p50Ms = Double.NaN;
        /** As {@link #p50Ms}, at 99 %. */
        public double p99Ms = Double.NaN;
        /** As {@link #p50Ms}, at 99.9 %. */
        public double p999Ms = Double.NaN;
        /** As {@link #p50Ms}, the largest. */
        public double maxMs = Double.NaN;
        /**
         * Latency percentile distribution as a JSON object, {"50.0": ms, ..., "100.0": ms}, for percentile plots; {}
         * (the distribution at no point) when none was measured.
         */
        public String percentiles = "{}";
        public long submitted;
        public long committed;
        public long rejected;
        public long lost;
        public long backPressured;
        /**
         * At a fixed rate, the transactions due before the end of sending (intended at {@code start + i / rate} before
         * it, at most the count) that were never sent: sending fell more than
         * {@link LoadGenerator#LATE_SEND_GRACE_NS} behind its schedule, or stopped early. Their latencies are in no
         * percentile, so a run with any is one whose rate was not sustained; 0 flat out, where nothing is due at a
         * time.
         */
        public long dueUnsent;
        public double rate;
        public double sendSeconds;
        /** True when a {@link Stop} ended the sending before its count or time: the figures cover what was sent. */
        public boolean interrupted;
        public String rejects;
        /** Receipts of the measured phase by type and status: {"TRANSFER":{"OK":n,...},...}. */
        public String byType = "{}";
        /** Receipts of the setup phase (token creation) by type and status; all OK, else the run fails. */
        public String setup = "{}";
        public String mix = "";

        /**
         * @return whether any latency was measured: false when no transaction intended after the warm-up was
         *         committed (nothing committed, or a stop within the warm-up); the latency figures are NaN then.
         */
        public boolean latencyMeasured()
        {
            return !Double.isNaN(p50Ms);
        }

        /**
         * @return why no latency was measured, for the console; null when some was.
         */
        public String noLatencyReason()
        {
            if (latencyMeasured())
            {
                return null;
            }
            return 0 == committed ? "nothing was committed" : String.format(Locale.ROOT,
                "the %,d committed were all intended in the warm-up, which the percentiles leave out", committed);
        }

        /**
         * @return the latencies as the console gives them, {@code latency p50 1.25 ms, p99 ..., p99.9 ..., max ...
         *         ms}, or {@code latency p50 -, p99 -, p99.9 -, max -} and why, when none was measured (as the live
         *         line gives {@code p50 -} for a second without a commit).
         */
        public String latencyText()
        {
            return latencyMeasured() ? String.format(Locale.ROOT,
                "latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms", p50Ms, p99Ms, p999Ms, maxMs) :
                "latency p50 -, p99 -, p99.9 -, max - (none measured: " + noLatencyReason() + ")";
        }

        /**
         * @param ms a latency figure of a summary.
         * @return it as a JSON number with 3 decimals, or {@code null} when it was not measured (NaN).
         */
        public static String jsonMs(final double ms)
        {
            return Double.isNaN(ms) ? "null" : String.format(Locale.ROOT, "%.3f", ms);
        }

        /**
         * @param tps a rate of a summary.
         * @return it as a JSON number with 1 decimal, or {@code null} when it was not measured (NaN).
         */
        public static String jsonTps(final double tps)
        {
            return Double.isNaN(tps) ? "null" : String.format(Locale.ROOT, "%.1f", tps);
        }

        /** @return the summary as one JSON object. */
        public String toJson()
        {
            return String.format(Locale.ROOT,
                "{\"tps\":%.1f,\"steady_tps\":%s,\"p50_ms\":%s,\"p99_ms\":%s,\"p999_ms\":%s,\"max_ms\":%s," +
                "\"submitted\":%d,\"committed\":%d,\"rejected\":%d,\"lost\":%d,\"back_pressured\":%d," +
                "\"due_unsent\":%d,\"rate\":%s,\"send_seconds\":%.3f,\"interrupted\":%b,\"rejects\":%s," +
                "\"mix\":\"%s\",\"by_type\":%s,\"setup\":%s,\"percentiles\":%s}",
                tps, jsonTps(steadyTps), jsonMs(p50Ms), jsonMs(p99Ms), jsonMs(p999Ms), jsonMs(maxMs), submitted,
                committed, rejected, lost, backPressured, dueUnsent, BigDecimal.valueOf(rate).toPlainString(),
                sendSeconds, interrupted, rejects, mix, byType, setup, percentiles);
        }
    }

    /** Percentiles written into the summary's distribution: the classic HdrHistogram plot's points. */
    private static final double[] PLOTTED_PERCENTILES = {50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100};

    private LoadGenerator(final Config config, final PrintStream out)
    {
        this.config = config;
        this.out = out;
        this.clock = config.nanoClock;
        this.live = new LiveReport(out);
    }

    /**
     * @param config parameters.
     * @param out    where the live lines and the summary go.
     * @return the summary (also printed, and written to the JSON file if set).
     * @throws IllegalArgumentException for bad parameters; {@link CmtClientException} if no node answers.
     */
    public static Summary run(final Config config, final PrintStream out)
    {
        return new LoadGenerator(config, out).run();
    }

    /**
     * @param file genesis file, or null for the node's devnet genesis if on the class path, else the built-in one.
     * @return the genesis.
     */
    public static Genesis loadGenesis(final File file)
    {
        try
        {
            if (null != file)
            {
                return Genesis.parse(Files.readString(file.toPath(), StandardCharsets.UTF_8), "genesis file " + file);
            }
            InputStream in = LoadGenerator.class.getResourceAsStream(NODE_GENESIS_RESOURCE);
            if (null == in)
            {
                in = LoadGenerator.class.getResourceAsStream(BUILT_IN_GENESIS_RESOURCE);
            }
            try (InputStream stream = in)
            {
                return Genesis.parse(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read genesis " + file + ": " + FileArguments.reason(ex), ex);
        }
    }

    private Summary run()
    {
        checkArguments(config);
        final Genesis genesis = loadGenesis(config.genesisFile);
        final int chainId = 0 != config.chainId ? config.chainId : genesis.chainId();
        if (config.senders < 1 || (genesis.devnetAccounts() > 0 && config.senders > genesis.devnetAccounts()))
        {
            throw new IllegalArgumentException("--senders must be in 1.." + genesis.devnetAccounts() +
                " (the genesis's funded devnet accounts), was " + config.senders);
        }
        checkCount(config, genesis);
        if (config.continueFromNode)
        {
            config.firstNonce(nextNonceOfSenders(config, out));
        }
        final long count = count(config);
        final TransactionMix mix = newMix(config, genesis);
        if (!config.mix.transfersOnlyMix() && genesis.contractsMaxActionsPerBlock() == 0)
        {
            throw new IllegalArgumentException("--mix " + config.mix + " needs a genesis with \"contracts\" enabled");
        }

        try (SignedTransactions txs = SignedTransactions.loadOrSign(chainId, config.senders, measuredFirstNonce(config),
            count, mix, config.cacheDir, Math.max(1, config.signingThreads), out))
        {
            final CmtClient.Context ctx = clientContext(config);
            openRecord();
            try (CmtClient client = CmtClient.connect(ctx))
            {
                if (0 != client.chainId() && client.chainId() != chainId)
                {
                    throw new IllegalArgumentException("the node runs chain " + client.chainId() +
                        " but the transactions are for chain " + chainId + " (see --chain-id / --genesis)");
                }
                if (config.mix.needsTokens())
                {
                    runSetup(client, chainId, (ContractMix)mix);
                }
                out.println("loadgen: connected to " + config.ingressChannel + " as client " + client.clientId() +
                    ", sending " + count + " transactions " + (config.ratePerSecond > 0 ?
                    "at " + rateText(config.ratePerSecond) + "/s over " : "flat out for at most ") + config.seconds +
                    " s" + (config.mix.transfersOnlyMix() ? "" : ", mix " + config.mix));
                final Summary summary = send(client, txs, count);
                out.println(summary.toJson());
                if (summary.interrupted)
                {
                    out.printf(Locale.ROOT, "loadgen: stopped early, after %.1f s of sending and %,d of the %,d " +
                        "transactions: the figures cover those sent%n", summary.sendSeconds, summary.submitted, count);
                }
                warnIfNothingCommitted(summary);
                tellIfNoLatencyMeasured(summary);
                warnIfBehindSchedule(summary);
                if (null != config.jsonFile)
                {
                    Files.writeString(config.jsonFile.toPath(), summary.toJson() + "\n", StandardCharsets.UTF_8);
                }
                return summary;
            }
            finally
            {
                closeRecord();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static CmtClient.Context clientContext(final Config config)
    {
        final CmtClient.Context ctx = new CmtClient.Context()
            .ingressChannel(config.ingressChannel)
            .ingressStreamId(config.ingressStreamId)
            .responseChannel(config.responseChannel)
            .connectTimeoutNs(TimeUnit.MILLISECONDS.toNanos(config.connectTimeoutMs))
            .submitTimeoutNs(0)
            .maxPending(config.maxPending)
            .autoReconnect(false);
        if (null == config.aeronDirectoryName)
        {
            ctx.embeddedDriver(true);
        }
        else
        {
            ctx.aeronDirectoryName(config.aeronDirectoryName);
        }
        return ctx;
    }

    /**
     * Ask the node for every sender's next nonce ({@link CmtClient#queryAccount}). An earlier run leaves them equal
     * (transaction i goes to sender i % senders), unless it was cut short; then there is no one first nonce to sign
     * from.
     *
     * @return the senders' common next nonce.
     * @throws IllegalArgumentException if they differ, or this run's nonces from them would pass the largest;
     *                                  {@link CmtClientException} if no node answers.
     */
    private static long nextNonceOfSenders(final Config config, final PrintStream out)
    {
        final List<CompletableFuture<AccountState>> answers = new ArrayList<>(config.senders);
        try (CmtClient client = CmtClient.connect(clientContext(config)))
        {
            for (int i = 0; i < config.senders; i++)
            {
                answers.add(client.queryAccount(Genesis.devnetAccountKey(i).address()));
            }
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.connectTimeoutMs);
            for (final CompletableFuture<AccountState> answer : answers)
            {
                if (!client.await(answer, deadlineNs - System.nanoTime()))
                {
                    throw new CmtClientException(CmtClient.NOT_CONNECTED, "--continue: the node on " +
                        config.ingressChannel + " did not answer the senders' nonce queries within " +
                        config.connectTimeoutMs + " ms");
                }
            }
        }
        refuseNoncesPastLargest(config, answers);
        final long first = answers.get(0).join().nonce();
        for (int i = 1; i < answers.size(); i++)
        {
            final long nonce = answers.get(i).join().nonce();
            if (nonce != first)
            {
                throw new IllegalArgumentException("--continue: the senders are at different nonces (sender 0 at " +
                    first + ", sender " + i + " at " + nonce + "), as after a run cut short; use other --senders " +
                    "or a fresh chain");
            }
        }
        out.println("loadgen: --continue: the node says the " + config.senders + " senders' next nonce is " + first);
        return first;
    }

    /**
     * As {@link #checkArguments} refuses a {@code --first-nonce} whose run would count its nonces past the largest,
     * refuse the nonces the node reports for {@code --continue}, before anything is signed: the sender at the highest
     * one is named, and the count that would fit from there given.
     */
    private static void refuseNoncesPastLargest(
        final Config config, final List<CompletableFuture<AccountState>> answers)
    {
        int highest = 0;
        for (int i = 1; i < answers.size(); i++)
        {
            if (answers.get(i).join().nonce() > answers.get(highest).join().nonce())
            {
                highest = i;
            }
        }
        final long nonce = answers.get(highest).join().nonce();
        if (nonce <= TransactionProcessor.MAX_NONCE - lastNonceOffset(config))
        {
            return;
        }
        // Each sender has the nonces nonce..MAX_NONCE, less its token's: what fits in them over every sender.
        final long fits =
            (TransactionProcessor.MAX_NONCE - nonce + 1 - (config.mix.needsTokens() ? 1 : 0)) * config.senders;
        throw new IllegalArgumentException("--continue: the node says sender " + highest + " (account " +
            Hex.encode(Genesis.devnetAccountKey(highest).address()) + ") is at nonce " + nonce + ", too large for " +
            "this run: " + noncesPastLargest(config, "there") + (fits > 0 ? ": give --count at most " + fits :
            ": that account can sign no more transactions of this mix; use a fresh chain"));
    }

    /**
     * The checks that need no genesis, each naming the option at fault; the output files are checked here, before
     * signing and sending, rather than when the summary is written. {@link #run} and {@link #preSign} make them; a
     * caller that prepares a run (the demo, before it starts its node) may make them earlier.
     *
     * @param config the run's parameters.
     * @throws IllegalArgumentException naming the option at fault.
     */
    public static void checkArguments(final Config config)
    {
        if (!Double.isFinite(config.ratePerSecond))
        {
            // NaN passes every comparison below: it ran flat out and wrote "rate":NaN, which is not JSON.
            throw new IllegalArgumentException("--rate must be a finite number >= 0 (0: flat out), was " +
                config.ratePerSecond);
        }
        if (config.ratePerSecond < 0)
        {
            // As given: -5, not -5.0 (a rate may have a fraction, 0.5 for one every two seconds).
            throw new IllegalArgumentException("--rate must be >= 0 (0: flat out), was " +
                rateText(config.ratePerSecond));
        }
        if (config.seconds < 1)
        {
            throw new IllegalArgumentException("--seconds must be >= 1, was " + config.seconds);
        }
        if (config.count < 0)
        {
            throw new IllegalArgumentException("--count must be >= 0, was " + config.count);
        }
        if (config.firstNonce < 0)
        {
            throw new IllegalArgumentException("--first-nonce must be >= 0, was " + config.firstNonce);
        }
        if (config.senders >= 1)
        {
            final long lastOffset = lastNonceOffset(config);
            if (config.firstNonce > TransactionProcessor.MAX_NONCE - lastOffset)
            {
                throw new IllegalArgumentException("--first-nonce " + config.firstNonce + " is too large for this " +
                    "run: " + noncesPastLargest(config, "it") + ": give --first-nonce at most " +
                    (TransactionProcessor.MAX_NONCE - lastOffset));
            }
        }
        if (config.amountMicroCmt < 1)
        {
            // Every transfer would be refused as malformed: the stateless checks want an amount above 0.
            throw new IllegalArgumentException("--amount must be >= 1 µCMT, was " + config.amountMicroCmt);
        }
        if (config.feeMicroCmt < -1)
        {
            throw new IllegalArgumentException("--fee must be >= 0 µCMT, or -1 for the genesis minimum, was " +
                config.feeMicroCmt);
        }
        if (config.drainTimeoutMs < 0)
        {
            throw new IllegalArgumentException("--drain-timeout-ms must be >= 0, was " + config.drainTimeoutMs);
        }
        if (config.warmupSeconds < 0 || config.warmupSeconds >= config.seconds)
        {
            throw new IllegalArgumentException("--warmup must be in 0.." + (config.seconds - 1) + " (below --seconds " +
                config.seconds + "), was " + config.warmupSeconds);
        }
        FileArguments.checkWritable(config.jsonFile, "--json");
        FileArguments.checkWritable(config.recordFile, "--record");
    }

    /**
     * @param rate a --rate.
     * @return it as given: 20000, 2.5, -0.25 (not 20000.0, and not rounded: a rate may have a fraction, 0.5 for one
     *         every two seconds).
     */
    static String rateText(final double rate)
    {
        return BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString();
    }

    /** A run that committed nothing measured nothing; say so, and the usual cause, rather than only print zeros. */
    private void warnIfNothingCommitted(final Summary summary)
    {
        if (summary.submitted == 0 || summary.committed > 0)
        {
            return;
        }
        final boolean replayed = summary.rejects.contains("DUPLICATE") || summary.rejects.contains("BAD_NONCE");
        out.println("loadgen: warning: no transaction was committed (rejects " + summary.rejects + ")" + (replayed ?
            "; the node has seen these transactions or their nonces before: they are signed deterministically from " +
            "--first-nonce " + config.firstNonce + ", so run with --continue (each sender starts at the next nonce " +
            "the node reports) or pass a --first-nonce past the last one sent" :
            ""));
    }

    /**
     * A run that committed transactions, all intended in the warm-up (stopped within it), measured no latency; its
     * latency fields are null. Say so, and why, rather than leave only the nulls (a run that committed nothing gets
     * {@link #warnIfNothingCommitted}'s warning).
     */
    private void tellIfNoLatencyMeasured(final Summary summary)
    {
        if (summary.committed > 0 && !summary.latencyMeasured())
        {
            out.println("loadgen: no latency measured (p50_ms, p99_ms, p999_ms and max_ms are null): " +
                summary.noLatencyReason() + " (--warmup " + config.warmupSeconds + " s)");
        }
    }

    /** A run that left due transactions unsent measured a rate the node did not sustain; say so. */
    private void warnIfBehindSchedule(final Summary summary)
    {
        if (summary.dueUnsent > 0)
        {
            out.printf(Locale.ROOT, "loadgen: warning: %,d transactions due before the end of sending at --rate %s " +
                "were never sent (%,d were): sending fell over %d s behind its schedule (the node pushed back %,d " +
                "times) or stopped early; their latencies are in no percentile, so this rate was not sustained: " +
                "lower --rate%n", summary.dueUnsent, rateText(summary.rate), summary.submitted,
                TimeUnit.NANOSECONDS.toSeconds(LATE_SEND_GRACE_NS), summary.backPressured);
        }
    }

    /**
     * @param rate      the fixed rate, per second; 0 = flat out.
     * @param seconds   the sending time.
     * @param count     the transactions signed for the run.
     * @param submitted those sent.
     * @return the transactions intended before the end of sending (those whose {@link #intendedOffsetNs} is below
     *         {@code seconds}, at most the count) that were not sent; 0 flat out.
     */
    static long dueUnsent(final double rate, final long seconds, final long count, final long submitted)
    {
        return dueUnsentBefore(rate, TimeUnit.SECONDS.toNanos(seconds), count, submitted);
    }

    /**
     * @param rate        the fixed rate, per second; 0 = flat out.
     * @param endOffsetNs the end, in nanoseconds after the start of sending (none due before a negative one).
     * @param count       the transactions signed for the run.
     * @param submitted   those sent.
     * @return the transactions intended before that end (at most the count) that were not sent; 0 flat out.
     */
    static long dueUnsentBefore(final double rate, final long endOffsetNs, final long count, final long submitted)
    {
        if (rate <= 0 || endOffsetNs <= 0)
        {
            return 0;
        }
        return Math.max(0, intendedBeforeNs(rate, endOffsetNs, count) - submitted);
    }

    /**
     * @param rate    the fixed rate, per second, above 0.
     * @param seconds the sending time.
     * @param cap     the most to count.
     * @return how many transactions the send loop intends before the end of sending, at most {@code cap}.
     */
    static long intendedBefore(final double rate, final long seconds, final long cap)
    {
        return intendedBeforeNs(rate, TimeUnit.SECONDS.toNanos(seconds), cap);
    }

    private static long intendedBeforeNs(final double rate, final long endOffsetNs, final long cap)
    {
        final double intervalNs = 1e9 / rate;
        // Counted with the send loop's own arithmetic (intendedOffsetNs), not as ceil(rate * seconds), which is one off
        // at some rates: 1e9 / 29 is rounded down, so the 30th of a second at 29/s is intended 1 ns before its end;
        // 4.15 * 60 is 249.00000000000003, while the 250th of a minute at 4.15/s is intended at its end.
        long due = Math.min(cap, (long)Math.ceil(rate * (endOffsetNs / 1e9)));
        while (due > 0 && intendedOffsetNs(due - 1, intervalNs) >= endOffsetNs)
        {
            due--;
        }
        while (due < cap && intendedOffsetNs(due, intervalNs) < endOffsetNs)
        {
            due++;
        }
        return due;
    }

    /**
     * @param index      the transaction's place in the run.
     * @param intervalNs 1e9 / rate.
     * @return when the transaction is due, in nanoseconds after the start of sending.
     */
    static long intendedOffsetNs(final long index, final double intervalNs)
    {
        return (long)(index * intervalNs);
    }

    private static long count(final Config config)
    {
        if (config.count > 0)
        {
            return config.count;
        }
        if (config.ratePerSecond > 0)
        {
            return intendedBefore(config.ratePerSecond, config.seconds, Long.MAX_VALUE);
        }
        return 1_000_000;
    }

    /**
     * Sender s signs its token's nonce (with tokens in the mix), then transactions s, s + senders, ... with the nonces
     * that follow. The ledger refuses a nonce above {@link TransactionProcessor#MAX_NONCE} (BAD_NONCE), and past
     * Long.MAX_VALUE they would wrap to negative ones: a run must end at MAX_NONCE.
     *
     * @return how far each sender's last nonce of the run is past its first; the senders at least 1.
     */
    private static long lastNonceOffset(final Config config)
    {
        return (count(config) - 1) / config.senders + (config.mix.needsTokens() ? 1 : 0);
    }

    /** @return why the run's nonces from {@code first} (what the message calls the first nonce) would wrap. */
    private static String noncesPastLargest(final Config config, final String first)
    {
        return String.format(Locale.ROOT, "each sender signs up to %,d transactions from %s (%,d over %,d senders%s)," +
            " and the last nonce would be past the largest a transaction may carry, %d", lastNonceOffset(config) + 1,
            first, count(config), config.senders, config.mix.needsTokens() ? ", and its token" : "",
            TransactionProcessor.MAX_NONCE);
    }

    /** With tokens in the mix, each sender's nonce {@code --first-nonce} creates its token in the setup phase. */
    private static long measuredFirstNonce(final Config config)
    {
        return config.firstNonce + (config.mix.needsTokens() ? 1 : 0);
    }

    private static TransactionMix newMix(final Config config, final Genesis genesis)
    {
        final RecipientSampler sampler = new RecipientSampler(config.accounts, config.zipf, config.hotShare,
            config.seed);
        if (config.mix.transfersOnlyMix())
        {
            final long fee = config.feeMicroCmt >= 0 ? config.feeMicroCmt : genesis.fees().minFee(TxTypes.TRANSFER);
            return new TransferMix(sampler, fee, config.amountMicroCmt);
        }
        return new ContractMix(config.mix, sampler, config.senders, measuredFirstNonce(config), config.firstNonce,
            config.feeMicroCmt, genesis.fees(), config.amountMicroCmt);
    }

    /**
     * Refuse a run of more transactions than one run can sign ({@link #maxCount}), naming the options that set the
     * count, before any is signed or a node asked.
     */
    private static void checkCount(final Config config, final Genesis genesis)
    {
        final long max = maxCount(config, genesis);
        final long count = count(config);
        if (count > max)
        {
            throw new IllegalArgumentException(config.count > 0 ?
                String.format(Locale.ROOT, "--count %,d is more than one run can sign (at most %,d)", count, max) :
                String.format(Locale.ROOT, "--rate %s x --seconds %d is %,d transactions, more than one run can " +
                    "sign (at most %,d): lower --rate or --seconds, or give a --count",
                    rateText(config.ratePerSecond), config.seconds,
                    count, max));
        }
    }

    /**
     * The most transactions one run can sign (they are held in one mapped buffer): a caller that sets the count from
     * other options (the demo, from its rate and seconds) checks it here and names those options.
     *
     * @param config  the run's parameters.
     * @param genesis the run's genesis (its fee schedule prices a contract mix).
     * @return the largest count {@link #run} and {@link #preSign} take with this mix.
     */
    public static long maxCount(final Config config, final Genesis genesis)
    {
        return SignedTransactions.maxCount(newMix(config, genesis).maxFrameLength());
    }

    /**
     * Sign (or load from the cache) the run's transactions ahead of it, e.g. while a node starts.
     *
     * @param config the run's parameters.
     * @param out    progress output.
     */
    public static void preSign(final Config config, final PrintStream out)
    {
        checkArguments(config);
        final Genesis genesis = loadGenesis(config.genesisFile);
        checkCount(config, genesis);
        final int chainId = 0 != config.chainId ? config.chainId : genesis.chainId();
        SignedTransactions.loadOrSign(chainId, config.senders, measuredFirstNonce(config), count(config),
            newMix(config, genesis), config.cacheDir, Math.max(1, config.signingThreads), out).close();
    }

    /**
     * The setup phase: every sender creates its token, and every creation must be committed before the measured
     * phase starts (its transfers would be rejected otherwise).
     */
    private void runSetup(final CmtClient client, final int chainId, final ContractMix mix)
    {
        final TransactionBuilder builder = new TransactionBuilder(chainId);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
        setupPhase = true;
        writeRecordComment("# setup: the TOKEN_CREATE of each of the " + config.senders + " senders, committed " +
            "before the measured phase");
        final long startNs = clock.nanoTime();
        final long deadlineNs = startNs + TimeUnit.MILLISECONDS.toNanos(config.drainTimeoutMs) +
            TimeUnit.SECONDS.toNanos(config.senders / 1_000 + 10);
        int sender = 0;
        while (setupReceipts < config.senders)
        {
            int work = 0;
            if (sender < config.senders)
            {
                final int length = mix.tokenCreate(Genesis.devnetAccountKey(sender), builder, frame, 0);
                final long result = client.submit(frame, 0, length, this,
                    (clock.nanoTime() & ~TYPE_TAG_MASK) | ContractsDescriptor.TOKEN_CREATE);
                if (result > 0)
                {
                    sender++;
                    work++;
                }
                else if (CmtClient.BACK_PRESSURED != result && CmtClient.PENDING_FULL != result)
                {
                    throw new IllegalStateException("setup: submit failed: " + CmtClient.describe(result));
                }
            }
            work += client.poll();
            if (clock.nanoTime() - deadlineNs > 0 || !client.isConnected())
            {
                throw new IllegalStateException("setup: " + setupReceipts + " of " + config.senders +
                    " TOKEN_CREATE receipts arrived before the deadline");
            }
            idle.idle(work);
        }
        setupPhase = false;
        writeRecordComment("# measured phase");
        final long ok = setupReceiptsByType[ContractsDescriptor.TOKEN_CREATE][ReceiptStatus.OK.value()];
        if (ok != config.senders)
        {
            throw new IllegalStateException("setup: " + (config.senders - ok) + " of " + config.senders +
                " TOKEN_CREATE were not committed: " + byTypeJson(setupReceiptsByType) +
                " (a chain already used by an earlier run needs --first-nonce)");
        }
        out.printf(Locale.ROOT, "loadgen: setup: %d tokens created and committed in %.1f s%n", ok,
            (clock.nanoTime() - startNs) / 1e9);
    }

    private static String byTypeJson(final long[][] counts)
    {
        final StringBuilder sb = new StringBuilder("{");
        for (int type = 0; type < counts.length; type++)
        {
            final StringBuilder statuses = new StringBuilder();
            for (int status = 0; status < counts[type].length; status++)
            {
                if (counts[type][status] > 0)
                {
                    statuses.append(statuses.length() == 0 ? "" : ",").append('"')
                        .append(ReceiptStatuses.name(status)).append("\":")
                        .append(counts[type][status]);
                }
            }
            if (statuses.length() > 0)
            {
                sb.append(sb.length() == 1 ? "" : ",").append('"').append(TxTypes.name(type)).append("\":{")
                    .append(statuses).append('}');
            }
        }
        return sb.append('}').toString();
    }

    private Summary send(final CmtClient client, final SignedTransactions txs, final long count)
    {
        final IdleStrategy idle = null != config.idleStrategy ? config.idleStrategy :
            new BackoffIdleStrategy(100, 10, 1_000, 50_000);
        // Pushed back, nothing can be sent until the node has drained part of a full window: sleep (50 us, doubling to
        // 1 ms) instead of spinning on it, leaving the cores to the node, which shares them in the demo.
        final IdleStrategy pushedBackIdle = new BackoffIdleStrategy(0, 0, 50_000, 1_000_000);
        final UnsafeBuffer hashes = txs.hashes();
        final double rate = config.ratePerSecond;
        final double intervalNs = rate > 0 ? 1e9 / rate : 0;
        if (null != config.onSendingStart)
        {
            config.onSendingStart.run();
        }
        final long startNs = alignedStartNs(clock.nanoTime());
        warmupEndNs = startNs + TimeUnit.SECONDS.toNanos(config.warmupSeconds);
        final long endNs = startNs + TimeUnit.SECONDS.toNanos(config.seconds);
        long next = 0;
        long backPressured = 0;
        long sendEndNs = 0;
        long committedAtWarmupEnd = -1;
        long committedAtSendEnd = 0;
        boolean sending = true;
        live.start(startNs);
        boolean interrupted = false;
        config.stop.sending = true;

        while (true)
        {
            int work = 0;
            boolean pushedBack = false;
            long nowNs = clock.nanoTime();
            if (sending)
            {
                if (committedAtWarmupEnd < 0 && nowNs - warmupEndNs >= 0)
                {
                    committedAtWarmupEnd = committed;
                }
                final long nextDueNs = rate > 0 ? startNs + intendedOffsetNs(next, intervalNs) : nowNs;
                final boolean over = next >= count || timeUp(nowNs, endNs, nextDueNs) || !client.isConnected();
                if (over || config.stop.requested())
                {
                    sending = false;
                    sendEndNs = nowNs;
                    committedAtSendEnd = committed;
                    interrupted = !over;
                }
                else
                {
                    for (int burst = 0; burst < BURST_LIMIT && next < count; burst++)
                    {
                        final long intendedNs = rate > 0 ? startNs + intendedOffsetNs(next, intervalNs) : nowNs;
                        if (intendedNs - nowNs > 0)
                        {
                            break;
                        }
                        final int type = txs.buffer().getByte(txs.offset(next) + TransactionDescriptor.TYPE_OFFSET) &
                            (int)TYPE_TAG_MASK;
                        final long result = client.submit(
                            txs.buffer(), txs.offset(next), txs.length(next), hashes,
                            (int)next * Sha256.DIGEST_LENGTH, this, tag(intendedNs, type));
                        if (result > 0)
                        {
                            next++;
                            work++;
                        }
                        else if (CmtClient.BACK_PRESSURED == result || CmtClient.PENDING_FULL == result)
                        {
                            // Not sent: retried next cycle; its latency keeps counting from its intended time.
                            backPressured++;
                            pushedBack = true;
                            break;
                        }
                        else
                        {
                            out.println("loadgen: submit failed: " + CmtClient.describe(result));
                            sending = false;
                            sendEndNs = nowNs;
                            committedAtSendEnd = committed;
                            break;
                        }
                    }
                }
            }

            work += client.poll();
            nowNs = clock.nanoTime();
            if (live.due(nowNs))
            {
                live.report(nowNs, next, committed, rejected, client.pendingCount());
            }
            if (!sending && (0 == client.pendingCount() || !client.isConnected() ||
                nowNs - sendEndNs > TimeUnit.MILLISECONDS.toNanos(config.drainTimeoutMs)))
            {
                live.finish(nowNs, next, committed, rejected, client.pendingCount());
                break;
            }
            if (pushedBack)
            {
                pushedBackIdle.idle();
            }
            else
            {
                pushedBackIdle.reset();
                idle.idle(work);
            }
        }

        final Summary summary = new Summary();
        summary.submitted = next;
        summary.committed = committed;
        summary.rejected = rejected;
        summary.lost = lostReported + client.pendingCount();
        summary.backPressured = backPressured;
        // Stopped early, what was due more than the grace before the stop and never sent still counts as behind.
        summary.dueUnsent = interrupted ?
            dueUnsentBefore(rate, sendEndNs - startNs - LATE_SEND_GRACE_NS, count, next) :
            dueUnsent(rate, config.seconds, count, next);
        summary.rate = rate;
        summary.sendSeconds = (sendEndNs - startNs) / 1e9;
        summary.interrupted = interrupted;
        final double seconds = (Math.max(lastReceiptNs, sendEndNs) - startNs) / 1e9;
        summary.tps = seconds > 0 ? committed / seconds : 0;
        final double steadySeconds = (sendEndNs - warmupEndNs) / 1e9;
        summary.steadyTps = committedAtWarmupEnd >= 0 && steadySeconds > 0 ?
            (committedAtSendEnd - committedAtWarmupEnd) / steadySeconds : Double.NaN;
        // Nothing recorded (nothing committed, or only what was intended in the warm-up): the latency fields stay NaN
        // and the distribution empty, since an empty histogram answers 0 for every percentile.
        if (total.getTotalCount() > 0)
        {
            summary.p50Ms = total.getValueAtPercentile(50) / 1e6;
            summary.p99Ms = total.getValueAtPercentile(99) / 1e6;
            summary.p999Ms = total.getValueAtPercentile(99.9) / 1e6;
            summary.maxMs = total.getMaxValue() / 1e6;
            final StringBuilder percentiles = new StringBuilder("{");
            for (final double p : PLOTTED_PERCENTILES)
            {
                percentiles.append(percentiles.length() == 1 ? "" : ",").append(String.format(Locale.ROOT,
                    "\"%s\":%.3f", p, total.getValueAtPercentile(p) / 1e6));
            }
            summary.percentiles = percentiles.append('}').toString();
        }
        summary.byType = byTypeJson(receiptsByType);
        summary.setup = byTypeJson(setupReceiptsByType);
        summary.mix = config.mix.toString();
        summary.rejects = rejectsJson(rejectsByStatus);
        return summary;
    }

    /**
     * @param byStatus rejected receipts by status code.
     * @return them as a JSON object, {"BAD_NONCE":3,...}, in code order; {} when none.
     */
    static String rejectsJson(final long[] byStatus)
    {
        // Built, not rewritten from the text with a pattern of letters: STATUS_200 (a code the schema lists not) has
        // digits, and was left as STATUS_200=3 inside the braces, which is not JSON.
        final StringBuilder sb = new StringBuilder("{");
        for (int status = 1; status < byStatus.length; status++)
        {
            if (byStatus[status] > 0)
            {
                sb.append(sb.length() == 1 ? "" : ",").append('"').append(ReceiptStatuses.name(status))
                    .append("\":").append(byStatus[status]);
            }
        }
        return sb.append('}').toString();
    }

    @Override
    public void onReceipt(
        final long tag,
        final DirectBuffer txHash,
        final int hashOffset,
        final int status,
        final long blockHeight,
        final long feeChargedMicroCmt)
    {
        final long nowNs = clock.nanoTime();
        final int type = (int)(tag & TYPE_TAG_MASK);
        if (setupPhase)
        {
            setupReceipts++;
            setupReceiptsByType[type][status & 0xFF]++;
            if (ReceiptStatus.OK.value() == status)
            {
                writeRecord(txHash, hashOffset);
            }
            return;
        }
        receiptsByType[type][status & 0xFF]++;
        lastReceiptNs = nowNs;
        final long latencyNs = Math.max(0, Math.min(nowNs - tag, total.getHighestTrackableValue()));
        if (ReceiptStatus.OK.value() == status)
        {
            committed++;
            if (afterWarmup(tag, warmupEndNs))
            {
                total.recordValue(latencyNs);
            }
            live.onCommitted(latencyNs);
            writeRecord(txHash, hashOffset);
        }
        else
        {
            rejected++;
            rejectsByStatus[status & 0xFF]++;
            live.onRejected(status);
        }
    }

    @Override
    public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
    {
        if (setupPhase)
        {
            throw new IllegalStateException("setup: a TOKEN_CREATE was reported lost (reason " + reason + ")");
        }
        lostReported++;
    }

    private void openRecord() throws IOException
    {
        if (null != config.recordFile)
        {
            record = new BufferedOutputStream(new FileOutputStream(config.recordFile), 1 << 16);
        }
    }

    private void writeRecord(final DirectBuffer txHash, final int hashOffset)
    {
        if (null == record)
        {
            return;
        }
        final byte[] line = recordLine;
        for (int i = 0; i < 32; i++)
        {
            final int b = txHash.getByte(hashOffset + i) & 0xFF;
            line[2 * i] = (byte)Character.forDigit(b >>> 4, 16);
            line[2 * i + 1] = (byte)Character.forDigit(b & 0xF, 16);
        }
        line[64] = '\n';
        try
        {
            record.write(line, 0, line.length);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write --record file: " + ex.getMessage(), ex);
        }
    }

    /** A line {@code cmt replay --expect} skips, as it does every line that starts with #. */
    private void writeRecordComment(final String comment)
    {
        if (null == record)
        {
            return;
        }
        try
        {
            record.write((comment + "\n").getBytes(StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write --record file: " + ex.getMessage(), ex);
        }
    }

    private void closeRecord() throws IOException
    {
        if (null != record)
        {
            record.close();
        }
    }
}
