package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.tx.ReceiptStatuses;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.transport.TransactionState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code cmt receipt}: ask a running node for a transaction's receipt by its hash, over the transport, as a client
 * does ({@code CmtClient.queryTransaction}): which journaled block holds it, and the status and fee journaled for it.
 */
@Command(
    name = "receipt",
    mixinStandardHelpOptions = true,
    description = {
        "Ask a running node for a transaction's receipt, by the transaction's hash.",
        "The node looks the hash up in its journal's transaction index. A transaction found is in a durable block: " +
            "the answer is final. One not found is in no block the node has journaled so far.",
        "Exit status: 0 found, 3 not found, 4 the node cannot read the block its index places the transaction in " +
            "(damaged on disk), 1 bad input, 2 no answer from the node."})
public final class ReceiptCommand implements Callable<Integer>
{
    /** Exit status when the node answered that no journaled block holds the transaction. */
    static final int NOT_FOUND = 3;
    /** Exit status when the node answered that it cannot read the block its index places the transaction in. */
    static final int UNREADABLE = 4;

    @Parameters(paramLabel = "HASH", description = "the transaction's hash, 64 hex digits (as loadgen --record " +
        "and receipts give it)")
    String hash;

    @CommandLine.Mixin
    NodeQueryOptions node;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final byte[] txHash = NodeQueryOptions.hexArgument("HASH", hash, 32);
        final TransactionState state = node.ask("receipt", client -> client.queryTransaction(txHash),
            spec.commandLine().getErr());
        if (state == null)
        {
            return 2;
        }
        if (state.unreadable())
        {
            final PrintWriter err = spec.commandLine().getErr();
            err.println("cmt receipt: transaction " + Hex.encode(txHash) + ": " + (state.blockHeight() > 0 ?
                "the node's index places it in block " + state.blockHeight() + ", which the node cannot read from " +
                "its journal (damaged on disk)" : "the node's journal lookup failed (the node's log says why)") +
                ", so its receipt is unknown there (journaled up to block " + state.journaledHeight() + "). Ask " +
                "another node of the chain; on this one, stop it and run cmt replay --data DIR, which names the " +
                "damage, then restore the data directory from a backup or from a healthy node.");
            err.flush();
            return UNREADABLE;
        }
        if (state.found())
        {
            out.printf(Locale.ROOT, "transaction %s: in block %d at index %d, status %s, fee %s; final (the node has " +
                "journaled up to block %d)%n", Hex.encode(txHash), state.blockHeight(), state.index(),
                ReceiptStatuses.name(state.status()),
                NodeQueryOptions.cmt(state.feeChargedMicroCmt()), state.journaledHeight());
            out.flush();
            return 0;
        }
        out.printf(Locale.ROOT, "transaction %s: in no block this node has journaled (up to block %d): it is still " +
            "on its way, or it was rejected before any block (malformed, or a bad signature: its receipt said why), " +
            "or it never reached the node%n",
            Hex.encode(txHash), state.journaledHeight());
        out.flush();
        return NOT_FOUND;
    }
}
