package io.cmtchain.pipeline.cli;

import io.cmtchain.transport.CmtClient;
import io.cmtchain.transport.TransportContext;
import io.cmtchain.transport.loadgen.LoadGenerator;
import io.cmtchain.transport.loadgen.LoadMix;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code cmt loadgen}: pre-signs devnet transfers and sends them to a node open-loop, printing a line a second and a
 * JSON summary. The logic is {@link LoadGenerator} in the transport module.
 */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    description = {
        "Send pre-signed devnet transactions (transfers, or the contract mix of --mix) to a node and measure their " +
            "latency.",
        "Sends at a fixed rate (or flat out) and measures latency from each transaction's intended send time. " +
            "Prints a line a second (the time since the last one in a last line, marked partial) and a " +
            "final JSON summary; exit status 0 only if no transaction was lost. Ctrl-C " +
            "(or SIGTERM) while sending stops it, waits up to --drain-timeout-ms for the receipts outstanding and " +
            "prints the summary of what was sent, marked \"interrupted\":true, with exit status 130; a second one " +
            "exits at once. The " +
            "transactions are signed deterministically from --first-nonce: to send again to the same chain, run with " +
            "--continue.",
        "Its defaults are not cmt demo's (which sends for 20 s at 20,000 tx/s from 10,000 senders and leaves a 2 s " +
            "warm-up out of the percentiles): give --seconds, --rate, --senders and --warmup to repeat a demo's load."})
public final class LoadgenCommand implements Callable<Integer>
{
    @Option(names = "--rate", paramLabel = "TX/S", defaultValue = "10000",
        description = "transactions per second, 0 = flat out (${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "60",
        description = "time to send for; at a --rate, transactions " +
        "due before its end that are behind schedule are still sent, up to 1 s late (${DEFAULT-VALUE})")
    long seconds;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
        description = "transactions to sign and send; 0 = rate x seconds, or 1,000,000 flat out (${DEFAULT-VALUE})")
    long count;

    @Option(names = "--senders", paramLabel = "N", defaultValue = "1000",
        description = "devnet sender accounts (${DEFAULT-VALUE})")
    int senders;

    @Option(names = "--first-nonce", paramLabel = "N", defaultValue = "0",
        description = "first nonce of every sender, to continue after an earlier run (${DEFAULT-VALUE})")
    long firstNonce;

    @Option(names = "--continue", description = "ask the node for the senders' next nonce and start there: for a run " +
        "after earlier ones against the same chain (instead of --first-nonce)")
    boolean continueFromNode;

    @Option(names = "--accounts", paramLabel = "N", defaultValue = "1000000",
        description = "recipients (${DEFAULT-VALUE})")
    long accounts;

    @Option(names = "--zipf", paramLabel = "EXPONENT", defaultValue = "0",
        description = "recipient skew exponent, 0 = uniform (${DEFAULT-VALUE})")
    double zipf;

    @Option(names = "--hot-share", paramLabel = "SHARE", defaultValue = "0",
        description = "share of transfers to one hot account (${DEFAULT-VALUE})")
    double hotShare;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
        description = "seed of the recipient draw (${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--fee", paramLabel = "µCMT", defaultValue = "-1",
        description = "fee in µCMT, -1 = the genesis minimum (${DEFAULT-VALUE})")
    long fee;

    @Option(names = "--amount", paramLabel = "µCMT", defaultValue = "1",
        description = "amount in µCMT (${DEFAULT-VALUE})")
    long amount;

    @Option(names = "--chain-id", paramLabel = "ID", defaultValue = "0",
        description = "chain id, 0 = from the genesis (${DEFAULT-VALUE})")
    int chainId;

    @Option(names = "--genesis", paramLabel = "FILE", description = "genesis JSON (default: the devnet genesis)")
    File genesis;

    @Option(names = "--cache", paramLabel = "DIR",
        description = "directory to cache the signed transactions in (default: none, sign afresh)")
    File cache;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the summary to this file")
    File json;

    @Option(names = "--record", paramLabel = "FILE",
        description = "write the hash of every committed transaction, one hex per line, for cmt replay --expect " +
            "(or cmt receipt); with token in --mix, the setup's token creations come first, after a '# setup: ...' " +
            "line, and the measured phase's after '# measured phase' (replay --expect skips lines that start with " +
            "#). Hashes, not transactions: to send the same run again to a fresh chain, give the same options, " +
            "which sign the same transactions, the setup's included")
    File record;

    // Each takes the client's property, when set, as its default, as CmtClient.Context does.
    @Option(names = "--ingress", paramLabel = "CHANNEL",
        defaultValue = "${sys:" + CmtClient.Context.INGRESS_CHANNEL_PROP + ":-" +
            TransportContext.DEFAULT_INGRESS_CHANNEL + "}",
        description = "the node's ingress channel (default: " + CmtClient.Context.INGRESS_CHANNEL_PROP +
            " if set, else " + TransportContext.DEFAULT_INGRESS_CHANNEL + ")")
    String ingress;

    @Option(names = "--ingress-stream", paramLabel = "ID",
        defaultValue = "${sys:" + CmtClient.Context.INGRESS_STREAM_ID_PROP + ":-" +
            TransportContext.DEFAULT_INGRESS_STREAM_ID + "}",
        description = "ingress stream id (default: " + CmtClient.Context.INGRESS_STREAM_ID_PROP + " if set, else " +
            TransportContext.DEFAULT_INGRESS_STREAM_ID + ")")
    int ingressStream;

    @Option(names = "--response", paramLabel = "CHANNEL",
        defaultValue = "${sys:" + CmtClient.Context.RESPONSE_CHANNEL_PROP + ":-" +
            CmtClient.Context.DEFAULT_RESPONSE_CHANNEL + "}",
        description = "channel for receipts, port 0 = any free port (default: " +
            CmtClient.Context.RESPONSE_CHANNEL_PROP + " if set, else " + CmtClient.Context.DEFAULT_RESPONSE_CHANNEL +
            ")")
    String response;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "use this running media driver instead of a private one")
    String aeronDir;

    @Option(names = "--drain-timeout-ms", paramLabel = "MS", defaultValue = "10000",
        description = "how long to wait for outstanding receipts after sending (${DEFAULT-VALUE})")
    long drainTimeoutMs;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "0",
        description = "seconds at the start left out of the percentiles (${DEFAULT-VALUE})")
    long warmup;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
        description = "signing threads, 0 = one per core (${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--mix", paramLabel = "KIND=W,...", description = "shares of transaction kinds: transfer, token, " +
        "escrow, loan, insurance, e.g. transfer=60,token=25,escrow=15 (default: transfers only). With token, each " +
        "sender first creates its token (nonce --first-nonce), committed before the measured phase")
    String mix;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Aeron's property for the idle strategy of an embedded driver's shared thread. */
    static final String DRIVER_IDLE_PROP = "aeron.shared.idle.strategy";

    /**
     * On a small machine (4 processors or fewer, where the node and the load generator share the cores), let the
     * load generator's embedded driver sleep 1 ms when idle instead of spinning, unless {@value #DRIVER_IDLE_PROP}
     * says otherwise: it then batches sends and receipts per wake-up and leaves the CPU to the node. It adds at most
     * a millisecond to the measured latency.
     */
    static void sleepingClientDriverOnSmallMachines()
    {
        if (System.getProperty(DRIVER_IDLE_PROP) == null && isSmallMachine())
        {
            System.setProperty(DRIVER_IDLE_PROP, SleepingMillisIdleStrategy.class.getName());
        }
    }

    /**
     * On a small machine the sending loop parks 50 µs between due sends instead of spinning for them: the load
     * generator stands in for remote clients and should not take the node's CPU. A send is then up to a park late
     * (latency is measured from each transaction's intended send time, so that counts against the node).
     *
     * @param config of the run.
     * @return the config.
     */
    static LoadGenerator.Config sendingIdleOnSmallMachines(final LoadGenerator.Config config)
    {
        if (isSmallMachine())
        {
            config.idleStrategy(new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(50)));
        }
        return config;
    }

    /**
     * @param given the {@code --mix} given (of the load generator or the demo), or null when none was.
     * @return the mix: transfers only when none was given.
     * @throws IllegalArgumentException for an empty or blank one (an unset shell variable, most likely), which
     *                                  {@link LoadMix#parse} takes for transfers only, and for what it refuses.
     */
    static LoadMix mix(final String given)
    {
        if (given != null && given.isBlank())
        {
            throw new IllegalArgumentException("--mix is empty: give shares of kinds, e.g. " +
                "transfer=60,token=25,escrow=15 (kinds: transfer, token, escrow, loan, insurance), or leave --mix " +
                "out for transfers only");
        }
        return LoadMix.parse(given);
    }

    private static boolean isSmallMachine()
    {
        return Runtime.getRuntime().availableProcessors() <= 4;
    }

    @Override
    public Integer call()
    {
        if (threads < 0)
        {
            throw new IllegalArgumentException("--threads must be >= 0 (0: one per core), was " + threads);
        }
        // Given at all, not only other than its default of 0: --continue would replace it without a word.
        if (continueFromNode && spec.commandLine().getParseResult().hasMatchedOption("--first-nonce"))
        {
            throw new IllegalArgumentException("give --continue or --first-nonce, not both (--continue starts each " +
                "sender at the next nonce the node reports)");
        }
        sleepingClientDriverOnSmallMachines();
        final LoadGenerator.Config config = new LoadGenerator.Config()
            .rate(rate)
            .seconds(seconds)
            .count(count)
            .senders(senders)
            .firstNonce(firstNonce)
            .continueFromNode(continueFromNode)
            .accounts(accounts)
            .zipf(zipf)
            .hotShare(hotShare)
            .seed(seed)
            .feeMicroCmt(fee)
            .amountMicroCmt(amount)
            .chainId(chainId)
            .genesisFile(genesis)
            .cacheDir(cache)
            .jsonFile(json)
            .recordFile(record)
            .ingressChannel(ingress)
            .ingressStreamId(ingressStream)
            .responseChannel(response)
            .aeronDirectoryName(aeronDir)
            .drainTimeoutMs(drainTimeoutMs)
            .warmupSeconds(warmup)
            .mix(mix(mix));
        if (threads > 0)
        {
            config.signingThreads(threads);
        }
        sendingIdleOnSmallMachines(config);
        // Ctrl-C while sending stops it and waits for the receipts outstanding, so the summary covers what was sent;
        // before sending (signing, connecting) it ends the process, running the shutdown hooks, as it always did.
        final LoadGenerator.Stop stop = new LoadGenerator.Stop();
        config.stop(stop);
        try (ShutdownSignals signals = new ShutdownSignals(System.out, null, () ->
        {
            if (stop.request())
            {
                System.out.println("cmt loadgen: stopping: no more transactions sent; waiting up to " + drainTimeoutMs +
                    " ms for the receipts outstanding (signal again to force exit)");
            }
            else
            {
                System.out.println("cmt loadgen: interrupted before sending");
                System.exit(130);
            }
            System.out.flush();
        }, false))
        {
            signals.install();
            final LoadGenerator.Summary summary = LoadGenerator.run(config, System.out);
            return summary.interrupted ? 130 : 0 == summary.lost ? 0 : 1;
        }
    }
}
