package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.exec.Ledger;
import io.cmtchain.engine.exec.TransactionProcessor;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TransactionFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Block-STM (Gelashvili et al., PPoPP'23): optimistic execution for transactions whose keys are only known once they
 * run. Every transaction runs against a multi-version store that answers a read of key k by transaction i with the
 * write of the highest j &lt; i (or the block-start value), and records what it read; a collaborative scheduler
 * hands out execution and validation tasks in block order; a validation that finds a read changed aborts the
 * transaction, turns its writes into ESTIMATE marks (a reader of an ESTIMATE waits for that transaction instead of
 * running on a value that will change) and re-executes it. When no task is left the store's highest version of every
 * key is exactly what the sequential engine would have written, and it is committed in block order.
 * <p>
 * Keys are found during execution: the sender's address is hashed and looked up when the rules ask for it, an
 * address that is not an account is entered in a lock-free {@link AddressTable}. The fee pool is a delta: each
 * transaction's fee lives in its receipt and the sum is folded at block end, so re-executions never double count.
 * <p>
 * Status of a transaction: incarnation &lt;&lt; 2 | READY, EXECUTING, EXECUTED or ABORTING, changed under the
 * transaction's spin lock. The only nested locking is a lower-indexed transaction's lock around a higher one's
 * (adding a dependency), so locks cannot deadlock.
 */
final class OptimisticScheduler
{
    /** Keys a transaction may write (and read): TRANSFER has a sender and a recipient. */
    static final int MAX_KEYS = 2;

    static final int READY = 0;
    static final int EXECUTING = 1;
    static final int EXECUTED = 2;
    static final int ABORTING = 3;

    private static final int NONE = -1;
    private static final int UNRESOLVED = -2;
    private static final long STORAGE_VERSION = -1;

    private static final int TASK_NONE = 0;
    private static final int TASK_EXECUTE = 1;
    private static final int TASK_VALIDATE = 2;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final VarHandle INT_ELEMENT = MethodHandles.arrayElementVarHandle(int[].class);

    private final WorkerPool pool;
    private final Worker[] workers;
    private final AddressTable newAccounts;
    private final WorkerPool.Phase runPhase = this::runPhase;

    /**
     * Test seam: told by a worker whose incarnation read an ESTIMATE, after it ran and before it asks to wait for
     * the transaction that wrote the mark. That window is where the writer can finish and make the wait needless,
     * which no hook outside the scheduler can reach. Null, and never called, outside tests.
     */
    interface DependencyHook
    {
        /**
         * @param i        the transaction that read the ESTIMATE.
         * @param blocking the transaction that wrote it.
         */
        void beforeAddDependency(int i, int blocking);
    }

    /**
     * Test seam: told by a worker that has read back what an incarnation read, before it acts on the verdict. A
     * failed validation's window between those reads and the abort (its ESTIMATE marks, the lowered validation
     * index) is where another worker can validate a later transaction on the versions about to be marked, which no
     * hook outside the scheduler can reach. Null, and never called, outside tests.
     */
    interface ValidationHook
    {
        /**
         * @param i           the transaction validated.
         * @param incarnation the incarnation validated.
         * @param valid       whether every read still sees the version it saw.
         */
        void afterReads(int i, int incarnation, boolean valid);
    }

    /**
     * Test seam: told by a decrease of the execution or validation index between its read of the index and its
     * compare-and-set. That window is where another worker's fetch-and-increment makes the exchange fail, which no
     * hook outside the scheduler can reach. Null, and never called, outside tests.
     */
    interface DecreaseHook
    {
        /**
         * @param index the index being lowered.
         * @param read  the value the decrease read and is about to exchange.
         */
        void beforeExchange(AtomicInteger index, int read);
    }

    private final AtomicInteger executionIdx = new AtomicInteger();
    private final AtomicInteger validationIdx = new AtomicInteger();
    private final AtomicInteger decreaseCount = new AtomicInteger();
    private final AtomicInteger activeTasks = new AtomicInteger();
    private final AtomicInteger touchedCount = new AtomicInteger();
    private volatile boolean done;
    private DependencyHook dependencyHook;
    private ValidationHook validationHook;
    private DecreaseHook decreaseHook;

    private ChainState state;
    private AccountStore accounts;
    private FeeSchedule fees;
    private int chainId;
    private long height;
    private BlockTransactions txs;
    private BlockReceipts receipts;
    private int txCount;
    private int base;
    private int epoch;
    private long blocks;
    private long executedFirstTime;

    // Per transaction.
    private int[] status = new int[0];
    private int[] txLock = new int[0];
    private int[] dependentsHead = new int[0];
    private int[] dependentsNext = new int[0];
    private int[] senderKey = new int[0];
    private int[] recipientKey = new int[0];
    private int[] readCount = new int[0];
    private int[] readKey = new int[0];
    private long[] readVersion = new long[0];
    private int[] creatorOf = new int[0];

    // Multi-version nodes: transaction i owns nodes i * MAX_KEYS .. + MAX_KEYS - 1, one per key it writes.
    private int[] nodeKey = new int[0];
    private int[] nodeNext = new int[0];
    private int[] nodeIncarnation = new int[0];
    private boolean[] nodeEstimate = new boolean[0];
    private boolean[] nodeExists = new boolean[0];
    private long[] nodeBalance = new long[0];
    private long[] nodeNonce = new long[0];

    // Per key: existing accounts by slot, then new addresses by their table id.
    private int[] keyEpoch = new int[0];
    private int[] keyLock = new int[0];
    private int[] versionsHead = new int[0];
    private int[] touchedKeys = new int[0];

    OptimisticScheduler(final WorkerPool pool, final Supplier<TransactionWork> work, final long seed)
    {
        this.pool = pool;
        this.newAccounts = new AddressTable(seed);
        workers = SchedulerWorkers.create(pool, work, Worker[]::new, Worker::new);
    }

    /**
     * Test seam, set before a block: its calls happen-after this through the pool's start of the phase.
     *
     * @param hook told before each request to wait for a lower transaction, or null.
     */
    void dependencyHook(final DependencyHook hook)
    {
        this.dependencyHook = hook;
    }

    /**
     * Test seam, set before a block: its calls happen-after this through the pool's start of the phase.
     *
     * @param hook told after each validation's reads, or null.
     */
    void validationHook(final ValidationHook hook)
    {
        this.validationHook = hook;
    }

    /**
     * Test seam, set before a block: its calls happen-after this through the pool's start of the phase.
     *
     * @param hook told between each index decrease's read and its compare-and-set, or null.
     */
    void decreaseHook(final DecreaseHook hook)
    {
        this.decreaseHook = hook;
    }

    /**
     * Test seam, read under the transaction's lock like every status change.
     *
     * @param i a transaction of the running block.
     * @return its status: incarnation &lt;&lt; 2 | {@link #READY}, {@link #EXECUTING}, {@link #EXECUTED} or
     * {@link #ABORTING}.
     */
    int status(final int i)
    {
        lockTx(i);
        final int s = status[i];
        unlockTx(i);
        return s;
    }

    /**
     * Test seam for stress tests, called by a worker between tasks (from a hook) so that it holds no lock: hold
     * transaction {@code i}'s lock while {@code whileLocked} runs. Every change of a status is made under its
     * transaction's lock, so the status must not change meanwhile, and nobody else may release the lock.
     *
     * @param i           a transaction of the running block.
     * @param whileLocked run with the lock held; must not take a scheduler lock.
     * @return true if the status stayed the same and the lock stayed held.
     */
    boolean holdTxLock(final int i, final Runnable whileLocked)
    {
        lockTx(i);
        final int before = (int)INT_ELEMENT.getVolatile(status, i);
        whileLocked.run();
        final boolean held = (int)INT_ELEMENT.getVolatile(txLock, i) == 1;
        final boolean stable = (int)INT_ELEMENT.getVolatile(status, i) == before;
        unlockTx(i);
        return held && stable;
    }

    /**
     * Test seam for stress tests, as {@link #holdTxLock(int, Runnable)} for the key transaction {@code i}'s sender
     * resolved to, once it has run: every change of a key's versions (the list, a node's values and ESTIMATE mark) is
     * made under the key's lock, so they must not change meanwhile, and nobody else may release the lock.
     *
     * @param i           a transaction of the running block that has run at least once.
     * @param whileLocked run with the lock held; must not take a scheduler lock.
     * @return true if the versions stayed the same and the lock stayed held, or if the sender is not resolved yet.
     */
    boolean holdSenderKeyLock(final int i, final Runnable whileLocked)
    {
        final int key = senderKey[i];
        if (key == UNRESOLVED)
        {
            return true;
        }
        lockKey(key);
        final long before = versionsDigest(key);
        whileLocked.run();
        final boolean held = (int)INT_ELEMENT.getVolatile(keyLock, key) == 1;
        final boolean stable = versionsDigest(key) == before;
        unlockKey(key);
        return held && stable;
    }

    private long versionsDigest(final int key)
    {
        VarHandle.fullFence();
        long digest = versionsHead[key];
        int cursor = versionsHead[key];
        for (int steps = 0; cursor != NONE && steps <= txCount * MAX_KEYS; steps++)
        {
            digest = digest * 31 + cursor;
            digest = digest * 31 + nodeIncarnation[cursor];
            digest = digest * 31 + (nodeEstimate[cursor] ? 1 : 0);
            digest = digest * 31 + nodeBalance[cursor];
            digest = digest * 31 + nodeNonce[cursor];
            cursor = nodeNext[cursor];
        }
        return digest;
    }

    long blocks()
    {
        return blocks;
    }

    long reExecutions()
    {
        return SchedulerWorkers.sum(workers, w -> w.executions) - executedFirstTime;
    }

    long workSink()
    {
        return SchedulerWorkers.sum(workers, w -> w.workSink);
    }

    void execute(final ChainState state, final long height, final BlockTransactions txs, final BlockReceipts receipts)
    {
        this.state = state;
        this.accounts = state.accounts();
        this.fees = state.fees();
        this.chainId = state.chainId();
        this.height = height;
        this.txs = txs;
        this.receipts = receipts;
        final int n = txs.count();
        txCount = n;
        base = accounts.size();
        receipts.reset(n);
        ensureCapacity(n, base + n * MAX_KEYS);
        if (++epoch == 0)
        {
            Arrays.fill(keyEpoch, 0);
            epoch = 1;
        }
        newAccounts.reset(n * MAX_KEYS);
        Arrays.fill(status, 0, n, READY);
        Arrays.fill(dependentsHead, 0, n, NONE);
        Arrays.fill(senderKey, 0, n, UNRESOLVED);
        Arrays.fill(recipientKey, 0, n, UNRESOLVED);
        Arrays.fill(readCount, 0, n, 0);
        Arrays.fill(creatorOf, 0, n, NONE);
        Arrays.fill(nodeKey, 0, n * MAX_KEYS, NONE);
        executionIdx.set(0);
        validationIdx.set(0);
        decreaseCount.set(0);
        activeTasks.set(0);
        touchedCount.set(0);
        done = false;

        pool.run(runPhase);

        blocks++;
        executedFirstTime += n;
        commit();
        this.txs = null;
        this.receipts = null;
        this.state = null;
        this.accounts = null;
    }

    private void runPhase(final int worker)
    {
        final Worker w = workers[worker];
        w.taskKind = TASK_NONE;
        int idle = 0;
        while (!done && !pool.failed())
        {
            if (w.taskKind == TASK_EXECUTE)
            {
                w.tryExecute(w.taskIdx, w.taskIncarnation);
            }
            else if (w.taskKind == TASK_VALIDATE)
            {
                w.validate(w.taskIdx, w.taskIncarnation);
            }
            if (w.taskKind == TASK_NONE)
            {
                w.nextTask();
                if (w.taskKind == TASK_NONE)
                {
                    if (++idle > 1_000)
                    {
                        Thread.yield();
                    }
                    else
                    {
                        Thread.onSpinWait();
                    }
                }
                else
                {
                    idle = 0;
                }
            }
        }
    }

    private void commit()
    {
        long feeDelta = 0;
        for (int i = 0, n = txCount; i < n; i++)
        {
            feeDelta = Math.addExact(feeDelta, receipts.feeCharged(i));
        }
        if (feeDelta != 0)
        {
            state.addFeeDelta(feeDelta);
        }

        final int touched = touchedCount.get();
        for (int t = 0; t < touched; t++)
        {
            final int key = touchedKeys[t];
            final int head = versionsHead[key];
            if (head != NONE && key < base)
            {
                accounts.balance(key, nodeBalance[head]);
                accounts.nonce(key, nodeNonce[head]);
            }
            else if (head != NONE)
            {
                // Every version of a new address is written with it existing: the oldest is the creation.
                int oldest = head;
                while (nodeNext[oldest] != NONE)
                {
                    oldest = nodeNext[oldest];
                }
                creatorOf[oldest / MAX_KEYS] = key;
            }
        }
        for (int i = 0, n = txCount; i < n; i++)
        {
            final int key = creatorOf[i];
            if (key != NONE)
            {
                final int id = key - base;
                final int slot =
                    accounts.findOrCreate(newAccounts.word0(id), newAccounts.word1(id), newAccounts.word2(id));
                final int head = versionsHead[key];
                accounts.balance(slot, nodeBalance[head]);
                accounts.nonce(slot, nodeNonce[head]);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Scheduler

    private void lockTx(final int i)
    {
        while (!INT_ELEMENT.compareAndSet(txLock, i, 0, 1))
        {
            Thread.onSpinWait();
        }
    }

    private void unlockTx(final int i)
    {
        INT_ELEMENT.setRelease(txLock, i, 0);
    }

    private void checkDone()
    {
        final int observed = decreaseCount.get();
        if (Math.min(executionIdx.get(), validationIdx.get()) >= txCount && activeTasks.get() == 0 &&
            observed == decreaseCount.get())
        {
            done = true;
        }
    }

    /**
     * Lower {@code index} to {@code target} if it is above it, reading it again whenever another worker moved it
     * between the read and the exchange. Package-private for a test that forces that race through the hook.
     */
    void decreaseTo(final AtomicInteger index, final int target)
    {
        int current;
        while ((current = index.get()) > target)
        {
            if (decreaseHook != null)
            {
                decreaseHook.beforeExchange(index, current);
            }
            if (index.compareAndSet(current, target))
            {
                return;
            }
            Thread.onSpinWait();
        }
    }

    private void decreaseExecutionIdx(final int target)
    {
        decreaseTo(executionIdx, target);
        decreaseCount.incrementAndGet();
    }

    private void decreaseValidationIdx(final int target)
    {
        decreaseTo(validationIdx, target);
        decreaseCount.incrementAndGet();
    }

    /** @return incarnation now EXECUTING, or NONE (and one active task fewer). */
    private int tryIncarnate(final int i)
    {
        if (i < txCount)
        {
            lockTx(i);
            final int s = status[i];
            if ((s & 3) == READY)
            {
                status[i] = (s & ~3) | EXECUTING;
                unlockTx(i);
                return s >>> 2;
            }
            unlockTx(i);
        }
        activeTasks.decrementAndGet();
        return NONE;
    }

    /** ABORTING(k) becomes READY(k + 1). */
    private void setReady(final int i)
    {
        lockTx(i);
        status[i] = ((status[i] >>> 2) + 1) << 2 | READY;
        unlockTx(i);
    }

    /** @return true if {@code i} now waits for {@code blocking}, false if {@code blocking} has already executed. */
    private boolean addDependency(final int i, final int blocking)
    {
        lockTx(blocking);
        if ((status[blocking] & 3) == EXECUTED)
        {
            unlockTx(blocking);
            return false;
        }
        lockTx(i);
        status[i] = (status[i] & ~3) | ABORTING;
        unlockTx(i);
        dependentsNext[i] = dependentsHead[blocking];
        dependentsHead[blocking] = i;
        unlockTx(blocking);
        activeTasks.decrementAndGet();
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Multi-version store

    private void lockKey(final int key)
    {
        while (!INT_ELEMENT.compareAndSet(keyLock, key, 0, 1))
        {
            Thread.onSpinWait();
        }
        if (keyEpoch[key] != epoch)
        {
            // First touch in this block: forget the last block's versions. Under the lock, so only one thread does it.
            keyEpoch[key] = epoch;
            versionsHead[key] = NONE;
            touchedKeys[touchedCount.getAndIncrement()] = key;
        }
    }

    private void unlockKey(final int key)
    {
        INT_ELEMENT.setRelease(keyLock, key, 0);
    }

    private void ensureCapacity(final int n, final int keySpace)
    {
        if (n > status.length)
        {
            final int capacity = Math.max(n, status.length * 2);
            status = new int[capacity];
            txLock = new int[capacity];
            dependentsHead = new int[capacity];
            dependentsNext = new int[capacity];
            senderKey = new int[capacity];
            recipientKey = new int[capacity];
            readCount = new int[capacity];
            readKey = new int[capacity * MAX_KEYS];
            readVersion = new long[capacity * MAX_KEYS];
            creatorOf = new int[capacity];
            nodeKey = new int[capacity * MAX_KEYS];
            nodeNext = new int[capacity * MAX_KEYS];
            nodeIncarnation = new int[capacity * MAX_KEYS];
            nodeEstimate = new boolean[capacity * MAX_KEYS];
            nodeExists = new boolean[capacity * MAX_KEYS];
            nodeBalance = new long[capacity * MAX_KEYS];
            nodeNonce = new long[capacity * MAX_KEYS];
            touchedKeys = new int[capacity * MAX_KEYS];
        }
        if (keySpace > keyEpoch.length)
        {
            final int capacity = Math.max(keySpace, keyEpoch.length + (keyEpoch.length >> 1));
            keyEpoch = Arrays.copyOf(keyEpoch, capacity);
            keyLock = new int[capacity];
            versionsHead = new int[capacity];
        }
    }

    /** One executing thread: its scheduler task, and the {@link Ledger} a transaction's incarnation runs against. */
    private final class Worker implements Ledger
    {
        private final TransactionProcessor processor = new TransactionProcessor();
        private final TransactionFlyweight tx = new TransactionFlyweight();
        private final Addresses addresses = new Addresses();
        private final UnsafeBuffer address = new UnsafeBuffer(new byte[Addresses.LENGTH]);
        private final TransactionWork work;
        private long workSink;
        private long executions;

        private int taskKind;
        private int taskIdx;
        private int taskIncarnation;

        // The incarnation being run: its keys, the values it sees and writes, the first ESTIMATE it met.
        private int current;
        private int blocking;
        private int localCount;
        private final int[] localKey = new int[MAX_KEYS];
        private final boolean[] localExists = new boolean[MAX_KEYS];
        private final boolean[] localWritten = new boolean[MAX_KEYS];
        private final long[] localBalance = new long[MAX_KEYS];
        private final long[] localNonce = new long[MAX_KEYS];

        // Result of the last versioned read.
        private long readResultVersion;
        private int readResultBlocking;
        private boolean readResultExists;
        private long readResultBalance;
        private long readResultNonce;

        Worker(final TransactionWork work)
        {
            this.work = work;
        }

        void nextTask()
        {
            taskKind = TASK_NONE;
            if (validationIdx.get() < executionIdx.get())
            {
                if (validationIdx.get() >= txCount)
                {
                    checkDone();
                    return;
                }
                activeTasks.incrementAndGet();
                final int i = validationIdx.getAndIncrement();
                if (i < txCount)
                {
                    lockTx(i);
                    final int s = status[i];
                    unlockTx(i);
                    if ((s & 3) == EXECUTED)
                    {
                        task(TASK_VALIDATE, i, s >>> 2);
                        return;
                    }
                }
                activeTasks.decrementAndGet();
            }
            else
            {
                if (executionIdx.get() >= txCount)
                {
                    checkDone();
                    return;
                }
                activeTasks.incrementAndGet();
                final int i = executionIdx.getAndIncrement();
                final int incarnation = tryIncarnate(i);
                if (incarnation != NONE)
                {
                    task(TASK_EXECUTE, i, incarnation);
                }
            }
        }

        private void task(final int kind, final int i, final int incarnation)
        {
            taskKind = kind;
            taskIdx = i;
            taskIncarnation = incarnation;
        }

        void tryExecute(final int i, final int incarnation)
        {
            while (true)
            {
                executions++;
                current = i;
                blocking = NONE;
                localCount = 0;
                readCount[i] = 0;
                tx.wrap(txs.buffer(i), txs.offset(i), txs.length(i));
                if (work != null)
                {
                    workSink += work.perform(tx);
                }
                final int result = processor.execute(this, chainId, fees, tx, height);
                if (blocking == NONE)
                {
                    receipts.set(i, result, processor.feeCharged());
                    final boolean wroteNewKey = publishWrites(i, incarnation);
                    finishExecution(i, incarnation, wroteNewKey);
                    return;
                }
                if (dependencyHook != null)
                {
                    dependencyHook.beforeAddDependency(i, blocking);
                }
                if (addDependency(i, blocking))
                {
                    taskKind = TASK_NONE;
                    return;
                }
                // The blocking transaction finished meanwhile: its values are there now.
            }
        }

        private void finishExecution(final int i, final int incarnation, final boolean wroteNewKey)
        {
            lockTx(i);
            status[i] = incarnation << 2 | EXECUTED;
            int dependent = dependentsHead[i];
            dependentsHead[i] = NONE;
            unlockTx(i);
            int lowest = Integer.MAX_VALUE;
            while (dependent != NONE)
            {
                final int next = dependentsNext[dependent];
                setReady(dependent);
                lowest = Math.min(lowest, dependent);
                dependent = next;
            }
            if (lowest != Integer.MAX_VALUE)
            {
                decreaseExecutionIdx(lowest);
            }
            if (validationIdx.get() > i)
            {
                if (wroteNewKey)
                {
                    decreaseValidationIdx(i);
                }
                else
                {
                    task(TASK_VALIDATE, i, incarnation);
                    return;
                }
            }
            activeTasks.decrementAndGet();
            taskKind = TASK_NONE;
        }

        void validate(final int i, final int incarnation)
        {
            boolean valid = true;
            for (int r = 0, count = readCount[i]; r < count && valid; r++)
            {
                final int a = i * MAX_KEYS + r;
                read(readKey[a], i);
                valid = readResultBlocking == NONE && readResultVersion == readVersion[a];
            }
            if (validationHook != null)
            {
                validationHook.afterReads(i, incarnation, valid);
            }
            boolean aborted = false;
            if (!valid)
            {
                lockTx(i);
                if (status[i] == (incarnation << 2 | EXECUTED))
                {
                    status[i] = incarnation << 2 | ABORTING;
                    aborted = true;
                }
                unlockTx(i);
            }
            if (aborted)
            {
                for (int node = i * MAX_KEYS, end = node + MAX_KEYS; node < end; node++)
                {
                    final int key = nodeKey[node];
                    if (key != NONE)
                    {
                        lockKey(key);
                        nodeEstimate[node] = true;
                        unlockKey(key);
                    }
                }
                setReady(i);
                decreaseValidationIdx(i + 1);
                if (executionIdx.get() > i)
                {
                    final int next = tryIncarnate(i);
                    if (next != NONE)
                    {
                        task(TASK_EXECUTE, i, next);
                    }
                    else
                    {
                        taskKind = TASK_NONE;
                    }
                    return;
                }
            }
            activeTasks.decrementAndGet();
            taskKind = TASK_NONE;
        }

        /**
         * Store this incarnation's writes as versions of transaction {@code i}, replacing the last incarnation's in
         * place (a reader never sees a key without either) and removing those it no longer writes.
         *
         * @return true if it wrote a key the last incarnation did not.
         */
        private boolean publishWrites(final int i, final int incarnation)
        {
            final int first = i * MAX_KEYS;
            for (int node = first; node < first + MAX_KEYS; node++)
            {
                final int key = nodeKey[node];
                if (key != NONE && !writes(key))
                {
                    lockKey(key);
                    unlink(key, node);
                    unlockKey(key);
                    nodeKey[node] = NONE;
                }
            }
            boolean wroteNewKey = false;
            for (int h = 0; h < localCount; h++)
            {
                if (!localWritten[h])
                {
                    continue;
                }
                final int key = localKey[h];
                int node = NONE;
                int free = NONE;
                for (int candidate = first; candidate < first + MAX_KEYS; candidate++)
                {
                    if (nodeKey[candidate] == key)
                    {
                        node = candidate;
                    }
                    else if (nodeKey[candidate] == NONE && free == NONE)
                    {
                        free = candidate;
                    }
                }
                lockKey(key);
                if (node == NONE)
                {
                    node = free;
                    nodeKey[node] = key;
                    insert(key, node, i);
                    wroteNewKey = true;
                }
                nodeIncarnation[node] = incarnation;
                nodeEstimate[node] = false;
                nodeExists[node] = localExists[h];
                nodeBalance[node] = localBalance[h];
                nodeNonce[node] = localNonce[h];
                unlockKey(key);
            }
            return wroteNewKey;
        }

        private boolean writes(final int key)
        {
            for (int h = 0; h < localCount; h++)
            {
                if (localKey[h] == key && localWritten[h])
                {
                    return true;
                }
            }
            return false;
        }

        /** Versions of a key are kept in descending transaction order. Caller holds the key's lock. */
        private void insert(final int key, final int node, final int i)
        {
            int previous = NONE;
            int cursor = versionsHead[key];
            while (cursor != NONE && cursor / MAX_KEYS > i)
            {
                previous = cursor;
                cursor = nodeNext[cursor];
            }
            nodeNext[node] = cursor;
            if (previous == NONE)
            {
                versionsHead[key] = node;
            }
            else
            {
                nodeNext[previous] = node;
            }
        }

        private void unlink(final int key, final int node)
        {
            int previous = NONE;
            int cursor = versionsHead[key];
            while (cursor != node)
            {
                previous = cursor;
                cursor = nodeNext[cursor];
            }
            if (previous == NONE)
            {
                versionsHead[key] = nodeNext[node];
            }
            else
            {
                nodeNext[previous] = nodeNext[node];
            }
        }

        /** The value of {@code key} that transaction {@code i} sees: the highest version below it, or storage. */
        private void read(final int key, final int i)
        {
            lockKey(key);
            int cursor = versionsHead[key];
            while (cursor != NONE && cursor / MAX_KEYS >= i)
            {
                cursor = nodeNext[cursor];
            }
            if (cursor == NONE)
            {
                readResultBlocking = NONE;
                readResultVersion = STORAGE_VERSION;
                if (key < base)
                {
                    readResultExists = true;
                    readResultBalance = accounts.balance(key);
                    readResultNonce = accounts.nonce(key);
                }
                else
                {
                    readResultExists = false;
                    readResultBalance = 0;
                    readResultNonce = 0;
                }
            }
            else if (nodeEstimate[cursor])
            {
                readResultBlocking = cursor / MAX_KEYS;
            }
            else
            {
                readResultBlocking = NONE;
                readResultVersion = (long)(cursor / MAX_KEYS) << 32 | nodeIncarnation[cursor];
                readResultExists = nodeExists[cursor];
                readResultBalance = nodeBalance[cursor];
                readResultNonce = nodeNonce[cursor];
            }
            unlockKey(key);
        }

        /** @return the incarnation's handle for a key, reading it from the store the first time. */
        private int access(final int key)
        {
            for (int h = 0; h < localCount; h++)
            {
                if (localKey[h] == key)
                {
                    return h;
                }
            }
            final int h = localCount++;
            localKey[h] = key;
            localWritten[h] = false;
            read(key, current);
            if (readResultBlocking != NONE)
            {
                // Run on to the end with a harmless value: the outcome is thrown away and the transaction waits.
                if (blocking == NONE)
                {
                    blocking = readResultBlocking;
                }
                localExists[h] = false;
                localBalance[h] = 0;
                localNonce[h] = 0;
                return h;
            }
            final int r = readCount[current]++;
            readKey[current * MAX_KEYS + r] = key;
            readVersion[current * MAX_KEYS + r] = readResultVersion;
            localExists[h] = readResultExists;
            localBalance[h] = readResultBalance;
            localNonce[h] = readResultNonce;
            return h;
        }

        private int keyOf(final DirectBuffer buffer, final int offset)
        {
            final long w0 = buffer.getLong(offset, BE);
            final long w1 = buffer.getLong(offset + 8, BE);
            final int w2 = buffer.getInt(offset + 16, BE);
            final int slot = accounts.find(w0, w1, w2);
            // An address that is not an account still gets a key: an earlier transfer may create it.
            return slot != AccountStore.MISSING ? slot : base + newAccounts.findOrInsert(w0, w1, w2);
        }

        @Override
        public int sender(final TransactionFlyweight tx)
        {
            int key = senderKey[current];
            if (key == UNRESOLVED)
            {
                addresses.fromPublicKey(tx.buffer(), tx.publicKeyOffset(), address.byteArray(), 0);
                key = keyOf(address, 0);
                senderKey[current] = key;
            }
            final int h = access(key);
            return localExists[h] ? h : MISSING;
        }

        @Override
        public int transferRecipient(final TransactionFlyweight tx)
        {
            int key = recipientKey[current];
            if (key == UNRESOLVED)
            {
                key = keyOf(tx.buffer(), tx.transferRecipientOffset());
                recipientKey[current] = key;
            }
            final int h = access(key);
            if (!localExists[h])
            {
                localExists[h] = true;
                localWritten[h] = true;
            }
            return h;
        }

        @Override
        public long balance(final int account)
        {
            return localBalance[account];
        }

        @Override
        public long nonce(final int account)
        {
            return localNonce[account];
        }

        @Override
        public void balance(final int account, final long value)
        {
            localBalance[account] = value;
            localWritten[account] = true;
        }

        @Override
        public void nonce(final int account, final long value)
        {
            localNonce[account] = value;
            localWritten[account] = true;
        }

        @Override
        public void addFeeDelta(final long fee)
        {
            // The fee is in the receipt; the block's sum is folded at commit, whatever was re-executed.
        }
    }
}
