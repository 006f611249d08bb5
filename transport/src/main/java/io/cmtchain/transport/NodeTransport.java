package io.cmtchain.transport;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The node's side of the transport, for the pipeline to wire: launches (or connects to) the media driver, and
 * builds the ingress and egress {@link Agent}s. It starts no threads of its own: the node runs the agents on its
 * threads (composed with other stages on a small machine, one thread each on a large one), or calls
 * {@link #startRunner(IdleStrategy, ErrorHandler)} for a single convenience thread.
 * <pre>
 *   NodeTransport transport = NodeTransport.launch(ctx, ringSink, counters);
 *   pipeline.receiptSink(transport.receiptSink());        // any thread, never blocks
 *   runner(transport.ingressAgent()); runner(transport.egressAgent());
 *   ...
 *   transport.close();                                     // after the agents' runners are closed
 * </pre>
 */
public final class NodeTransport implements AutoCloseable
{
    /** Longest {@link #close()} waits for the media driver to deliver the clients' last receipts. */
    public static final long DELIVERY_TIMEOUT_MS = 2_000;

    private final TransportContext ctx;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final EgressPublisher egress;
    private final IngressAgent ingress;
    private final TransportCounters counters;
    private final boolean ownsCounters;
    private AgentRunner runner;
    private int undeliveredAtClose;
    private volatile boolean awaitingDelivery;

    private NodeTransport(
        final TransportContext ctx,
        final MediaDriver driver,
        final Aeron aeron,
        final TransactionSink sink,
        final TransportCounters counters,
        final boolean ownsCounters)
    {
        this.ctx = ctx;
        this.driver = driver;
        this.aeron = aeron;
        this.counters = counters;
        this.ownsCounters = ownsCounters;
        this.egress = new EgressPublisher(ctx, aeron, counters);
        this.ingress = new IngressAgent(ctx, aeron, sink, egress, counters);
    }

    /**
     * @param ctx      configuration; concluded here if not yet.
     * @param sink     where ingress hands transaction frames (the pipeline's ring).
     * @param counters the node's transport counters, or null for private in-memory ones.
     * @return the transport, ready for its agents to run.
     */
    public static NodeTransport launch(
        final TransportContext ctx, final TransactionSink sink, final TransportCounters counters)
    {
        if (!ctx.isConcluded())
        {
            ctx.conclude();
        }
        MediaDriver driver = null;
        Aeron aeron = null;
        try
        {
            if (ctx.embeddedDriver())
            {
                final MediaDriver.Context driverContext = new MediaDriver.Context()
                    .aeronDirectoryName(ctx.aeronDirectoryName())
                    .threadingMode(ctx.threadingMode())
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true);
                if (null != ctx.driverIdleStrategy())
                {
                    driverContext.sharedIdleStrategy(ctx.driverIdleStrategy());
                }
                final ThreadFactory threads = ctx.driverThreadFactory();
                if (null != threads)
                {
                    driverContext
                        .conductorThreadFactory(threads)
                        .senderThreadFactory(threads)
                        .receiverThreadFactory(threads)
                        .sharedNetworkThreadFactory(threads)
                        .sharedThreadFactory(threads)
                        .asyncExecutorThreadFactory(threads);
                }
                driver = MediaDriver.launchEmbedded(driverContext);
            }
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(ctx.aeronDirectoryName()));
            return new NodeTransport(ctx, driver, aeron, sink,
                null == counters ? TransportCounters.inMemory() : counters, null == counters);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(aeron, driver);
            throw ex;
        }
    }

    /** @return where the pipeline sends receipts; thread safe, never blocks. */
    public ReceiptSink receiptSink()
    {
        return egress;
    }

    /** @return the ingress duty cycle: polls clients, feeds the sink. */
    public Agent ingressAgent()
    {
        return ingress;
    }

    /** @return the egress duty cycle: sessions and receipts to clients. */
    public Agent egressAgent()
    {
        return egress;
    }

    /** @return ingress and egress composed, for one thread. */
    public Agent compositeAgent()
    {
        return new CompositeAgent(ingress, egress);
    }

    /**
     * Convenience: run both agents on one thread of their own.
     *
     * @param idleStrategy for the thread, e.g. {@link BackoffIdleStrategy}.
     * @param errorHandler for exceptions escaping a duty cycle.
     * @return this.
     */
    public NodeTransport startRunner(final IdleStrategy idleStrategy, final ErrorHandler errorHandler)
    {
        if (null != runner)
        {
            throw new IllegalStateException("runner already started");
        }
        runner = new AgentRunner(idleStrategy, errorHandler, null, compositeAgent());
        AgentRunner.startOnThread(runner);
        return this;
    }

    /**
     * @return how many client streams were still undelivered when {@link #close()} stopped waiting for them; 0 when
     * every one was delivered (or before close).
     */
    public int undeliveredAtClose()
    {
        return undeliveredAtClose;
    }

    /** @return true while {@link #close()} waits for the clients' last receipts to be delivered. */
    boolean awaitingDelivery()
    {
        return awaitingDelivery;
    }

    private void awaitEgressDelivered()
    {
        final EgressDelivery delivery = egress.delivery();
        if (0 == delivery.streamCount() || aeron.isClosed())
        {
            return;
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DELIVERY_TIMEOUT_MS);
        awaitingDelivery = true;
        int undelivered;
        while ((undelivered = delivery.undelivered(aeron.countersReader())) > 0 && System.nanoTime() < deadlineNs)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        awaitingDelivery = false;
        undeliveredAtClose = undelivered;
    }

    public TransportContext context()
    {
        return ctx;
    }

    public TransportCounters counters()
    {
        return counters;
    }

    /** @return the Aeron directory clients on this host connect to for IPC. */
    public String aeronDirectoryName()
    {
        return ctx.aeronDirectoryName();
    }

    /**
     * Close the runner if started here, wait (up to {@link #DELIVERY_TIMEOUT_MS}) for the media driver to deliver what
     * egress wrote to each client before it closed their sessions (the last receipts and the Disconnect), then close
     * Aeron and the embedded driver. Agents run elsewhere must be stopped first (their runners call the agents'
     * {@code onClose}).
     */
    @Override
    public void close()
    {
        if (null != runner)
        {
            CloseHelper.quietClose(runner);
        }
        awaitEgressDelivered();
        CloseHelper.quietCloseAll(aeron, driver);
        if (ownsCounters)
        {
            counters.close();
        }
    }
}
