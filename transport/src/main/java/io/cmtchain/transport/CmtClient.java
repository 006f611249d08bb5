package io.cmtchain.transport;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.ErrorCode;
import io.aeron.CncFileDescriptor;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.media.UdpChannel;
import io.aeron.exceptions.DriverTimeoutException;
import io.aeron.exceptions.RegistrationException;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.aeron.protocol.DataHeaderFlyweight;
import io.cmtchain.engine.block.TxHash;
import io.cmtchain.engine.codec.AccountQueryEncoder;
import io.cmtchain.engine.codec.AccountStateDecoder;
import io.cmtchain.engine.codec.TransactionQueryEncoder;
import io.cmtchain.engine.codec.TransactionStateDecoder;
import io.cmtchain.engine.codec.ConnectEncoder;
import io.cmtchain.engine.codec.ConnectedDecoder;
import io.cmtchain.engine.codec.DisconnectDecoder;
import io.cmtchain.engine.codec.DisconnectEncoder;
import io.cmtchain.engine.codec.MessageHeaderDecoder;
import io.cmtchain.engine.codec.MessageHeaderEncoder;
import io.cmtchain.engine.codec.ReceiptDecoder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.engine.util.ShutdownHooks;
import io.cmtchain.engine.util.SystemProperties;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.LangUtil;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayQueue;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Client of a cmtchain node: submits signed transaction frames over Aeron and matches the receipts that come back
 * by transaction hash.
 * <p>
 * Protocol: the client adds a subscription on its response channel and an exclusive publication to the node's ingress,
 * sends Connect (response channel, stream, correlation id) and waits for Connected (its clientId, the chain id).
 * Transactions then go out as raw frames; Receipt messages come back on the response channel.
 * <p>
 * Not thread safe: one thread submits and calls {@link #poll()}, which delivers receipts to the
 * {@link ReceiptListener}s. Submitting allocates nothing ({@link #submitAsync} does, for convenience).
 * <p>
 * Back-pressure: {@link #submit} retries with the context's idle strategy, polling receipts meanwhile, until
 * {@link Context#submitTimeoutNs()}; then it returns {@link #BACK_PRESSURED} and the transaction was not sent.
 * <p>
 * Queries ({@link #queryAccount}, {@link #queryTransaction}) wait for their answer at most
 * {@link Context#queryTimeoutNs()} from when they were sent, checked by {@link #poll()}; then the future fails with
 * {@link #LOST_TIMED_OUT} and an answer that comes later is ignored. A transaction has no such deadline: its receipt
 * comes, or the session ends and it is told lost.
 * <p>
 * Node restarts: when the node's response image goes away, it says Disconnect, or its ingress stops acknowledging and
 * no response has come for a second (a node shutting down stops reading before it hands out its last receipts), every
 * pending transaction is reported to its listener's {@code onLost} and, with {@link Context#autoReconnect()},
 * the client sends Connect again until a node answers. Reconnecting needs the client's own media driver to survive
 * (it does when the client uses UDP and its own driver, as the load generator does); a client on the node's
 * embedded driver over IPC must build a new {@code CmtClient} after a node restart.
 */
public final class CmtClient implements AutoCloseable
{
    /** Submit result: no session to a node (connecting, reconnecting after a restart), or the node stopped reading. */
    public static final long NOT_CONNECTED = -1;
    /** Submit result: the node kept back-pressuring past the submit deadline; not sent. */
    public static final long BACK_PRESSURED = -2;
    /** Submit result: not a transaction frame (shorter than its header or its length disagrees); not sent. */
    public static final long INVALID_FRAME = -3;
    /** Submit result: {@link Context#maxPending()} transactions already wait for receipts; not sent. */
    public static final long PENDING_FULL = -4;
    /** Submit result: a transaction with the same hash is already waiting for its receipt; not sent. */
    public static final long DUPLICATE_PENDING = -5;
    /** Submit result: the client is closed. */
    public static final long CLOSED = -6;
    /** Submit result: the ingress publication reached its maximum position; the client must be recreated. */
    public static final long MAX_POSITION_EXCEEDED = -7;

    /** Lost reason: the node went away (restart, crash, network). */
    public static final int LOST_NODE_GONE = 1;
    /** Lost reason: the node evicted this client for reading receipts too slowly. */
    public static final int LOST_EVICTED = 2;
    /** Lost reason: this client was closed. */
    public static final int LOST_CLOSED = 3;
    /**
     * Lost reason, of a query only: no answer came within {@link Context#queryTimeoutNs()} (the session goes on; an
     * answer that comes later is ignored). A transaction's receipt has no deadline of its own.
     */
    public static final int LOST_TIMED_OUT = 4;

    private static final int STATE_CONNECTING = 1;
    private static final int STATE_CONNECTED = 2;
    private static final int STATE_DISCONNECTED = 3;
    private static final int STATE_CLOSED = 4;
    private static final int FRAGMENT_LIMIT = 256;
    /**
     * How long the response image must stay quiet, once the node has stopped reading this client's ingress, before
     * the session is taken to have ended: a node shutting down stops reading first and then hands out the receipts
     * of what it had taken, which must not arrive to a client that has already reported those transactions lost.
     */
    private static final long INGRESS_LOST_QUIET_NS = TimeUnit.SECONDS.toNanos(1);
    /**
     * A client's Connects are numbered from a base of its own: the media driver's next correlation id (unique among
     * all the clients of that driver) shifted by this, so that two clients whose response streams are one (IPC, say)
     * cannot take each other's Connected.
     */
    private static final int CONNECT_ID_SHIFT = 20;
    /**
     * Why a node that runs may still not answer: it refuses a Connect whose response channel does not lead back to the
     * client's host, and has nowhere it may send the refusal (it counts it in {@code connectsRefused}); and it refuses
     * any Connect while it holds as many client sessions as it allows, where an answer would need the publication the
     * limit withholds (it counts it in {@code connectsRefusedTooManyClients}).
     */
    private static final String REFUSED_CONNECT_HINT = " does not lead back to this client: from another host it " +
        "must be a UDP endpoint on this client's IP address as the node sees it, from the node's host aeron:ipc, " +
        "localhost or a loopback address; and any Connect while it already serves as many clients as its " +
        TransportContext.MAX_CLIENTS_PROP + " allows)";
    private static final int ACCOUNT_QUERY_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + AccountQueryEncoder.BLOCK_LENGTH;
    private static final int TRANSACTION_QUERY_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + TransactionQueryEncoder.BLOCK_LENGTH;

    private final Context ctx;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final boolean ownsAeron;
    private final Subscription responseSubscription;
    private final ExclusivePublication ingressPublication;
    private final String resolvedResponseChannel;
    private final NanoClock clock;
    private final IdleStrategy idleStrategy;
    private final PendingTable pending;
    private final Sha256 sha = new Sha256();
    /**
     * The hash of each {@link #submit} under way, by depth: a listener called while a submit waits for the window may
     * submit again, and must not overwrite the hash the waiting one files its transaction under once sent.
     */
    private UnsafeBuffer[] submitHashes = {new UnsafeBuffer(new byte[Sha256.DIGEST_LENGTH])};
    private int submitDepth;
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ConnectEncoder connectEncoder = new ConnectEncoder();
    private final DisconnectEncoder disconnectEncoder = new DisconnectEncoder();
    private final ConnectedDecoder connectedDecoder = new ConnectedDecoder();
    private final DisconnectDecoder disconnectDecoder = new DisconnectDecoder();
    private final ReceiptDecoder receiptDecoder = new ReceiptDecoder();
    private final AccountQueryEncoder accountQueryEncoder = new AccountQueryEncoder();
    private final AccountStateDecoder accountStateDecoder = new AccountStateDecoder();
    private final TransactionQueryEncoder transactionQueryEncoder = new TransactionQueryEncoder();
    private final TransactionStateDecoder transactionStateDecoder = new TransactionStateDecoder();
    /** Futures of queries sent, by correlation id (one sequence for both kinds). */
    private final Long2ObjectHashMap<CompletableFuture<AccountState>> pendingAccountQueries =
        new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<CompletableFuture<TransactionState>> pendingTransactionQueries =
        new Long2ObjectHashMap<>();
    /**
     * The ids of the queries sent, and beside them their deadlines, in the order sent: one timeout and a monotonic
     * clock put the deadlines in that order too, so only the oldest is looked at. An answered query's id stays until
     * it comes to the front, where it is found in neither map and dropped.
     */
    private final LongArrayQueue queryIds = new LongArrayQueue(Aeron.NULL_VALUE);
    private final LongArrayQueue queryDeadlinesNs = new LongArrayQueue(Aeron.NULL_VALUE);
    private final FragmentHandler responseHandler = this::onResponse;
    /** True while the response stream is being read: a listener called from that read must not read it again. */
    private boolean pollingResponses;
    /** True while pending transactions and queries are being told lost. */
    private boolean failingPending;
    private long nextQueryId = 1;
    private int state = STATE_CONNECTING;
    private long correlationId;
    private long connectDeadlineNs;
    private long clientId = Aeron.NULL_VALUE;
    private int chainId;
    /** Least fee by transaction type code, from the fees group of Connected; -1 where none was told. */
    private final long[] minimumFees = new long[256];
    private int nodeSessionId;
    private long connects;
    private long backPressureEvents;
    private long unmatchedReceipts;
    private long lostCount;
    /** When the response image last delivered after the ingress stopped being read; 0 while the ingress is read. */
    private long ingressLostQuietSinceNs;

    /**
     * Deletes the embedded driver's directory if the JVM exits with this client open (Ctrl-C while a command waits):
     * closing deletes it, a JVM that never closes would leave its mapped files in /dev/shm until the machine restarts.
     */
    private Thread driverDirectoryHook;

    private CmtClient(final Context ctx)
    {
        this.ctx = ctx;
        this.clock = ctx.nanoClock();
        this.idleStrategy = ctx.idleStrategy();
        this.pending = new PendingTable(ctx.maxPending());
        MediaDriver driver = null;
        Aeron aeron = ctx.aeron();
        try
        {
            if (null == aeron)
            {
                if (ctx.embeddedDriver())
                {
                    // A directory of its own, always: the driver deletes its directory at start and at shutdown,
                    // and Aeron's own -Daeron.dir would otherwise name it (another driver's, or any directory).
                    driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                        .aeronDirectoryName(CommonContext.generateRandomDirName())
                        .threadingMode(ThreadingMode.SHARED)
                        .dirDeleteOnStart(true)
                        .dirDeleteOnShutdown(true));
                    final File driverDirectory = new File(driver.aeronDirectoryName());
                    driverDirectoryHook = ShutdownHooks.add("cmt-client-driver-dir",
                        () -> IoUtil.delete(driverDirectory, true));
                    ctx.aeronDirectoryName(driver.aeronDirectoryName());
                }
                final Aeron.Context aeronCtx = new Aeron.Context();
                if (null != ctx.aeronDirectoryName())
                {
                    aeronCtx.aeronDirectoryName(ctx.aeronDirectoryName());
                }
                if (null == driver)
                {
                    awaitDriverFile(new File(aeronCtx.aeronDirectoryName(), CncFileDescriptor.CNC_FILE));
                }
                try
                {
                    aeron = Aeron.connect(aeronCtx);
                }
                catch (final DriverTimeoutException ex)
                {
                    throw new CmtClientException(NOT_CONNECTED, "no media driver running in " +
                        aeronCtx.aeronDirectoryName() + " (" + ex.getMessage() + ")");
                }
                ownsAeron = true;
            }
            else
            {
                ownsAeron = false;
            }
            this.driver = driver;
            this.aeron = aeron;
            try
            {
                responseSubscription = aeron.addSubscription(ctx.responseChannel(), ctx.responseStreamId());
            }
            catch (final RegistrationException ex)
            {
                throw refusedChannel("response", ctx.responseChannel(), ex);
            }
            try
            {
                ingressPublication = aeron.addExclusivePublication(ctx.ingressChannel(), ctx.ingressStreamId());
            }
            catch (final RegistrationException ex)
            {
                throw refusedChannel("ingress", ctx.ingressChannel(), ex);
            }
            resolvedResponseChannel = awaitResolvedChannel();
            correlationId = aeron.nextCorrelationId() << CONNECT_ID_SHIFT;
        }
        catch (final RuntimeException ex)
        {
            if (null == ctx.aeron())
            {
                CloseHelper.quietCloseAll(aeron, driver);
                ShutdownHooks.remove(driverDirectoryHook);
            }
            throw ex;
        }
    }

    /**
     * @param which   the channel's role, for the message: ingress or response.
     * @param channel the channel.
     * @param ex      what the media driver said when it was added.
     * @return for a channel the driver refuses (a port out of range, no endpoint, a host it cannot resolve): an
     *         {@link IllegalArgumentException} naming it, with the driver's reason without Aeron's decoration
     *         ({@code "ERROR - java.lang.IllegalArgumentException: port out of range:99999, errorCodeValue=1"}); any
     *         other registration failure as it is.
     */
    static RuntimeException refusedChannel(final String which, final String channel, final RegistrationException ex)
    {
        if (ErrorCode.INVALID_CHANNEL != ex.errorCode())
        {
            return ex;
        }
        final String reason = String.valueOf(ex.getMessage())
            .replaceFirst("^" + ex.category() + " - ", "")
            .replaceFirst(", errorCodeValue=-?\\d+$", "")
            .replaceFirst("^(?:[a-z][a-z0-9_]*\\.)+(?=[A-Z]\\w*: )", "");
        return new IllegalArgumentException(which + " channel " + channel + " is refused by the media driver: " +
            reason, ex);
    }

    /**
     * Connect to a node, waiting up to {@link Context#connectTimeoutNs()} for its Connected.
     *
     * @param ctx configuration; concluded here.
     * @return a connected client.
     * @throws CmtClientException if no node answered in time.
     * @throws IllegalArgumentException for a bad setting, or a channel the media driver refuses.
     */
    public static CmtClient connect(final Context ctx)
    {
        ctx.conclude();
        if (null == ctx.aeron() && ctx.embeddedDriver() && ctx.ingressChannel().startsWith("aeron:ipc"))
        {
            // IPC stays within one media driver: a new one of the client's own holds no node, ever.
            throw new IllegalArgumentException("ingress channel " + ctx.ingressChannel() + " reaches a node only " +
                "through the node's media driver, and this client would launch one of its own: give the " +
                "directory of the node's (--aeron-dir: the node's ready line names it)");
        }
        final CmtClient client = new CmtClient(ctx);
        try
        {
            if (!client.awaitConnected(ctx.connectTimeoutNs()))
            {
                throw new CmtClientException(NOT_CONNECTED, "no node answered on " + ctx.ingressChannel() +
                    " stream " + ctx.ingressStreamId() + " within " +
                    TimeUnit.NANOSECONDS.toMillis(ctx.connectTimeoutNs()) + " ms (a node ignores a Connect whose " +
                    "response channel, here " + client.responseChannel() + "," + REFUSED_CONNECT_HINT);
            }
            return client;
        }
        catch (final RuntimeException ex)
        {
            client.close();
            throw ex;
        }
    }

    private String awaitResolvedChannel()
    {
        return awaitWithinConnectTimeout(responseSubscription::tryResolveChannelEndpointPort,
            "response channel " + ctx.responseChannel() + " did not bind");
    }

    /**
     * Wait, up to the connect timeout, for the media driver's CnC file to appear, so that a client given the directory
     * of no driver says so within its own timeout rather than Aeron's driver timeout (10 s by default).
     */
    private void awaitDriverFile(final File cncFile)
    {
        awaitWithinConnectTimeout(() -> cncFile.exists() ? cncFile : null, "no media driver in " +
            cncFile.getParent() + " (no " + cncFile.getName() + " within " +
            TimeUnit.NANOSECONDS.toMillis(ctx.connectTimeoutNs()) + " ms): start the node, or give the directory " +
            "of its media driver");
    }

    /**
     * @param attempt gives the result, or null while there is none yet.
     * @param failure the message when the connect timeout passes first.
     * @param <T>     the result's type.
     * @return the first result {@code attempt} gave.
     * @throws CmtClientException NOT_CONNECTED with {@code failure} when the connect timeout passed.
     */
    private <T> T awaitWithinConnectTimeout(final Supplier<T> attempt, final String failure)
    {
        final long deadlineNs = clock.nanoTime() + ctx.connectTimeoutNs();
        T result;
        while (null == (result = attempt.get()))
        {
            if (clock.nanoTime() - deadlineNs > 0)
            {
                throw new CmtClientException(NOT_CONNECTED, failure);
            }
            idleStrategy.idle();
        }
        idleStrategy.reset();
        return result;
    }

    /**
     * Poll until connected or the timeout passes.
     *
     * @param timeoutNs how long to wait.
     * @return true if connected.
     */
    public boolean awaitConnected(final long timeoutNs)
    {
        final long deadlineNs = clock.nanoTime() + timeoutNs;
        while (STATE_CONNECTED != state)
        {
            if (STATE_CLOSED == state || clock.nanoTime() - deadlineNs > 0)
            {
                return false;
            }
            idleStrategy.idle(poll());
        }
        return true;
    }

    /**
     * Poll until a future this client completes ({@link #submitAsync}, {@link #queryAccount},
     * {@link #queryTransaction}) is done or the timeout passes: those futures complete only on the thread that polls.
     *
     * @param future    from this client.
     * @param timeoutNs how long to wait; 0 or less looks once.
     * @return true if the future is done (normally or exceptionally).
     */
    public boolean await(final CompletableFuture<?> future, final long timeoutNs)
    {
        final long deadlineNs = clock.nanoTime() + timeoutNs;
        while (!future.isDone())
        {
            if (clock.nanoTime() - deadlineNs > 0)
            {
                return false;
            }
            idleStrategy.idle(poll());
        }
        idleStrategy.reset();
        return true;
    }

    /**
     * Send one transaction. Its receipt (or its loss) goes to {@code listener} from a later {@link #poll()}.
     *
     * @param frame    holding the signed transaction frame.
     * @param offset   of the frame.
     * @param length   of the frame.
     * @param listener told the outcome.
     * @param tag      any value; given back to the listener (e.g. an index or a send time).
     * @return a positive publication position if sent, else one of the negative codes of this class.
     * @throws NullPointerException     if the listener is null (nothing is sent).
     * @throws IllegalArgumentException if the frame is signed for another chain than the node's {@link #chainId()},
     *                                  when it announces one (nothing is sent).
     */
    public long submit(
        final DirectBuffer frame, final int offset, final int length, final ReceiptListener listener, final long tag)
    {
        final long refused = refuse(frame, offset, length, listener);
        if (0 != refused)
        {
            return refused;
        }
        if (submitDepth == submitHashes.length)
        {
            // Only a listener submitting from inside a waiting submit gets here, once per new depth.
            submitHashes = Arrays.copyOf(submitHashes, submitDepth + 1);
            submitHashes[submitDepth] = new UnsafeBuffer(new byte[Sha256.DIGEST_LENGTH]);
        }
        final UnsafeBuffer hash = submitHashes[submitDepth];
        TxHash.compute(sha, frame, offset, length, hash.byteArray(), 0);
        submitDepth++;
        try
        {
            return send(frame, offset, length, hash, 0, listener, tag);
        }
        finally
        {
            submitDepth--;
        }
    }

    /**
     * Send one transaction whose hash the caller already knows (e.g. computed when it was signed), so the client does
     * not hash it again. The hash must be the frame's {@link TxHash}: a wrong one leaves the receipt unmatched, and the
     * transaction is reported lost.
     *
     * @param frame      holding the signed transaction frame.
     * @param offset     of the frame.
     * @param length     of the frame.
     * @param txHash     holding the frame's transaction hash.
     * @param hashOffset of the hash.
     * @param listener   told the outcome.
     * @param tag        any value; given back to the listener.
     * @return a positive publication position if sent, else one of the negative codes of this class.
     * @throws NullPointerException     if the listener is null (nothing is sent).
     * @throws IllegalArgumentException if the frame is signed for another chain than the node's {@link #chainId()},
     *                                  when it announces one (nothing is sent).
     */
    public long submit(
        final DirectBuffer frame, final int offset, final int length, final DirectBuffer txHash, final int hashOffset,
        final ReceiptListener listener, final long tag)
    {
        final long refused = refuse(frame, offset, length, listener);
        return 0 != refused ? refused : send(frame, offset, length, txHash, hashOffset, listener, tag);
    }

    /**
     * 0, or why {@code submit} cannot send now; checked before hashing, so a full window costs no hash. A null
     * listener throws here, before the frame is sent: found only when the sent frame is recorded, it left a
     * transaction on its way to a block that the caller was told had failed. So does a frame for another chain.
     */
    private long refuse(final DirectBuffer frame, final int offset, final int length, final ReceiptListener listener)
    {
        if (null == listener)
        {
            throw new NullPointerException("listener");
        }
        if (STATE_CONNECTED != state)
        {
            return STATE_CLOSED == state ? CLOSED : NOT_CONNECTED;
        }
        if (!TransactionFraming.isFramed(frame, offset, length))
        {
            return INVALID_FRAME;
        }
        checkChain(frame, offset);
        if (pending.size() >= ctx.maxPending())
        {
            return PENDING_FULL;
        }
        if (0 == ctx.submitTimeoutNs() &&
            ingressPublication.availableWindow() < length + DataHeaderFlyweight.HEADER_LENGTH)
        {
            backPressureEvents++;
            return BACK_PRESSURED;
        }
        return 0;
    }

    /**
     * A frame signed for another chain than the node's is certain to be rejected ({@code WRONG_CHAIN}), and no
     * retry changes that: it is the caller's mistake (a builder for another chain, the wrong node), refused before
     * anything is sent or filed, so it gets no receipt and is not pending. A node that announces no chain (0) is not
     * second-guessed.
     *
     * @throws IllegalArgumentException naming both chains.
     */
    private void checkChain(final DirectBuffer frame, final int offset)
    {
        final int frameChainId = frame.getInt(offset + TransactionDescriptor.CHAIN_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (0 != chainId && frameChainId != chainId)
        {
            throw new IllegalArgumentException("the frame is signed for chain " +
                Integer.toUnsignedString(frameChainId) + " but the node runs chain " +
                Integer.toUnsignedString(chainId) + " (chainId()): not sent");
        }
    }

    private long send(
        final DirectBuffer frame, final int offset, final int length, final DirectBuffer txHash, final int hashOffset,
        final ReceiptListener listener, final long tag)
    {
        if (pending.find(txHash, hashOffset) >= 0)
        {
            return DUPLICATE_PENDING;
        }

        long deadlineNs = 0;
        boolean retrying = false;
        while (true)
        {
            final long result = ingressPublication.offer(frame, offset, length);
            if (result > 0)
            {
                // Inserted only once sent, so a session loss seen while retrying cannot report it twice.
                pending.insert(txHash, hashOffset, listener, tag, clock.nanoTime());
                if (retrying)
                {
                    idleStrategy.reset();
                }
                return result;
            }
            if (Publication.ADMIN_ACTION == result)
            {
                // The term ended (Aeron has padded it and moved on): offer again at once; it is not back pressure.
                continue;
            }
            if (Publication.BACK_PRESSURED == result)
            {
                final long nowNs = clock.nanoTime();
                if (!retrying)
                {
                    retrying = true;
                    deadlineNs = nowNs + ctx.submitTimeoutNs();
                    backPressureEvents++;
                }
                if (nowNs - deadlineNs >= 0)
                {
                    idleStrategy.reset();
                    return BACK_PRESSURED;
                }
                // Keep reading receipts so that the node is never held up on this client's response channel.
                final int work = pollResponses();
                if (STATE_CONNECTED != state)
                {
                    return NOT_CONNECTED;
                }
                // A listener called from that read may have submitted: the same frame (it would be sent twice and
                // filed once), or enough to fill the table (it would be sent and filed nowhere).
                if (pending.find(txHash, hashOffset) >= 0)
                {
                    idleStrategy.reset();
                    return DUPLICATE_PENDING;
                }
                if (pending.size() >= ctx.maxPending())
                {
                    idleStrategy.reset();
                    return PENDING_FULL;
                }
                idleStrategy.idle(work);
                continue;
            }
            if (Publication.MAX_POSITION_EXCEEDED == result)
            {
                return MAX_POSITION_EXCEEDED;
            }
            if (Publication.NOT_CONNECTED != result)
            {
                onSessionEnded(LOST_NODE_GONE);
            }
            // Not read any more: poll() ends the session once the receipts of what the node took stop coming.
            return NOT_CONNECTED;
        }
    }

    /**
     * Send one transaction and get its receipt as a future; allocates, for convenience (tests, tools). The future
     * completes on the thread calling {@link #poll()}, exceptionally with {@link CmtClientException} if the frame was
     * not sent (the code says why) or the receipt was lost.
     *
     * @param frame  holding the signed transaction frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @return the receipt's future.
     * @throws IllegalArgumentException if the frame is signed for another chain than the node's {@link #chainId()},
     *                                  when it announces one (nothing is sent).
     */
    public CompletableFuture<Receipt> submitAsync(final DirectBuffer frame, final int offset, final int length)
    {
        final CompletableFuture<Receipt> future = new CompletableFuture<>();
        final long result = submit(frame, offset, length, new FutureListener(future), 0);
        if (result < 0)
        {
            future.completeExceptionally(new CmtClientException(result, "not submitted: " + describe(result)));
        }
        return future;
    }

    /**
     * Ask the node for an account's balance and next nonce. The future completes on the thread calling
     * {@link #poll()}, with the state as of the last block the node has executed; exceptionally with
     * {@link CmtClientException} if the query could not be sent (the code says why), the session ended first, or no
     * answer came within {@link Context#queryTimeoutNs()} ({@link #LOST_TIMED_OUT}). Allocates (queries are not on the
     * per-transaction path).
     *
     * @param address 20-byte account address ({@code Ed25519Key.address()}).
     * @return the answer's future.
     * @throws IllegalArgumentException if the address is not 20 bytes.
     */
    public CompletableFuture<AccountState> queryAccount(final byte[] address)
    {
        if (address.length != AccountQueryEncoder.addressLength())
        {
            throw new IllegalArgumentException("an address is " + AccountQueryEncoder.addressLength() +
                " bytes, was " + address.length);
        }
        final CompletableFuture<AccountState> future = new CompletableFuture<>();
        if (checkConnected(future))
        {
            final long queryId = nextQueryId++;
            // Its own buffer: a listener called while this waits may send too.
            final UnsafeBuffer query = new UnsafeBuffer(new byte[ACCOUNT_QUERY_LENGTH]);
            accountQueryEncoder.wrapAndApplyHeader(query, 0, headerEncoder)
                .correlationId(queryId)
                .putAddress(address, 0, address.length);
            sendQuery(query, queryId, future, pendingAccountQueries);
        }
        return future;
    }

    /**
     * Ask the node for a transaction's receipt, by its hash (as receipts and {@code onLost} give it, or
     * {@code TxHash.compute} of the signed frame): which journaled block holds the transaction, and the status and fee
     * journaled for it. A transaction that is found is final; one that is not is in no block the node has journaled
     * yet ({@link TransactionState}); one that is {@link TransactionState#unreadable() unreadable} is placed by the
     * node's index in a block it cannot read from its journal (damaged on disk). The future completes on the thread
     * calling {@link #poll()}; exceptionally with {@link CmtClientException} if the query could not be sent (the code
     * says why), the session ended first, or no answer came within {@link Context#queryTimeoutNs()}
     * ({@link #LOST_TIMED_OUT}). Allocates (queries are not on the per-transaction path).
     *
     * @param txHash 32-byte transaction hash.
     * @return the answer's future.
     * @throws IllegalArgumentException if the hash is not 32 bytes.
     */
    public CompletableFuture<TransactionState> queryTransaction(final byte[] txHash)
    {
        if (txHash.length != TransactionQueryEncoder.txHashLength())
        {
            throw new IllegalArgumentException("a transaction hash is " + TransactionQueryEncoder.txHashLength() +
                " bytes, was " + txHash.length);
        }
        final CompletableFuture<TransactionState> future = new CompletableFuture<>();
        if (checkConnected(future))
        {
            final long queryId = nextQueryId++;
            final UnsafeBuffer query = new UnsafeBuffer(new byte[TRANSACTION_QUERY_LENGTH]);
            transactionQueryEncoder.wrapAndApplyHeader(query, 0, headerEncoder)
                .correlationId(queryId)
                .putTxHash(txHash, 0, txHash.length);
            sendQuery(query, queryId, future, pendingTransactionQueries);
        }
        return future;
    }

    /** @return true when connected; otherwise fails the future with why. */
    private boolean checkConnected(final CompletableFuture<?> future)
    {
        if (STATE_CONNECTED != state)
        {
            final long code = STATE_CLOSED == state ? CLOSED : NOT_CONNECTED;
            future.completeExceptionally(new CmtClientException(code, "query not sent: " + describe(code)));
            return false;
        }
        return true;
    }

    /** Offer an encoded query until sent or the submit timeout; then await its answer, or fail the future. */
    private <T> void sendQuery(
        final UnsafeBuffer query,
        final long queryId,
        final CompletableFuture<T> future,
        final Long2ObjectHashMap<CompletableFuture<T>> pending)
    {
        final int length = query.capacity();
        final long deadlineNs = clock.nanoTime() + ctx.submitTimeoutNs();
        long result;
        while (Publication.BACK_PRESSURED == (result = offerQuery(query, length)) && clock.nanoTime() - deadlineNs < 0)
        {
            // Keep reading receipts meanwhile, as submit does; stop if the session ends.
            idleStrategy.idle(pollResponses());
            if (STATE_CONNECTED != state)
            {
                break;
            }
        }
        idleStrategy.reset();
        if (result < 0)
        {
            final long code = STATE_CONNECTED != state ? NOT_CONNECTED :
                Publication.BACK_PRESSURED == result ? BACK_PRESSURED :
                Publication.MAX_POSITION_EXCEEDED == result ? MAX_POSITION_EXCEEDED : NOT_CONNECTED;
            future.completeExceptionally(new CmtClientException(code, "query not sent: " + describe(code)));
            return;
        }
        pending.put(queryId, future);
        queryIds.addLong(queryId);
        queryDeadlinesNs.addLong(clock.nanoTime() + ctx.queryTimeoutNs());
    }

    /** Offer a query, again at once if the term ended under it (ADMIN_ACTION). */
    private long offerQuery(final UnsafeBuffer query, final int length)
    {
        long result;
        do
        {
            result = ingressPublication.offer(query, 0, length);
        }
        while (Publication.ADMIN_ACTION == result);
        return result;
    }

    /**
     * Read receipts and answers, keep the session alive (reconnecting when needed), and fail the queries whose answer
     * is overdue ({@link Context#queryTimeoutNs()}). Call it in the duty cycle.
     *
     * @return work done.
     */
    public int poll()
    {
        if (STATE_CLOSED == state)
        {
            return 0;
        }
        int work = pollResponses();
        final long nowNs = clock.nanoTime();
        if (STATE_CONNECTED == state)
        {
            final Image image = responseSubscription.imageBySessionId(nodeSessionId);
            if (null == image || image.isClosed() || image.isEndOfStream() || ingressLost(work, nowNs))
            {
                onSessionEnded(LOST_NODE_GONE);
                work++;
            }
        }
        else if (STATE_CONNECTING == state)
        {
            if (0 == connectDeadlineNs || nowNs - connectDeadlineNs > 0)
            {
                if (ingressPublication.isConnected() && sendConnect())
                {
                    connectDeadlineNs = nowNs + ctx.connectTimeoutNs();
                    work++;
                }
            }
        }
        // After the read, so that an answer read in this poll is taken, and after the session's end, which fails the
        // queries as lost for that reason instead.
        if (STATE_CONNECTED == state && !queryIds.isEmpty())
        {
            work += expireQueries(nowNs);
        }
        return work;
    }

    /**
     * Fail each query past its deadline ({@link #LOST_TIMED_OUT}) and forget it, so that its answer, should it come,
     * is ignored as any answer to no query of this client's is. Each is taken off before its future is failed: a
     * callback of the future may query, poll or close, which changes what is pending.
     *
     * @return queries failed.
     */
    private int expireQueries(final long nowNs)
    {
        int expired = 0;
        while (!queryIds.isEmpty())
        {
            final long queryId = queryIds.peekLong();
            final boolean account = pendingAccountQueries.containsKey(queryId);
            if ((account || pendingTransactionQueries.containsKey(queryId)) &&
                nowNs - queryDeadlinesNs.peekLong() <= 0)
            {
                break;
            }
            queryIds.pollLong();
            queryDeadlinesNs.pollLong();
            final CompletableFuture<?> future = account ?
                pendingAccountQueries.remove(queryId) : pendingTransactionQueries.remove(queryId);
            if (null != future)
            {
                expired++;
                future.completeExceptionally(new CmtClientException(LOST_TIMED_OUT, (account ? "account" :
                    "transaction") + " query timed out after " + TimeUnit.NANOSECONDS.toMillis(ctx.queryTimeoutNs()) +
                    " ms: no answer from the node (" + Context.QUERY_TIMEOUT_MS_PROP + ")"));
            }
        }
        return expired;
    }

    /**
     * Read the response stream, unless this is a listener's call (a submit waiting for the window, a query, poll or
     * await) from inside a read of it: Aeron advances an image's position only when a poll returns, so a nested poll
     * would deliver again what the outer one is delivering, and the outer one then again what the nested one did (a
     * receipt matched twice when its transaction was sent again meanwhile). A nested wait just idles until its
     * deadline; the outer read goes on once the listener returns.
     */
    private int pollResponses()
    {
        if (pollingResponses)
        {
            return 0;
        }
        pollingResponses = true;
        try
        {
            return responseSubscription.poll(responseHandler, FRAGMENT_LIMIT);
        }
        finally
        {
            pollingResponses = false;
        }
    }

    /**
     * @return true once the node has stopped reading the ingress (it is shutting down, or gone) and its response image
     *         has delivered nothing for {@link #INGRESS_LOST_QUIET_NS}: until then its receipts are still coming.
     */
    private boolean ingressLost(final int work, final long nowNs)
    {
        if (ingressPublication.isConnected())
        {
            ingressLostQuietSinceNs = 0;
            return false;
        }
        if (0 == ingressLostQuietSinceNs || work > 0)
        {
            ingressLostQuietSinceNs = nowNs;
            return false;
        }
        return nowNs - ingressLostQuietSinceNs > INGRESS_LOST_QUIET_NS;
    }

    /**
     * Offer a Connect with the next correlation id, which is taken only when the Connect goes: one refused (the
     * publication back pressured, as a new IPC one is until the driver first sets its limit) goes again with the same
     * id, so the node sees the Connects of a client numbered base + 1, base + 2, base + 3 whatever its ingress did.
     * The base is the client's own ({@link #CONNECT_ID_SHIFT}): every client's Connected comes on its response
     * stream, where another client's may come too.
     */
    private boolean sendConnect()
    {
        final long nextCorrelationId = correlationId + 1;
        final byte[] channel = resolvedResponseChannel.getBytes(StandardCharsets.US_ASCII);
        connectEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .correlationId(nextCorrelationId)
            .responseStreamId(ctx.responseStreamId())
            .putResponseChannel(channel, 0, channel.length);
        if (ingressPublication.offer(
            sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + connectEncoder.encodedLength()) > 0)
        {
            correlationId = nextCorrelationId;
            return true;
        }
        return false;
    }

    private void onResponse(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return;
        }
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int templateId = headerDecoder.templateId();
        if (ConnectedDecoder.TEMPLATE_ID != templateId &&
            (STATE_CONNECTED != state || header.sessionId() != nodeSessionId))
        {
            // Another session's (another client's on a shared response stream, such as aeron:ipc, or a session this
            // client has ended): its receipts match hashes sent again here, its answers carry query ids numbered
            // from 1 as this client's are, its Disconnect may carry this client id. None of it is this session's.
            if (ReceiptDecoder.TEMPLATE_ID == templateId)
            {
                unmatchedReceipts++;
            }
            return;
        }
        switch (templateId)
        {
            case ReceiptDecoder.TEMPLATE_ID:
                if (length >= MessageHeaderDecoder.ENCODED_LENGTH + ReceiptDecoder.BLOCK_LENGTH)
                {
                    onReceipt(buffer, bodyOffset);
                }
                break;

            case ConnectedDecoder.TEMPLATE_ID:
                if (length >= MessageHeaderDecoder.ENCODED_LENGTH + ConnectedDecoder.BLOCK_LENGTH)
                {
                    onConnected(buffer, bodyOffset, length, header.sessionId());
                }
                break;

            case AccountStateDecoder.TEMPLATE_ID:
                if (length >= MessageHeaderDecoder.ENCODED_LENGTH + AccountStateDecoder.BLOCK_LENGTH)
                {
                    onAccountState(buffer, bodyOffset);
                }
                break;

            case TransactionStateDecoder.TEMPLATE_ID:
                if (length >= MessageHeaderDecoder.ENCODED_LENGTH + TransactionStateDecoder.BLOCK_LENGTH)
                {
                    onTransactionState(buffer, bodyOffset);
                }
                break;

            case DisconnectDecoder.TEMPLATE_ID:
                if (length >= MessageHeaderDecoder.ENCODED_LENGTH + DisconnectDecoder.BLOCK_LENGTH)
                {
                    onDisconnect(buffer, bodyOffset);
                }
                break;

            default:
                break;
        }
    }

    private void onConnected(final DirectBuffer buffer, final int bodyOffset, final int length, final int sessionId)
    {
        connectedDecoder.wrap(buffer, bodyOffset, headerDecoder.blockLength(), headerDecoder.version());
        if (STATE_CONNECTING == state && connectedDecoder.correlationId() == correlationId)
        {
            clientId = connectedDecoder.clientId();
            chainId = (int)connectedDecoder.chainId();
            readFees(length);
            nodeSessionId = sessionId;
            state = STATE_CONNECTED;
            connects++;
        }
    }

    private void onDisconnect(final DirectBuffer buffer, final int bodyOffset)
    {
        disconnectDecoder.wrap(buffer, bodyOffset, headerDecoder.blockLength(), headerDecoder.version());
        if (STATE_CONNECTED == state && disconnectDecoder.clientId() == clientId)
        {
            onSessionEnded(disconnectDecoder.reason() == EgressRingDescriptor.REASON_SLOW_CLIENT ?
                LOST_EVICTED : LOST_NODE_GONE);
        }
    }

    /** The Connected message's fees group, when the node sent one (older nodes end the message at its fixed block). */
    private void readFees(final int length)
    {
        Arrays.fill(minimumFees, -1);
        final int groupOffset = MessageHeaderDecoder.ENCODED_LENGTH + headerDecoder.blockLength();
        if (length >= groupOffset + ConnectedDecoder.FeesDecoder.sbeHeaderSize())
        {
            final ConnectedDecoder.FeesDecoder fees = connectedDecoder.fees();
            if (length < groupOffset + ConnectedDecoder.FeesDecoder.sbeHeaderSize() +
                (long)fees.count() * ConnectedDecoder.FeesDecoder.sbeBlockLength())
            {
                return;
            }
            for (final ConnectedDecoder.FeesDecoder fee : fees)
            {
                final int type = fee.txTypeRaw();
                final long minimum = fee.minimumFeeMicroCmt();
                if (minimum >= 0)
                {
                    minimumFees[type] = minimum;
                }
            }
        }
    }

    private void onReceipt(final DirectBuffer buffer, final int bodyOffset)
    {
        final int hashOffset = bodyOffset + ReceiptDecoder.txHashEncodingOffset();
        final int slot = pending.find(buffer, hashOffset);
        if (slot < 0)
        {
            unmatchedReceipts++;
            return;
        }
        final ReceiptListener listener = pending.listener(slot);
        final long tag = pending.tag(slot);
        pending.remove(slot);
        receiptDecoder.wrap(buffer, bodyOffset, ReceiptDecoder.BLOCK_LENGTH, ReceiptDecoder.SCHEMA_VERSION);
        listener.onReceipt(tag, buffer, hashOffset, receiptDecoder.statusRaw(), receiptDecoder.blockHeight(),
            receiptDecoder.feeChargedMicroCmt());
    }

    private void onAccountState(final DirectBuffer buffer, final int bodyOffset)
    {
        accountStateDecoder.wrap(buffer, bodyOffset, AccountStateDecoder.BLOCK_LENGTH,
            AccountStateDecoder.SCHEMA_VERSION);
        final CompletableFuture<AccountState> future =
            pendingAccountQueries.remove(accountStateDecoder.correlationId());
        if (null != future)
        {
            final byte[] address = new byte[AccountStateDecoder.addressLength()];
            accountStateDecoder.getAddress(address, 0, address.length);
            future.complete(new AccountState(address, accountStateDecoder.height(), accountStateDecoder.exists() == 1,
                accountStateDecoder.balanceMicroCmt(), accountStateDecoder.nonce()));
        }
    }

    private void onTransactionState(final DirectBuffer buffer, final int bodyOffset)
    {
        transactionStateDecoder.wrap(buffer, bodyOffset, TransactionStateDecoder.BLOCK_LENGTH,
            TransactionStateDecoder.SCHEMA_VERSION);
        final CompletableFuture<TransactionState> future =
            pendingTransactionQueries.remove(transactionStateDecoder.correlationId());
        if (null != future)
        {
            final byte[] txHash = new byte[TransactionStateDecoder.txHashLength()];
            transactionStateDecoder.getTxHash(txHash, 0, txHash.length);
            final short foundCode = transactionStateDecoder.found();
            if (TransactionState.WIRE_UNREADABLE == foundCode)
            {
                future.complete(TransactionState.unreadable(txHash, transactionStateDecoder.blockHeight(),
                    transactionStateDecoder.journaledHeight()));
                return;
            }
            // Any other value than found is not found, as the schema says: a later node's answer stays an answer.
            final boolean found = TransactionState.WIRE_FOUND == foundCode;
            future.complete(new TransactionState(txHash, found, transactionStateDecoder.blockHeight(),
                (int)transactionStateDecoder.index(), found ? transactionStateDecoder.statusRaw() :
                TransactionState.NO_STATUS, transactionStateDecoder.feeChargedMicroCmt(),
                transactionStateDecoder.journaledHeight()));
        }
    }

    private void onSessionEnded(final int reason)
    {
        state = STATE_CLOSED == state ? STATE_CLOSED :
            (ctx.autoReconnect() && LOST_CLOSED != reason ? STATE_CONNECTING : STATE_DISCONNECTED);
        connectDeadlineNs = 0;
        ingressLostQuietSinceNs = 0;
        clientId = Aeron.NULL_VALUE;
        failAllPending(reason);
    }

    private static <T> void failQueries(
        final Long2ObjectHashMap<CompletableFuture<T>> queries, final int reason, final String message)
    {
        if (!queries.isEmpty())
        {
            final CmtClientException lost = new CmtClientException(reason, message);
            queries.values().forEach(future -> future.completeExceptionally(lost));
            queries.clear();
        }
    }

    private void failAllPending(final int reason)
    {
        if (failingPending)
        {
            // A listener (or a query future's callback) closed the client while the loss is being told: the walk
            // under way tells the rest, once each; a second walk now would tell again those already told.
            return;
        }
        failingPending = true;
        try
        {
            failQueriesAndPending(reason);
        }
        finally
        {
            failingPending = false;
        }
    }

    private void failQueriesAndPending(final int reason)
    {
        queryIds.clear();
        queryDeadlinesNs.clear();
        failQueries(pendingAccountQueries, reason, "account query lost: the session ended");
        failQueries(pendingTransactionQueries, reason, "transaction query lost: the session ended");
        // The state is no longer CONNECTED, so a listener that submits from onLost gets NOT_CONNECTED and cannot
        // change the table while it is walked.
        // A listener that throws stops neither the walk nor the clearing: otherwise those after it were told nothing
        // now, and it and they were told again at the next loss (or close). The first failure is thrown once all
        // were told (from within a read of the response stream, Aeron hands it to its error handler).
        Throwable failure = null;
        final int capacity = pending.capacity();
        for (int slot = 0; slot < capacity; slot++)
        {
            if (pending.isUsed(slot))
            {
                lostCount++;
                try
                {
                    pending.listener(slot).onLost(
                        pending.tag(slot), pending.keys(), PendingTable.keyOffset(slot), reason);
                }
                catch (final Throwable ex)
                {
                    if (null == failure)
                    {
                        failure = ex;
                    }
                    else
                    {
                        failure.addSuppressed(ex);
                    }
                }
            }
        }
        pending.clear();
        if (null != failure)
        {
            LangUtil.rethrowUnchecked(failure);
        }
    }

    /** @return true while a session with a node is open. */
    public boolean isConnected()
    {
        return STATE_CONNECTED == state;
    }

    /** @return the node-assigned session id, or -1 when not connected. */
    public long clientId()
    {
        return clientId;
    }

    /**
     * The least fee the chain's fee schedule asks of a transaction type, as the node told it at connect: a transaction
     * offering less is rejected with {@code FEE_TOO_LOW} (not charged).
     *
     * @param txType a transaction type code ({@code TxTypes}, e.g. {@code TxTypes.TRANSFER}).
     * @return the fee in µCMT, or -1 when not connected or the node told no fee for the type.
     */
    public long minimumFee(final int txType)
    {
        return STATE_CONNECTED == state ? minimumFees[txType & 0xFF] : -1;
    }

    /**
     * @return the chain id the node announced (0 if it announces none): {@link #submit} refuses a frame signed for
     *         another.
     */
    public int chainId()
    {
        return chainId;
    }

    /** @return transactions sent and waiting for a receipt. */
    public int pendingCount()
    {
        return pending.size();
    }

    /** @return queries ({@link #queryAccount}, {@link #queryTransaction}) sent and waiting for their answer. */
    public int pendingQueryCount()
    {
        return pendingAccountQueries.size() + pendingTransactionQueries.size();
    }

    /** @return sessions opened so far (1 + reconnects). */
    public long connects()
    {
        return connects;
    }

    /** @return submissions that met back-pressure (whether or not they got through before the deadline). */
    public long backPressureEvents()
    {
        return backPressureEvents;
    }

    /** @return receipts that matched no pending transaction (e.g. from a previous session). */
    public long unmatchedReceipts()
    {
        return unmatchedReceipts;
    }

    /** @return pending transactions reported lost. */
    public long lostCount()
    {
        return lostCount;
    }

    /** @return the response channel the node was given (ephemeral port resolved). */
    public String responseChannel()
    {
        return resolvedResponseChannel;
    }

    /** For tests that need to write raw bytes on the session's publication. */
    ExclusivePublication ingressPublication()
    {
        return ingressPublication;
    }

    /**
     * @param code a negative submit result.
     * @return its name.
     */
    public static String describe(final long code)
    {
        if (NOT_CONNECTED == code)
        {
            return "NOT_CONNECTED";
        }
        if (BACK_PRESSURED == code)
        {
            return "BACK_PRESSURED";
        }
        if (INVALID_FRAME == code)
        {
            return "INVALID_FRAME";
        }
        if (PENDING_FULL == code)
        {
            return "PENDING_FULL";
        }
        if (DUPLICATE_PENDING == code)
        {
            return "DUPLICATE_PENDING";
        }
        if (CLOSED == code)
        {
            return "CLOSED";
        }
        if (MAX_POSITION_EXCEEDED == code)
        {
            return "MAX_POSITION_EXCEEDED";
        }
        return code >= 0 ? "OK" : "UNKNOWN(" + code + ")";
    }

    /** Tell the node goodbye (best effort), report pending transactions lost, and release Aeron resources. */
    @Override
    public void close()
    {
        if (STATE_CLOSED == state)
        {
            return;
        }
        if (STATE_CONNECTED == state)
        {
            disconnectEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                .clientId(clientId)
                .reason(EgressRingDescriptor.REASON_REQUESTED);
            ingressPublication.offer(
                sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + disconnectEncoder.encodedLength());
        }
        state = STATE_CLOSED;
        try
        {
            failAllPending(LOST_CLOSED);
        }
        finally
        {
            // Released even when a listener threw from onLost (thrown once every transaction was told).
            if (ownsAeron)
            {
                CloseHelper.quietCloseAll(aeron, driver);
                ShutdownHooks.remove(driverDirectoryHook);
            }
            else
            {
                CloseHelper.quietCloseAll(ingressPublication, responseSubscription);
            }
        }
    }

    private static final class FutureListener implements ReceiptListener
    {
        private final CompletableFuture<Receipt> future;

        FutureListener(final CompletableFuture<Receipt> future)
        {
            this.future = future;
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
            final byte[] hash = new byte[Sha256.DIGEST_LENGTH];
            txHash.getBytes(hashOffset, hash);
            future.complete(new Receipt(hash, status, blockHeight, feeChargedMicroCmt));
        }

        @Override
        public void onLost(final long tag, final DirectBuffer txHash, final int hashOffset, final int reason)
        {
            future.completeExceptionally(new CmtClientException(reason, "receipt lost: " +
                (LOST_EVICTED == reason ? "evicted by the node as a slow reader" :
                LOST_CLOSED == reason ? "client closed" : "node went away")));
        }
    }

    /**
     * Client configuration: system properties {@code cmt.client.*}, fluent setters, {@link #conclude()}.
     */
    public static final class Context
    {
        public static final String AERON_DIR_PROP = "cmt.client.aeron.dir";
        public static final String EMBEDDED_DRIVER_PROP = "cmt.client.embedded.driver";
        public static final String INGRESS_CHANNEL_PROP = "cmt.client.ingress.channel";
        public static final String INGRESS_STREAM_ID_PROP = "cmt.client.ingress.stream.id";
        public static final String RESPONSE_CHANNEL_PROP = "cmt.client.response.channel";
        public static final String RESPONSE_STREAM_ID_PROP = "cmt.client.response.stream.id";
        public static final String CONNECT_TIMEOUT_MS_PROP = "cmt.client.connect.timeout.ms";
        public static final String SUBMIT_TIMEOUT_MS_PROP = "cmt.client.submit.timeout.ms";
        public static final String QUERY_TIMEOUT_MS_PROP = "cmt.client.query.timeout.ms";
        /**
         * How long a query waits for its answer by default, from when it was sent: 10 s. A node answers between its
         * own work (account queries from the execution stage between blocks, cut every 20 ms by default; transaction
         * queries from the journal stage between appends, 16 at a time), so normally within milliseconds; a node too
         * busy to take a query pushes back on its send, which {@link #submitTimeoutNs()} bounds, not this. An answer
         * held up behind receipts this client does not read gets it evicted after the node's slow-client timeout (5 s
         * by default, {@link TransportContext#SLOW_CLIENT_TIMEOUT_MS_PROP}), which fails the query as lost with
         * {@link CmtClient#LOST_EVICTED}: twice that leaves the eviction to say so. It is also the connect timeout's
         * default and the {@code cmt} commands' wait. A query unanswered by then was lost, or went to a node that does
         * not answer that kind (it counts it refused and says nothing).
         */
        public static final long DEFAULT_QUERY_TIMEOUT_MS = 10_000;
        public static final String MAX_PENDING_PROP = "cmt.client.max.pending";
        /**
         * Transactions awaiting receipts, at most, by default: the pending table takes 128 bytes of direct memory per
         * transaction it may hold, all of it when the client is made (8 MiB here; 1 << 20, the default before, made
         * even a one-shot {@code cmt account} take 128 MiB).
         */
        public static final int DEFAULT_MAX_PENDING = 1 << 16;
        public static final String AUTO_RECONNECT_PROP = "cmt.client.auto.reconnect";

        /**
         * A UDP port from the ephemeral range, resolved after binding and sent to the node in Connect, on loopback:
         * {@link #conclude()} puts in its place one on this machine's address towards the node when the node's
         * ingress is a UDP endpoint elsewhere ({@link #responseChannelTowards(String)}). Naming this very channel is
         * naming none (conclude() cannot tell them apart): {@code aeron:udp?endpoint=127.0.0.1:0} stays on loopback.
         */
        public static final String DEFAULT_RESPONSE_CHANNEL = "aeron:udp?endpoint=localhost:0";
        public static final int DEFAULT_RESPONSE_STREAM_ID = 1002;

        private Aeron aeron;
        private String aeronDirectoryName = System.getProperty(AERON_DIR_PROP);
        private boolean embeddedDriver = SystemProperties.booleanValue(EMBEDDED_DRIVER_PROP, false);
        private String ingressChannel =
            System.getProperty(INGRESS_CHANNEL_PROP, TransportContext.DEFAULT_INGRESS_CHANNEL);
        private int ingressStreamId =
            SystemProperties.intValue(INGRESS_STREAM_ID_PROP, TransportContext.DEFAULT_INGRESS_STREAM_ID);
        private String responseChannel = System.getProperty(RESPONSE_CHANNEL_PROP, DEFAULT_RESPONSE_CHANNEL);
        private int responseStreamId = SystemProperties.intValue(RESPONSE_STREAM_ID_PROP, DEFAULT_RESPONSE_STREAM_ID);
        private long connectTimeoutNs =
            TimeUnit.MILLISECONDS.toNanos(SystemProperties.longValue(CONNECT_TIMEOUT_MS_PROP, 10_000));
        private long submitTimeoutNs =
            TimeUnit.MILLISECONDS.toNanos(SystemProperties.longValue(SUBMIT_TIMEOUT_MS_PROP, 100));
        private long queryTimeoutNs = TimeUnit.MILLISECONDS.toNanos(
            SystemProperties.longValue(QUERY_TIMEOUT_MS_PROP, DEFAULT_QUERY_TIMEOUT_MS));
        private int maxPending = SystemProperties.intValue(MAX_PENDING_PROP, DEFAULT_MAX_PENDING);
        private boolean autoReconnect = SystemProperties.booleanValue(AUTO_RECONNECT_PROP, true);
        private IdleStrategy idleStrategy;
        private NanoClock nanoClock;

        /**
         * Validate, and fill the defaults that depend on other settings: the response channel, when it is
         * {@link #DEFAULT_RESPONSE_CHANNEL}, becomes {@link #responseChannelTowards(String) the one towards the
         * ingress} (which resolves a host name in the ingress channel).
         *
         * @return this, validated.
         * @throws IllegalArgumentException naming the bad setting.
         */
        public Context conclude()
        {
            if (null == ingressChannel || !ingressChannel.startsWith("aeron:"))
            {
                throw new IllegalArgumentException(INGRESS_CHANNEL_PROP + " " + ingressChannel +
                    " is not an Aeron channel URI (aeron:...)");
            }
            if (null == responseChannel || !responseChannel.startsWith("aeron:"))
            {
                throw new IllegalArgumentException(RESPONSE_CHANNEL_PROP + " " + responseChannel +
                    " is not an Aeron channel URI (aeron:...)");
            }
            if (DEFAULT_RESPONSE_CHANNEL.equals(responseChannel))
            {
                responseChannel = responseChannelTowards(ingressChannel);
            }
            if (!embeddedDriver && null != aeronDirectoryName && aeronDirectoryName.isBlank())
            {
                // Not the root directory, where a file in "" would be looked for.
                throw new IllegalArgumentException("the media driver directory is an empty path (--aeron-dir, or " +
                    AERON_DIR_PROP + "); give the node's, which its ready line names");
            }
            // What every node refuses, wherever the client is; the rest depends on the address the node sees.
            String refusal = ResponseChannels.refusal(responseChannel, null, false);
            if (null == refusal)
            {
                refusal = ResponseChannels.streamIdRefusal(responseChannel, responseStreamId);
            }
            if (null != refusal)
            {
                throw new IllegalArgumentException(RESPONSE_CHANNEL_PROP + " " + responseChannel +
                    " is one a node refuses: " + refusal);
            }
            if (maxPending < 1 || maxPending > PendingTable.MAX_SIZE)
            {
                throw new IllegalArgumentException(MAX_PENDING_PROP + " must be in 1.." + PendingTable.MAX_SIZE);
            }
            if (connectTimeoutNs <= 0)
            {
                throw new IllegalArgumentException(CONNECT_TIMEOUT_MS_PROP + " must be > 0, was " + connectTimeoutNs +
                    " ns");
            }
            if (submitTimeoutNs < 0)
            {
                throw new IllegalArgumentException(SUBMIT_TIMEOUT_MS_PROP + " must be >= 0, was " + submitTimeoutNs +
                    " ns");
            }
            if (queryTimeoutNs <= 0)
            {
                throw new IllegalArgumentException(QUERY_TIMEOUT_MS_PROP + " must be > 0, was " + queryTimeoutNs +
                    " ns");
            }
            if (null == idleStrategy)
            {
                idleStrategy = new BackoffIdleStrategy(10, 20, 1_000, 100_000);
            }
            if (null == nanoClock)
            {
                nanoClock = SystemNanoClock.INSTANCE;
            }
            return this;
        }

        /**
         * The response channel of a client that names none. A node takes a Connect that reaches it from an address
         * other than loopback for one from another host, and refuses a response channel on localhost from it: it must
         * name the address the Connect comes from ({@link ResponseChannels}). That is the address this machine sends
         * to the ingress endpoint from, which the operating system chooses by its routes for Aeron's publication (a
         * socket bound to the wildcard address, connected to the endpoint); a socket connected the same way, which
         * sends nothing, tells it. It is not the address the node sees behind a NAT, nor from a media driver in
         * another network namespace than this process: such a client names its response channel.
         *
         * @param ingressChannel the node's ingress channel.
         * @return {@code aeron:udp?endpoint=ADDRESS:0}, on that local address, for a UDP ingress whose endpoint (a
         *         name resolved as Aeron's media driver resolves it) is a unicast address other than loopback;
         *         {@link #DEFAULT_RESPONSE_CHANNEL} for any other ingress (IPC, loopback, the wildcard address,
         *         multicast, an {@code interface} to send from, no endpoint, one the driver refuses), when no local
         *         address reaches the endpoint, or when the one that does is one a node refuses (IPv6 link-local, which
         *         takes a zone).
         */
        static String responseChannelTowards(final String ingressChannel)
        {
            try
            {
                final ChannelUri uri = ChannelUri.parse(ingressChannel);
                if (!uri.isUdp() || !uri.containsKey(CommonContext.ENDPOINT_PARAM_NAME) ||
                    uri.containsKey(CommonContext.INTERFACE_PARAM_NAME))
                {
                    return DEFAULT_RESPONSE_CHANNEL;
                }
                final InetSocketAddress endpoint = UdpChannel.parse(ingressChannel).remoteData();
                final InetAddress remote = endpoint.getAddress();
                if (remote.isLoopbackAddress() || remote.isAnyLocalAddress() || remote.isMulticastAddress())
                {
                    return DEFAULT_RESPONSE_CHANNEL;
                }
                try (DatagramSocket socket = new DatagramSocket())
                {
                    socket.connect(endpoint);
                    final InetAddress local = socket.getLocalAddress();
                    final String host = local.getHostAddress();
                    if (local.isAnyLocalAddress() || local.isLoopbackAddress() || local.isLinkLocalAddress() ||
                        host.indexOf('%') >= 0)
                    {
                        return DEFAULT_RESPONSE_CHANNEL;
                    }
                    return "aeron:udp?endpoint=" + (local instanceof Inet6Address ? "[" + host + "]" : host) + ":0";
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                // No route to it, a name that does not resolve, a channel the driver refuses: connecting says so.
                return DEFAULT_RESPONSE_CHANNEL;
            }
        }

        public Aeron aeron()
        {
            return aeron;
        }

        /**
         * @param aeron an Aeron client to share (not closed by the client); null to make one.
         * @return this.
         */
        public Context aeron(final Aeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        public String aeronDirectoryName()
        {
            return aeronDirectoryName;
        }

        public Context aeronDirectoryName(final String aeronDirectoryName)
        {
            this.aeronDirectoryName = aeronDirectoryName;
            return this;
        }

        public boolean embeddedDriver()
        {
            return embeddedDriver;
        }

        /**
         * @param embeddedDriver launch a private media driver (in a temp directory) for this client.
         * @return this.
         */
        public Context embeddedDriver(final boolean embeddedDriver)
        {
            this.embeddedDriver = embeddedDriver;
            return this;
        }

        public String ingressChannel()
        {
            return ingressChannel;
        }

        public Context ingressChannel(final String ingressChannel)
        {
            this.ingressChannel = ingressChannel;
            return this;
        }

        public int ingressStreamId()
        {
            return ingressStreamId;
        }

        public Context ingressStreamId(final int ingressStreamId)
        {
            this.ingressStreamId = ingressStreamId;
            return this;
        }

        public String responseChannel()
        {
            return responseChannel;
        }

        public Context responseChannel(final String responseChannel)
        {
            this.responseChannel = responseChannel;
            return this;
        }

        public int responseStreamId()
        {
            return responseStreamId;
        }

        public Context responseStreamId(final int responseStreamId)
        {
            this.responseStreamId = responseStreamId;
            return this;
        }

        public long connectTimeoutNs()
        {
            return connectTimeoutNs;
        }

        public Context connectTimeoutNs(final long connectTimeoutNs)
        {
            this.connectTimeoutNs = connectTimeoutNs;
            return this;
        }

        public long submitTimeoutNs()
        {
            return submitTimeoutNs;
        }

        /**
         * @param submitTimeoutNs how long {@link CmtClient#submit} retries under back-pressure; 0 = one try.
         * @return this.
         */
        public Context submitTimeoutNs(final long submitTimeoutNs)
        {
            this.submitTimeoutNs = submitTimeoutNs;
            return this;
        }

        public long queryTimeoutNs()
        {
            return queryTimeoutNs;
        }

        /**
         * @param queryTimeoutNs how long a query ({@link CmtClient#queryAccount}, {@link CmtClient#queryTransaction})
         *                       waits for its answer once sent before its future fails with
         *                       {@link CmtClient#LOST_TIMED_OUT}; {@link #DEFAULT_QUERY_TIMEOUT_MS} by default.
         * @return this.
         */
        public Context queryTimeoutNs(final long queryTimeoutNs)
        {
            this.queryTimeoutNs = queryTimeoutNs;
            return this;
        }

        public int maxPending()
        {
            return maxPending;
        }

        public Context maxPending(final int maxPending)
        {
            this.maxPending = maxPending;
            return this;
        }

        public boolean autoReconnect()
        {
            return autoReconnect;
        }

        public Context autoReconnect(final boolean autoReconnect)
        {
            this.autoReconnect = autoReconnect;
            return this;
        }

        public IdleStrategy idleStrategy()
        {
            return idleStrategy;
        }

        public Context idleStrategy(final IdleStrategy idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        public NanoClock nanoClock()
        {
            return nanoClock;
        }

        public Context nanoClock(final NanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }
    }
}
