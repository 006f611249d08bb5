package io.cmtchain.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.tx.Addresses;

/**
 * The DPoS proposer schedule as the ordering stage sees it: the proposer of height h is the one the chain's DPoS state
 * chose at the end of block h-1 (Tendermint's proposer priority over the validators' voting power,
 * {@code io.cmtchain.engine.dpos.ProposerPriority}), so it is known only once execution has applied h-1.
 * <p>
 * Execution publishes it after each block ({@link #onBlockApplied}); ordering reads it when it cuts block h and, until
 * it is published, holds the cut back. One slot suffices: execution publishes h+1 only after applying block h, which
 * it sees only after ordering stamped h, so a write never meets a read of the slot. The height is volatile: its write
 * releases the address bytes written before it, its read acquires them.
 * <p>
 * A thread that asked too early is woken when the proposer is published: ordering, on a thread of its own, has by then
 * gone idle, and a backing-off idle strategy parks it for up to its longest park (a millisecond, the length of a
 * whole block of transfers), while execution waits for the block ordering holds back. The wake is
 * {@link LockSupport#unpark}, once per block and only when someone waits; a wake that comes too late or to a thread
 * that is not parked only ends one park early.
 */
public final class DposProposerSchedule implements ProposerSchedule
{
    private static final VarHandle WAITER;

    static
    {
        try
        {
            WAITER = MethodHandles.lookup().findVarHandle(DposProposerSchedule.class, "waiter", Thread.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final byte[] proposer = new byte[Addresses.LENGTH];
    private volatile long publishedHeight;
    /** The thread that last asked before the proposer was published, until it is woken. */
    private volatile Thread waiter;
    private final Consumer<Thread> wake;

    /** A schedule that wakes a waiting thread with {@link LockSupport#unpark}. */
    public DposProposerSchedule()
    {
        this(LockSupport::unpark);
    }

    /**
     * @param wake how a thread that asked too early is woken once its proposer is published (a test seam; the node
     *             unparks).
     */
    DposProposerSchedule(final Consumer<Thread> wake)
    {
        this.wake = wake;
    }

    @Override
    public boolean proposer(final long height, final byte[] out, final int outOffset)
    {
        if (publishedHeight != height)
        {
            // Registered once per wait, not on every duty cycle: a spinning ordering stage would otherwise make a
            // fenced store on each spin, to the line execution writes the height to.
            if (waiter == null)
            {
                waiter = Thread.currentThread();
            }
            // Published between the first read and the write of the waiter: execution may have missed the waiter.
            if (publishedHeight != height)
            {
                return false;
            }
            waiter = null;
        }
        System.arraycopy(proposer, 0, out, outOffset, Addresses.LENGTH);
        return true;
    }

    @Override
    public void onBlockApplied(final Chain chain)
    {
        if (!chain.scheduledProposer(proposer, 0))
        {
            throw new IllegalStateException(chain.state().dpos() == null ?
                "a DPoS proposer schedule on a chain without DPoS (the genesis has no \"dpos\" section)" :
                "DPoS has no validator to propose block " + (chain.height() + 1));
        }
        publishedHeight = chain.height() + 1;
        // Taken atomically, so a waiter that registers for the next height meanwhile is not cleared unwoken.
        final Thread toWake = waiter == null ? null : (Thread)WAITER.getAndSet(this, null);
        if (toWake != null && toWake != Thread.currentThread())
        {
            wake.accept(toWake);
        }
    }

    /** @return the height whose proposer is published, 0 before the first {@link #onBlockApplied}. */
    public long publishedHeight()
    {
        return publishedHeight;
    }
}
