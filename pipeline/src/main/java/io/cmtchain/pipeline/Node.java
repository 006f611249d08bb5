package io.cmtchain.pipeline;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.journal.BlockJournal;
import io.cmtchain.transport.TransactionSink;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.ArrayList;
import java.util.List;

/**
 * A validator node's pipeline: one Disruptor ring of preallocated slots and six stages that follow each other on it.
 * <pre>
 *   ingress ─► decode ─► verify x N ─► ordering ─► execution ─► journal ─► receipts ─┐
 *      ▲                                                                             │
 *      └────────────── slots are reused only after their receipt (gating) ◄──────────┘
 * </pre>
 * A frame is copied once into its slot by {@link #ingress()} and read in place by every stage; blocks point into the
 * slots. Each stage is an {@link Agent} polling the ring; {@link ThreadingMode} maps them onto threads.
 * <p>
 * {@link #close()} drains: it stops the ingress, lets every accepted transaction reach its receipt (cutting the last
 * block), stops the stages and closes the journal.
 */
public final class Node implements AutoCloseable
{
    private final NodeContext ctx;
    private final CountersFile countersFile;
    private final NodeCounters counters;
    private final RingBuffer<TxEvent> ringBuffer;
    private final IngressPublisher ingress;
    private final DecodeAgent decode;
    private final VerifyAgent[] verifiers;
    private final OrderingAgent ordering;
    private final ExecutionAgent execution;
    private final JournalAgent journal;
    private final ReceiptAgent receipts;
    private final Chain chain;
    private final List<AgentRunner> runners = new ArrayList<>();
    private final AgentInvoker invoker;
    private AutoCloseable ingressCloser;
    private boolean closed;

    private Node(final NodeContext ctx)
    {
        this.ctx = ctx;
        final BlockJournal blockJournal = ctx.blockJournal();
        if (blockJournal.lastHeight() != 0)
        {
            throw new IllegalArgumentException("the journal already holds " + blockJournal.lastHeight() +
                " blocks: start from an empty journal (recovery from a journal arrives with its replay)");
        }
        refuseRunningNode(ctx);
        final int verifierThreads = ctx.verifierThreads();
        countersFile = CountersFile.create(
            ctx.dataDir(), NodeCounters.countFor(verifierThreads), System.currentTimeMillis());
        try
        {
            counters = new NodeCounters(countersFile.newManager(), verifierThreads);
            countersFile.ready();

            final Genesis genesis = ctx.genesis();
            chain = new Chain(genesis.createState(System.nanoTime()), 0, new byte[32]);

            ringBuffer = RingBuffer.createMultiProducer(TxEvent::new, ctx.ringSize(), new BusySpinWaitStrategy());
            ingress = new IngressPublisher(ringBuffer, counters.ingressBackPressured);

            final EventPoller<TxEvent> decodePoller = ringBuffer.newPoller();
            decode = new DecodeAgent(ringBuffer, decodePoller, genesis.chainId(), counters);

            verifiers = new VerifyAgent[verifierThreads];
            final Sequence[] verifierSequences = new Sequence[verifierThreads];
            for (int i = 0; i < verifierThreads; i++)
            {
                verifiers[i] = new VerifyAgent(i, verifierThreads, ringBuffer.newPoller(decode.sequence()),
                    decode.sequence(), ctx.verifierFactory().get(), ctx.verifyBatchSize(), counters);
                verifierSequences[i] = verifiers[i].sequence();
            }

            ordering = new OrderingAgent(ringBuffer, ringBuffer.newPoller(verifierSequences), verifierSequences,
                new RecentTxHashes(ctx.dedupeWindow()), ctx.epochClock(), ctx.proposerSchedule(), ctx.blockMaxTxs(),
                ctx.blockIntervalMs(), chain.height(), counters);

            final Sequence journaledHeight = new Sequence(chain.height());
            execution = new ExecutionAgent(ringBuffer.newPoller(ordering.released()), ordering.released(), chain,
                ctx.blockExecutor(), journaledHeight, ctx.blockMaxTxs(), counters);
            journal = new JournalAgent(ringBuffer.newPoller(execution.sequence()), execution.sequence(), execution,
                blockJournal, journaledHeight, counters);
            receipts = new ReceiptAgent(ringBuffer.newPoller(journal.sequence()), journal.sequence(),
                ctx.receiptSink(), counters);
            // Only the last stage gates the producers: every other stage is at or ahead of it.
            ringBuffer.addGatingSequences(receipts.sequence());

            invoker = start(ctx);
        }
        catch (final RuntimeException ex)
        {
            countersFile.close();
            throw ex;
        }
    }

    /**
     * Conclude the context (unless already concluded), build the pipeline and start its threads and ingress.
     *
     * @param ctx configuration.
     * @return the running node.
     */
    public static Node launch(final NodeContext ctx)
    {
        final NodeContext concluded = ctx.isConcluded() ? ctx : ctx.conclude();
        final Node node = new Node(concluded);
        if (concluded.ingressStarter() != null)
        {
            try
            {
                node.ingressCloser = concluded.ingressStarter().apply(node.ingress);
            }
            catch (final RuntimeException ex)
            {
                node.close();
                throw ex;
            }
        }
        return node;
    }

    private static void refuseRunningNode(final NodeContext ctx)
    {
        final CountersFile existing = CountersFile.openReadOnly(ctx.dataDir());
        if (existing != null)
        {
            try
            {
                if (existing.isOwnerAlive() && existing.ownerPid() != ProcessHandle.current().pid())
                {
                    throw new IllegalStateException("a node (pid " + existing.ownerPid() + ") is running on " +
                        ctx.dataDir());
                }
            }
            finally
            {
                existing.close();
            }
        }
    }

    private AgentInvoker start(final NodeContext ctx)
    {
        final ErrorHandler errorHandler = ctx.errorHandler();
        final AtomicCounter errors = counters.errors;
        switch (ctx.threadingMode())
        {
            case DEDICATED:
            {
                final List<Agent> agents = new ArrayList<>();
                agents.add(decode);
                agents.addAll(List.of(verifiers));
                agents.addAll(List.of(ordering, execution, journal, receipts));
                for (final Agent agent : agents)
                {
                    runners.add(new AgentRunner(ctx.dedicatedIdleStrategy().get(), errorHandler, errors, agent));
                }
                break;
            }
            case SHARED:
            {
                runners.add(new AgentRunner(ctx.sharedIdleStrategy().get(), errorHandler, errors,
                    new CompositeAgent(decode, ordering, execution, journal, receipts)));
                for (final VerifyAgent verifier : verifiers)
                {
                    runners.add(new AgentRunner(ctx.sharedIdleStrategy().get(), errorHandler, errors, verifier));
                }
                break;
            }
            case INVOKER:
            {
                final List<Agent> agents = new ArrayList<>();
                agents.add(decode);
                agents.addAll(List.of(verifiers));
                agents.addAll(List.of(ordering, execution, journal, receipts));
                final AgentInvoker agentInvoker = new AgentInvoker(errorHandler, errors, new CompositeAgent(agents));
                agentInvoker.start();
                return agentInvoker;
            }
            default:
                throw new IllegalArgumentException("unknown threading mode " + ctx.threadingMode());
        }
        for (final AgentRunner runner : runners)
        {
            AgentRunner.startOnThread(runner);
        }
        return null;
    }

    /** @return where ingress hands frames: copies each into a ring slot, or answers BACK_PRESSURED. */
    public TransactionSink ingress()
    {
        return ingress;
    }

    /** @return false once {@link #close()} has begun: the ingress refuses offers. */
    public boolean isAccepting()
    {
        return ingress.isAccepting();
    }

    /**
     * Run one duty cycle of every stage, in pipeline order: {@link ThreadingMode#INVOKER} only.
     *
     * @return work done.
     */
    public int doWork()
    {
        if (invoker == null)
        {
            throw new IllegalStateException("doWork() is for ThreadingMode.INVOKER; this node runs " +
                ctx.threadingMode());
        }
        return invoker.invoke();
    }

    /** @return the chain (for tests and tools: it is owned by the execution stage while the node runs). */
    public Chain chain()
    {
        return chain;
    }

    public NodeContext context()
    {
        return ctx;
    }

    public NodeCounters counters()
    {
        return counters;
    }

    public CountersFile countersFile()
    {
        return countersFile;
    }

    /**
     * Drain and stop: refuse new offers, let every accepted transaction reach its receipt (the last block cut at
     * once), then stop the stages and close the journal. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.quietClose(ingressCloser);
        final IdleStrategy idle = new SleepingMillisIdleStrategy(1);
        final long last = ingress.close(idle);
        ordering.requestFlush();
        final long deadlineMs = System.currentTimeMillis() + ctx.drainTimeoutMs();
        while (receipts.sequence().get() < last)
        {
            if (invoker != null)
            {
                if (invoker.invoke() > 0)
                {
                    continue;
                }
            }
            if (System.currentTimeMillis() > deadlineMs)
            {
                ctx.errorHandler().onError(new IllegalStateException("drain timed out after " +
                    ctx.drainTimeoutMs() + " ms with " + (last - receipts.sequence().get()) +
                    " accepted transactions without a receipt"));
                break;
            }
            idle.idle();
        }
        for (final AgentRunner runner : runners)
        {
            runner.close();
        }
        if (invoker != null)
        {
            invoker.close();
        }
        CloseHelper.quietClose(ctx.blockJournal());
        // The counters stay mapped until the buffer is collected: this process may still read them (tests, tools),
        // and an explicit unmap would turn such a read into a crash.
    }
}
