package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.pipeline.ValidatorKeyFile;
import io.cmtchain.transport.CmtClient;
import io.cmtchain.transport.CmtClientException;
import io.cmtchain.transport.TransportContext;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The options of the commands that ask a running node over the transport, as a client does ({@code cmt account},
 * {@code cmt receipt}, {@code cmt send}), and the asking: connect, send, wait for the answer.
 */
final class NodeQueryOptions
{
    private static final long MICRO_PER_CMT = 1_000_000;

    // Each takes the client's property, when set, as its default, as CmtClient.Context does.
    @Option(names = "--ingress", paramLabel = "CHANNEL",
        defaultValue = "${sys:" + CmtClient.Context.INGRESS_CHANNEL_PROP + ":-" +
            TransportContext.DEFAULT_INGRESS_CHANNEL + "}",
        description = "the node's ingress channel (default: " + CmtClient.Context.INGRESS_CHANNEL_PROP +
            " if set, else " + TransportContext.DEFAULT_INGRESS_CHANNEL + ")")
    String ingress;

    @Option(names = "--response", paramLabel = "CHANNEL",
        defaultValue = "${sys:" + CmtClient.Context.RESPONSE_CHANNEL_PROP + ":-" +
            CmtClient.Context.DEFAULT_RESPONSE_CHANNEL + "}",
        description = "channel for the node's answers, port 0 = any free port (default: " +
            CmtClient.Context.RESPONSE_CHANNEL_PROP + " if set, else " + CmtClient.Context.DEFAULT_RESPONSE_CHANNEL +
            ", on the address this machine sends to --ingress from when that is not loopback); behind a NAT, one " +
            "on this machine's IP address as the node sees it, e.g. aeron:udp?endpoint=203.0.113.5:0")
    String response;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "use this running media driver (e.g. the node's, with --ingress aeron:ipc) instead of a " +
            "private one")
    String aeronDir;

    @Option(names = "--timeout-s", paramLabel = "S", defaultValue = "10",
        description = "how long to wait for the node (${DEFAULT-VALUE})")
    long timeoutSeconds;

    /**
     * @param microCmt an amount, µCMT (not negative).
     * @return it as the account and receipt commands print it: CMT with six decimals, then µCMT.
     */
    static String cmt(final long microCmt)
    {
        return String.format(java.util.Locale.ROOT, "%,d.%06d CMT (%,d µCMT)", microCmt / MICRO_PER_CMT,
            microCmt % MICRO_PER_CMT, microCmt);
    }

    /**
     * @param label  of the argument, for the message.
     * @param value  hex digits, optionally after {@code 0x}.
     * @param length bytes the value must have.
     * @return the bytes.
     * @throws IllegalArgumentException naming the argument when the value is not {@code length} bytes of hex.
     */
    static byte[] hexArgument(final String label, final String value, final int length)
    {
        final String hex = value.startsWith("0x") ? value.substring(2) : value;
        final byte[] bytes;
        try
        {
            bytes = Hex.decode(hex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(label + " must be " + 2 * length + " hex digits, was " + value);
        }
        if (bytes.length != length)
        {
            throw new IllegalArgumentException(label + " must be " + 2 * length + " hex digits (" + length +
                " bytes), was " + hex.length() + ": " + value);
        }
        return bytes;
    }

    /**
     * @param keyFile     a key file (from {@code cmt keygen}), or null.
     * @param devnetIndex a devnet account's number, or null.
     * @return the key of whichever of the two is given.
     * @throws IllegalArgumentException when neither or both are given, or the devnet number is negative.
     */
    static Ed25519Key key(final File keyFile, final Long devnetIndex)
    {
        if ((keyFile != null) == (devnetIndex != null))
        {
            throw new IllegalArgumentException("give one of --key FILE or --devnet N, the key that signs");
        }
        if (keyFile != null)
        {
            return ValidatorKeyFile.read(keyFile);
        }
        if (devnetIndex < 0)
        {
            throw new IllegalArgumentException("--devnet must be >= 0, was " + devnetIndex);
        }
        return Ed25519Key.devnet(Genesis.DEVNET_ACCOUNT_TAG, devnetIndex);
    }

    /**
     * Check the options, connect to the node, send one query and wait for its answer.
     *
     * @param command name, for messages.
     * @param query   sends the query on the connected client.
     * @param err     where a failure is told.
     * @param <T>     the answer's type.
     * @return the answer, or null when there is none (told on {@code err}).
     */
    <T> T ask(final String command, final Function<CmtClient, CompletableFuture<T>> query, final PrintWriter err)
        throws InterruptedException
    {
        try (CmtClient client = connect())
        {
            return await(command, client, query.apply(client), err);
        }
        catch (final CmtClientException ex)
        {
            err.println("cmt " + command + ": " + ex.getMessage());
            return null;
        }
    }

    /**
     * Check the options and connect to the node.
     *
     * @return the connected client; the caller closes it.
     * @throws CmtClientException when the node does not answer within the timeout.
     * @throws IllegalArgumentException for a timeout below 1 s, or a setting {@link CmtClient.Context#conclude()}
     *                                  refuses (a response channel no node takes, say).
     */
    CmtClient connect()
    {
        if (timeoutSeconds < 1)
        {
            throw new IllegalArgumentException("--timeout-s must be >= 1, was " + timeoutSeconds);
        }
        // A send pushed back by the node is retried by the client itself, for as long as the command waits. The
        // command's own wait for the answer (await) tells a silent node in terms of --timeout-s: the client's query
        // deadline, which starts a moment earlier, is put a second past it so as not to end that wait first.
        final long timeoutNs = TimeUnit.SECONDS.toNanos(timeoutSeconds);
        final CmtClient.Context ctx = new CmtClient.Context()
            .ingressChannel(ingress)
            .responseChannel(response)
            .connectTimeoutNs(timeoutNs)
            .submitTimeoutNs(timeoutNs)
            .queryTimeoutNs(Math.max(timeoutNs, timeoutNs + TimeUnit.SECONDS.toNanos(1)));
        if (aeronDir != null)
        {
            ctx.aeronDirectoryName(aeronDir);
        }
        else
        {
            ctx.embeddedDriver(true);
        }
        try
        {
            return CmtClient.connect(ctx);
        }
        catch (final IllegalArgumentException ex)
        {
            // The client names its settings' properties; here they came from these options.
            throw new IllegalArgumentException(asOptions(ex.getMessage()), ex);
        }
    }

    /**
     * @return {@code message} with a client's channel property named as this command's option where the channel came
     * from the option: one that came from the property (the options' default) keeps the property's name.
     */
    String asOptions(final String message)
    {
        String named = message;
        if (null != named && !ingress.equals(System.getProperty(CmtClient.Context.INGRESS_CHANNEL_PROP)))
        {
            named = named.replace(CmtClient.Context.INGRESS_CHANNEL_PROP + " " + ingress, "--ingress " + ingress);
        }
        if (null != named && !response.equals(System.getProperty(CmtClient.Context.RESPONSE_CHANNEL_PROP)))
        {
            named = named.replace(CmtClient.Context.RESPONSE_CHANNEL_PROP + " " + response, "--response " + response);
        }
        return named;
    }

    /**
     * Poll the client until the answer comes, for at most the timeout.
     *
     * @param command name, for messages.
     * @param client  connected.
     * @param answer  the future of what was sent.
     * @param err     where a failure is told.
     * @param <T>     the answer's type.
     * @return the answer, or null when there is none (told on {@code err}).
     */
    <T> T await(final String command, final CmtClient client, final CompletableFuture<T> answer, final PrintWriter err)
        throws InterruptedException
    {
        if (!client.await(answer, TimeUnit.SECONDS.toNanos(timeoutSeconds)))
        {
            err.println("cmt " + command + ": the node on " + ingress + " did not answer within " + timeoutSeconds +
                " s");
            return null;
        }
        try
        {
            return answer.get();
        }
        catch (final ExecutionException ex)
        {
            err.println("cmt " + command + ": " + ex.getCause().getMessage());
            return null;
        }
    }
}
