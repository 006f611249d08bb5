package io.cmtchain.bench.sigverify;

import io.cmtchain.engine.block.BlockSigning;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.MessageSigner;
import io.cmtchain.sigverify.Ed25519Signer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code cmt bench sign}: single-thread Ed25519 signing rates of a block commit (the commit tag, the chain id and a
 * 32-byte header hash: {@value #MESSAGE_BYTES} bytes) with the validator's signer ({@link Ed25519Signer}), with
 * BouncyCastle's (behind {@link Ed25519Key}) and with libsodium's {@code crypto_sign_detached} through the C harness in
 * {@code bench/native}, over {@value #KEYS} distinct keys and a different message each time. Contestants run
 * interleaved in rounds, so load and frequency drift on a shared machine hit all of them alike; each reports the
 * median of its round rates. Before timing, both Java signers must make the same bytes for every key, and those bytes
 * must verify; the harness checks its own signatures after its run.
 */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = "Ed25519 signing rates of a block commit, one core: cmtchain's signer, BouncyCastle and libsodium, " +
        "side by side in interleaved rounds.")
public final class SignBenchCommand implements Callable<Integer>
{
    static final int KEYS = 1024;
    static final int MESSAGE_BYTES = 54;
    private static final int CHAIN_ID = 1001;
    private static final int PER_CALL = 64;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RoundsOptions options;

    /** Signs {@link #PER_CALL} commits, cycling through the keys. */
    private static final class Signer implements SigverifyBenchCommand.Contestant
    {
        private final MessageSigner[] keys;
        private final BlockSigning signing = new BlockSigning();
        private final byte[] headerHash = new byte[32];
        private final byte[] signature = new byte[BlockSigning.SIGNATURE_LENGTH];
        private int next;

        Signer(final MessageSigner[] keys)
        {
            this.keys = keys;
        }

        @Override
        public int run(final int start)
        {
            for (int j = 0; j < PER_CALL; j++)
            {
                headerHash[31]++; // a different header each time, as blocks are
                signing.signCommit(keys[next], CHAIN_ID, headerHash, signature, 0);
                next = next + 1 == keys.length ? 0 : next + 1;
            }
            return PER_CALL;
        }
    }

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (!options.valid("sign", spec.commandLine().getErr()))
        {
            return 2;
        }
        final Ed25519Key[] bcKeys = new Ed25519Key[KEYS];
        final Ed25519Signer[] ourKeys = new Ed25519Signer[KEYS];
        for (int i = 0; i < KEYS; i++)
        {
            bcKeys[i] = Ed25519Key.devnet("cmt-bench-sign", i);
            ourKeys[i] = new Ed25519Signer(bcKeys[i].seed());
        }
        checkSameSignatures(bcKeys, ourKeys);

        final String[] names = {"cmtchain", "bouncycastle"};
        final Signer[] contestants = {new Signer(ourKeys), new Signer(bcKeys)};
        final SodiumHarness harness = options.harness(out);
        final double roundSeconds = options.seconds / options.rounds;
        out.printf(Locale.ROOT, "sign bench: %d rounds x %.2f s per contestant, %d keys, %d-byte commits, single " +
            "thread%n", options.rounds, roundSeconds, KEYS, MESSAGE_BYTES);
        out.flush();

        final RoundsOptions.Rates rates = options.interleave(names, contestants, new int[] {PER_CALL, PER_CALL},
            harness, SodiumHarness.SIGN, KEYS, MESSAGE_BYTES, out);
        final double ours = rates.median(0);
        final double bc = rates.median(1);
        final boolean sodiumOk = rates.sodiumOk;
        final double sodium = rates.sodiumMedian();
        final double roundRatio = rates.roundRatio(0);
        out.println();
        out.printf(Locale.ROOT, "%-22s %14s %12s%n", "signer", "signatures/s", "us/signature");
        out.printf(Locale.ROOT, "%-22s %14.0f %12.2f%n", "cmtchain", ours, 1e6 / ours);
        out.printf(Locale.ROOT, "%-22s %14.0f %12.2f%n", "bouncycastle", bc, 1e6 / bc);
        int status = 0;
        if (sodiumOk)
        {
            out.printf(Locale.ROOT, "%-22s %14.0f %12.2f%n", "libsodium", sodium, 1e6 / sodium);
            out.printf(Locale.ROOT, "cmtchain / libsodium = %.2fx (per core, same run; median per-round ratio %.2fx)%n",
                ours / sodium, roundRatio);
        }
        else
        {
            status = options.withoutSodium("sign", out, spec.commandLine().getErr());
        }
        out.printf(Locale.ROOT, "cmtchain / bouncycastle = %.2fx%n", ours / bc);
        out.flush();

        if (options.json != null)
        {
            final StringBuilder sb = new StringBuilder("{\n");
            sb.append(String.format(Locale.ROOT, "  \"cmtchain_per_s\": %.1f,%n", ours));
            sb.append(String.format(Locale.ROOT, "  \"bouncycastle_per_s\": %.1f,%n", bc));
            sb.append(String.format(Locale.ROOT, "  \"cmtchain_vs_bouncycastle\": %.3f,%n", ours / bc));
            if (sodiumOk)
            {
                sb.append(String.format(Locale.ROOT, "  \"libsodium_sign_per_s\": %.1f,%n", sodium));
                sb.append(String.format(Locale.ROOT, "  \"cmtchain_vs_libsodium\": %.3f,%n", ours / sodium));
                sb.append(String.format(Locale.ROOT, "  \"cmtchain_vs_libsodium_round_median\": %.3f,%n", roundRatio));
            }
            sb.append(String.format(Locale.ROOT, "  \"seconds\": %s,%n  \"rounds\": %d,%n  \"keys\": %d,%n" +
                "  \"message_bytes\": %d%n}%n", options.seconds, options.rounds, KEYS, MESSAGE_BYTES));
            Files.writeString(options.json, sb.toString(), StandardCharsets.UTF_8);
        }
        return status;
    }

    /** Both signers make RFC 8032's deterministic signature, so the same bytes; and they verify. */
    private static void checkSameSignatures(final Ed25519Key[] bcKeys, final Ed25519Signer[] ourKeys)
    {
        final BlockSigning signing = new BlockSigning();
        final byte[] headerHash = new byte[32];
        final byte[] ours = new byte[BlockSigning.SIGNATURE_LENGTH];
        final byte[] theirs = new byte[BlockSigning.SIGNATURE_LENGTH];
        for (int i = 0; i < bcKeys.length; i++)
        {
            headerHash[0] = (byte)i;
            signing.signCommit(ourKeys[i], CHAIN_ID, headerHash, ours, 0);
            signing.signCommit(bcKeys[i], CHAIN_ID, headerHash, theirs, 0);
            if (!Arrays.equals(ours, theirs) ||
                !signing.verifyCommit(bcKeys[i].publicKey(), CHAIN_ID, headerHash, ours, 0))
            {
                throw new IllegalStateException("the signers disagree or do not verify for key " + i);
            }
        }
    }
}
