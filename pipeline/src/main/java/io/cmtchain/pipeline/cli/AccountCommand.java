package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.util.Hex;
import io.cmtchain.transport.AccountState;
import io.cmtchain.transport.CmtClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code cmt account}: ask a running node for an account's balance and next nonce, over the transport, as a client
 * does ({@link CmtClient#queryAccount}).
 */
@Command(
    name = "account",
    mixinStandardHelpOptions = true,
    description = {
        "Ask a running node for an account's balance and next nonce.",
        "The account is an address (40 hex digits), or the address of a key file (--key) or of a devnet account " +
            "(--devnet N). The answer is the state after the last block the node has executed.",
        "Exit status: 0 answered (whether the account exists or not), 1 bad input, 2 no answer from the node."})
public final class AccountCommand implements Callable<Integer>
{
    @Parameters(arity = "0..1", paramLabel = "ADDRESS", description = "the account's address, 40 hex digits")
    String address;

    @Option(names = "--key", paramLabel = "FILE", description = "the account of this key file (from cmt keygen)")
    File keyFile;

    @Option(names = "--devnet", paramLabel = "N", description = "devnet account N (the devnet genesis funds 0..9999)")
    Long devnetIndex;

    @CommandLine.Mixin
    NodeQueryOptions node;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final byte[] account = account();
        final AccountState state = node.ask("account", client -> client.queryAccount(account),
            spec.commandLine().getErr());
        if (state == null)
        {
            return 2;
        }
        if (state.exists())
        {
            out.printf(Locale.ROOT, "account %s: balance %s, next nonce %d, as of block %d%n",
                Hex.encode(account), NodeQueryOptions.cmt(state.balanceMicroCmt()), state.nonce(), state.height());
        }
        else
        {
            out.printf(Locale.ROOT, "account %s: no such account (it has never received CMT), as of block %d%n",
                Hex.encode(account), state.height());
        }
        out.flush();
        return 0;
    }

    private byte[] account()
    {
        final int given = (address != null ? 1 : 0) + (keyFile != null ? 1 : 0) + (devnetIndex != null ? 1 : 0);
        if (given != 1)
        {
            throw new IllegalArgumentException("give one of ADDRESS, --key FILE or --devnet N");
        }
        if (address == null)
        {
            return NodeQueryOptions.key(keyFile, devnetIndex).address();
        }
        return NodeQueryOptions.hexArgument("ADDRESS", address, 20);
    }
}
