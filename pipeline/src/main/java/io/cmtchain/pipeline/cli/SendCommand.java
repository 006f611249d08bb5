package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.dpos.DposBodies;
import io.cmtchain.engine.exec.TransactionProcessor;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.ReceiptStatuses;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.transport.AccountState;
import io.cmtchain.transport.CmtClient;
import io.cmtchain.transport.CmtClientException;
import io.cmtchain.transport.Receipt;
import io.cmtchain.transport.TransactionState;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code cmt send}: sign one transaction with a key file (or a devnet key), send it to a running node over the
 * transport, as a wallet does, and wait for its receipt: a CMT transfer, or a delegation to a DPoS candidate or its
 * withdrawal. The nonce is the account's next one as the node reports it, and the fee the least the node's fee
 * schedule asks for the type, unless given.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
        "Sign a transfer, delegation or withdrawal with a key and send it to a running node; wait for its receipt.",
        "KIND is transfer (CMT to --to), delegate (stake CMT with the candidate whose owner address is --to) or " +
            "withdraw (take a delegation's stake back from that candidate). The nonce is the sender's next one as " +
            "the node reports it (give --nonce when other transactions of the sender are on their way), and the " +
            "fee the least the node asks for KIND (its genesis fee schedule) unless --fee says more.",
        "Exit status: 0 committed, 3 rejected (the receipt says why; a rejected transaction may still have paid " +
            "its fee), 1 bad input, 2 no receipt (the node did not answer, or the receipt was lost: ask " +
            "cmt receipt HASH)."})
public final class SendCommand implements Callable<Integer>
{
    /** Exit status when the node's receipt rejects the transaction. */
    static final int REJECTED = 3;

    private static final BigDecimal MICRO_PER_CMT = BigDecimal.valueOf(1_000_000);

    /** What can be sent, with its type code. */
    enum Kind
    {
        transfer(TxTypes.TRANSFER),
        delegate(io.cmtchain.engine.dpos.DposDescriptor.DELEGATE),
        withdraw(io.cmtchain.engine.dpos.DposDescriptor.WITHDRAW);

        final int type;

        Kind(final int type)
        {
            this.type = type;
        }
    }

    @Parameters(index = "0", paramLabel = "KIND", description = "transfer, delegate or withdraw")
    Kind kind;

    @Option(names = "--key", paramLabel = "FILE", description = "sign with this key file (from cmt keygen)")
    File keyFile;

    @Option(names = "--devnet", paramLabel = "N", description = "sign with devnet account N's key (the devnet " +
        "genesis funds 0..9999; anyone can derive these keys)")
    Long devnetIndex;

    @Option(names = "--to", paramLabel = "ADDRESS", required = true, description = "the recipient (transfer) or the " +
        "candidate's owner address (delegate, withdraw), 40 hex digits")
    String to;

    @Option(names = "--amount", paramLabel = "CMT", required = true, description = "CMT, with up to six decimals " +
        "(1 µCMT = 0.000001 CMT), more than 0")
    String amount;

    @Option(names = "--fee", paramLabel = "µCMT", description = "the fee offered, in µCMT (default: the least the " +
        "node asks for KIND)")
    Long fee;

    @Option(names = "--nonce", paramLabel = "N", description = "the sender's nonce, 0 to 9223372036854775806 " +
        "(default: its next one, as the node reports it)")
    Long nonce;

    @CommandLine.Mixin
    NodeQueryOptions node;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Ed25519Key key = NodeQueryOptions.key(keyFile, devnetIndex);
        final byte[] recipient = NodeQueryOptions.hexArgument("--to", to, 20);
        final long microCmt = microCmt(amount);
        if (fee != null && fee < 0)
        {
            throw new IllegalArgumentException("--fee must be >= 0 µCMT, was " + fee);
        }
        if (nonce != null && (nonce < 0 || nonce > TransactionProcessor.MAX_NONCE))
        {
            // The ledger refuses a larger one BAD_NONCE whatever the account's nonce: say so before signing.
            throw new IllegalArgumentException("--nonce must be 0 to " + TransactionProcessor.MAX_NONCE +
                " (the largest a transaction may carry), was " + nonce);
        }
        try (CmtClient client = node.connect())
        {
            long sendNonce;
            if (nonce != null)
            {
                sendNonce = nonce;
            }
            else
            {
                final AccountState sender = node.await("send", client, client.queryAccount(key.address()), err);
                if (sender == null)
                {
                    return 2;
                }
                if (!sender.exists())
                {
                    err.println("cmt send: account " + Hex.encode(key.address()) + " does not exist on this chain " +
                        "(it has never received CMT), so it cannot pay a fee");
                    return REJECTED;
                }
                sendNonce = sender.nonce();
            }
            final long sendFee = fee != null ? fee : client.minimumFee(kind.type);
            if (sendFee < 0)
            {
                err.println("cmt send: the node did not say its fee for " + kind + " (a node from before fee " +
                    "schedules were sent); give --fee");
                return 1;
            }
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransactionDescriptor.MAX_LENGTH]);
            final TransactionBuilder builder = new TransactionBuilder(client.chainId());
            final int length;
            if (kind == Kind.transfer)
            {
                length = builder.transfer(key, sendNonce, sendFee, 0, recipient, microCmt, frame, 0);
            }
            else
            {
                final byte[] body = DposBodies.stake(recipient, microCmt);
                length = builder.build(key, sendNonce, sendFee, 0, kind.type, body, 0, body.length, frame, 0);
            }
            final byte[] hash = new byte[32];
            TxHash.compute(new Sha256(), frame, 0, length, hash, 0);
            out.printf(Locale.ROOT, "sending %s of %s from %s to %s, nonce %d, fee %s: transaction %s%n", kind,
                NodeQueryOptions.cmt(microCmt), Hex.encode(key.address()), Hex.encode(recipient), sendNonce,
                NodeQueryOptions.cmt(sendFee), Hex.encode(hash));
            out.flush();
            final Receipt receipt = node.await("send", client, client.submitAsync(frame, 0, length), err);
            if (receipt == null)
            {
                err.println("cmt send: no receipt; cmt receipt " + Hex.encode(hash) + " tells whether a block holds " +
                    "it");
                return 2;
            }
            if (receipt.committed())
            {
                out.printf(Locale.ROOT, "committed in block %d, fee %s%n", receipt.blockHeight(),
                    NodeQueryOptions.cmt(receipt.feeChargedMicroCmt()));
                out.flush();
                return 0;
            }
            // A block holds the rejections of the ledger, but not those refused before (the stateless checks, the
            // signature, a duplicate), whose receipts carry the height being cut when they were refused: ask.
            final TransactionState state = node.await("send", client, client.queryTransaction(hash), err);
            out.println(rejection(receipt, state, Hex.encode(hash)));
            out.flush();
            return REJECTED;
        }
        catch (final CmtClientException ex)
        {
            err.println("cmt send: " + ex.getMessage());
            return 2;
        }
    }

    /**
     * @param receipt a rejection.
     * @param state   what the node's journal says of the same hash, or null when it did not answer.
     * @param hash    the transaction's hash, in hex.
     * @return the line that says why, and where the transaction is.
     */
    static String rejection(final Receipt receipt, final TransactionState state, final String hash)
    {
        final String status = ReceiptStatuses.name(receipt.status());
        if (null == state)
        {
            return "rejected: " + status + " (whether a block holds it is unknown: cmt receipt " + hash + " tells)";
        }
        if (state.unreadable())
        {
            return "rejected: " + status + " (whether a block holds it is unknown: " + (state.blockHeight() > 0 ?
                "the node's index places it in block " + state.blockHeight() + ", which the node cannot read from " +
                "its journal, damaged on disk" : "the node's journal lookup failed") + ")";
        }
        if (ReceiptStatus.DUPLICATE.value() == receipt.status())
        {
            return state.found() ?
                String.format(Locale.ROOT, "rejected: DUPLICATE: the same transaction is in block %d already, " +
                "status %s, fee %s", state.blockHeight(), ReceiptStatuses.name(state.status()),
                NodeQueryOptions.cmt(state.feeChargedMicroCmt())) :
                "rejected: DUPLICATE: the same transaction was sent before and is not in a block yet; cmt receipt " +
                hash + " tells once it is";
        }
        return state.found() ?
            String.format(Locale.ROOT, "rejected: %s in block %d, fee %s", status, state.blockHeight(),
            NodeQueryOptions.cmt(state.feeChargedMicroCmt())) :
            "rejected: " + status + " before any block, no fee";
    }

    /**
     * @param cmt an amount of CMT, as typed: digits with up to six decimals.
     * @return it in µCMT.
     * @throws IllegalArgumentException naming --amount when it is not a number, has more than six decimals, is not
     *                                  above 0 or does not fit in a 64-bit count of µCMT.
     */
    static long microCmt(final String cmt)
    {
        final BigDecimal value;
        try
        {
            value = new BigDecimal(cmt.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--amount must be a number of CMT such as 12.5, was " + cmt);
        }
        final BigDecimal micro = value.multiply(MICRO_PER_CMT);
        if (micro.stripTrailingZeros().scale() > 0)
        {
            throw new IllegalArgumentException("--amount has more than six decimals (1 µCMT = 0.000001 CMT): " + cmt);
        }
        if (micro.signum() <= 0)
        {
            throw new IllegalArgumentException("--amount must be more than 0 CMT, was " + cmt);
        }
        try
        {
            return micro.longValueExact();
        }
        catch (final ArithmeticException ex)
        {
            throw new IllegalArgumentException("--amount is more CMT than can exist (at most " +
                NodeQueryOptions.cmt(Long.MAX_VALUE) + "): " + cmt);
        }
    }
}
