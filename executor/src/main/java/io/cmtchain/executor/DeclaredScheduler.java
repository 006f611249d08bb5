package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.contracts.ContractsState;
import io.cmtchain.engine.dpos.DposDescriptor;
import io.cmtchain.engine.dpos.DposState;
import io.cmtchain.engine.exec.AccountPrefetcher;
import io.cmtchain.engine.exec.Ledger;
import io.cmtchain.engine.exec.TransactionProcessor;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TransactionFlyweight;
import io.cmtchain.engine.tx.TxTypes;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Sealevel-style execution from declared access sets. Per block:
 * <ol>
 *   <li><b>declare</b> (parallel): each transaction's accounts from its fields: the sender's address (SHA-256 of
 *       its key) and a TRANSFER's recipient, each looked up in the {@link AccountStore} (read only, so safe to
 *       share);</li>
 *   <li><b>plan</b> (caller): accounts become dense keys (an existing account's slot; an address that is not an
 *       account yet gets the next block-local id, so two transfers to one new address conflict), and the
 *       {@link ConflictGraph} is built in block order. When its critical path says the threads cannot gain enough,
 *       the block runs in order on the caller instead (the declare phase still ran in parallel), and so does the next
 *       block without being planned at all: planning costs about as much as the engine's own loop for simple
 *       transfers, and a fully contended stream should not pay it twice. A block run in order measures its own
 *       critical path as it goes (a depth per account touched, a few nanoseconds a transaction), and the next block
 *       is planned again as soon as one shows enough parallelism. A parallel block that turns out slower per
 *       transaction than the last in-order one (cheap transfers on a dense graph) sends the next few blocks in
 *       order too ({@link #judgeParallelBlock}): results never depend on the choice, only speed does;</li>
 *   <li><b>execute</b> (parallel): a worker takes a ready transaction (the graph's roots are claimed a chunk at a
 *       time, later ones come through a queue), runs the engine's {@link TransactionProcessor} on a per-block copy
 *       of the keys it declared, and counts down its successors, continuing with the first that becomes ready (a
 *       dependency chain stays on one thread) and queueing the rest. Transactions that conflict never run at once,
 *       so the copy needs no locks; the count-down is the hand-off that orders one's writes before the next one's
 *       reads;</li>
 *   <li><b>commit</b> (caller): accounts created in the block are created in the {@link AccountStore} in block order
 *       of the transfers that created them (so slots match the sequential engine's; the state root depends only on
 *       the set of records anyway), written keys are stored, and each worker's fee delta is folded in.</li>
 * </ol>
 * A transfer that fails before reaching its recipient never creates it: creation is an effect of execution, not of
 * declaration.
 */
final class DeclaredScheduler
{
    /** Accounts a transaction may declare: TRANSFER has a sender and a recipient. */
    static final int MAX_ACCESSES = 2;
    private static final int NO_KEY = -1;
    private static final int SENDER = 0;
    private static final int RECIPIENT = 1;
    private static final int DECLARE_CHUNK = 64;
    private static final int MAX_PARALLEL_LOSSES = 6;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final VarHandle INT_ELEMENT = MethodHandles.arrayElementVarHandle(int[].class);

    private final WorkerPool pool;
    private final Worker[] workers;
    private final double minParallelSpeedup;
    private final ConflictGraph graph = new ConflictGraph();
    private final AddressTable newAccounts;
    private final AtomicInteger declareCursor = new AtomicInteger();
    private final AtomicInteger rootCursor = new AtomicInteger();
    private final AtomicInteger readyHead = new AtomicInteger();
    private final AtomicInteger readyTail = new AtomicInteger();
    private final AtomicInteger executed = new AtomicInteger();
    private final WorkerPool.Phase declarePhase = this::declarePhase;
    private final WorkerPool.Phase executePhase = this::executePhase;
    private volatile boolean undeclared;
    private boolean nextInOrder;
    private long inOrderNsPerTx;
    private int parallelLosses;
    private int inOrderBlocksLeft;

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

    private int[] accessCount = new int[0];
    private int[] accessSlot = new int[0];
    private long[] accessWord0 = new long[0];
    private long[] accessWord1 = new long[0];
    private int[] accessWord2 = new int[0];
    private int[] accessKey = new int[0];
    private int[] createdKey = new int[0];
    private int[] ready = new int[0];
    private int[] roots = new int[0];
    private int rootCount;
    private int rootChunk;

    private int[] keyLoaded = new int[0];
    private int[] keyWritten = new int[0];
    private long[] keyBalance = new long[0];
    private long[] keyNonce = new long[0];
    private int[] keyDepth = new int[0];
    private boolean[] newExists = new boolean[0];
    private int[] newSlot = new int[0];

    private long parallelBlocks;
    private long sequentialBlocks;

    DeclaredScheduler(
        final WorkerPool pool, final double minParallelSpeedup, final Supplier<TransactionWork> work, final long seed)
    {
        this.pool = pool;
        this.minParallelSpeedup = minParallelSpeedup;
        this.newAccounts = new AddressTable(seed);
        workers = SchedulerWorkers.create(pool, work, Worker[]::new, Worker::new);
    }

    long parallelBlocks()
    {
        return parallelBlocks;
    }

    long sequentialBlocks()
    {
        return sequentialBlocks;
    }

    long workSink()
    {
        return SchedulerWorkers.sum(workers, w -> w.workSink);
    }

    /**
     * Declare and plan a block without executing it, for analysis. The state is only read.
     *
     * @param state the block would run on.
     * @param txs   of the block.
     * @return its conflict graph, valid until the next call; sealed with unit weights.
     */
    ConflictGraph plan(final ChainState state, final BlockTransactions txs)
    {
        this.state = state;
        this.accounts = state.accounts();
        this.chainId = state.chainId();
        this.txs = txs;
        txCount = txs.count();
        base = accounts.size();
        ensureCapacity(txCount, base + txCount * MAX_ACCESSES);
        declareCursor.set(0);
        pool.run(declarePhase);
        plan();
        this.txs = null;
        this.state = null;
        this.accounts = null;
        return graph;
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
        if (nextInOrder || inOrderBlocksLeft > 0)
        {
            // The last block had no parallelism to offer, or running in parallel lately cost more than it saved:
            // run this one in order, planning nothing, and measure its critical path on the way.
            if (inOrderBlocksLeft > 0)
            {
                inOrderBlocksLeft--;
            }
            sequentialBlocks++;
            executeInOrder(state, height, txs, receipts);
            return;
        }
        final long startNs = System.nanoTime();
        final int n = txs.count();
        txCount = n;
        base = accounts.size();
        receipts.reset(n);
        ensureCapacity(n, base + n * MAX_ACCESSES);
        if (++epoch == 0)
        {
            Arrays.fill(keyLoaded, 0);
            Arrays.fill(keyWritten, 0);
            epoch = 1;
        }

        declareCursor.set(0);
        undeclared = false;
        pool.run(declarePhase);
        if (undeclared)
        {
            // A type with no access declaration: nothing is known about what it touches, so run it all in order.
            sequentialBlocks++;
            executeInOrder(state, height, txs, receipts);
            return;
        }
        plan();

        final long critical = graph.criticalPath();
        final int threads = workers.length;
        final double predicted = (double)n / Math.max(critical, (n + threads - 1) / threads);
        if (predicted < minParallelSpeedup)
        {
            // Contention tends to persist (a hot account, an airdrop): run the next block in order without planning.
            nextInOrder = true;
            sequentialBlocks++;
            final Worker w = workers[0];
            for (int i = 0; i < n; i++)
            {
                w.executeTx(i);
            }
        }
        else
        {
            parallelBlocks++;
            final int[] indegree = graph.indegrees();
            int count = 0;
            for (int i = 0; i < n; i++)
            {
                if (indegree[i] == 0)
                {
                    roots[count++] = i;
                }
            }
            rootCount = count;
            // Claim roots a few at a time: one atomic per chunk, small enough that the last ones still spread.
            rootChunk = Math.max(1, Math.min(32, count / (threads * 32)));
            rootCursor.set(0);
            readyHead.set(0);
            readyTail.set(0);
            executed.set(0);
            pool.run(executePhase);
            Arrays.fill(ready, 0, readyTail.get(), 0);
            judgeParallelBlock(System.nanoTime() - startNs, n);
        }
        commit();
        this.txs = null;
        this.receipts = null;
        this.state = null;
        this.accounts = null;
    }

    /**
     * Run a block in block order on the caller, straight onto the state: the engine's loop, through this scheduler's
     * own {@link Ledger} so that the rules' call sites keep seeing one implementation. No other thread takes part:
     * handing a contended block's hashing to a helper costs a barrier per block, which is slower than hashing here
     * whenever the helper is not already running.
     */
    private void executeInOrder(
        final ChainState state, final long height, final BlockTransactions txs, final BlockReceipts receipts)
    {
        this.state = state;
        this.accounts = state.accounts();
        this.fees = state.fees();
        this.chainId = state.chainId();
        this.height = height;
        this.txs = txs;
        this.receipts = receipts;
        final long startNs = System.nanoTime();
        final int n = txs.count();
        txCount = n;
        receipts.reset(n);
        ensureCapacity(n, accounts.size() + n * MAX_ACCESSES);
        if (++epoch == 0)
        {
            Arrays.fill(keyLoaded, 0);
            Arrays.fill(keyWritten, 0);
            epoch = 1;
        }
        final Worker w = workers[0];
        final int[] stamp = keyLoaded;
        final int[] depth = keyDepth;
        final int e = epoch;
        int critical = 0;
        w.direct = true;
        final AccountPrefetcher prefetcher = w.prefetcher.bind(accounts);
        try
        {
            for (int i = 0; i < n; i++)
            {
                if (i % AccountPrefetcher.WINDOW == 0)
                {
                    // The reference executor's preparation, so that in-order blocks run as fast as it does.
                    prefetcher.prepare(txs, i, Math.min(n, i + AccountPrefetcher.WINDOW), chainId);
                }
                w.executeTx(i);
                // The conflict graph's depth, as planning would find it: one more than the deepest account touched.
                final int sender = w.directSender;
                final int recipient = w.directRecipient;
                int d = 1;
                if (sender >= 0 && stamp[sender] == e)
                {
                    d = depth[sender] + 1;
                }
                if (recipient >= 0 && stamp[recipient] == e)
                {
                    d = Math.max(d, depth[recipient] + 1);
                }
                if (sender >= 0)
                {
                    stamp[sender] = e;
                    depth[sender] = d;
                }
                if (recipient >= 0)
                {
                    stamp[recipient] = e;
                    depth[recipient] = d;
                }
                critical = Math.max(critical, d);
            }
        }
        finally
        {
            w.direct = false;
            prefetcher.forget();
        }
        final int threads = workers.length;
        final double predicted = (double)n / Math.max(critical, (n + threads - 1) / threads);
        nextInOrder = predicted < minParallelSpeedup;
        if (n > 0)
        {
            inOrderNsPerTx = Math.max(1, (System.nanoTime() - startNs) / n);
        }
        if (w.feeDelta != 0)
        {
            state.addFeeDelta(w.feeDelta);
            w.feeDelta = 0;
        }
        this.txs = null;
        this.receipts = null;
        this.state = null;
        this.accounts = null;
    }

    /**
     * Cheap transactions on a dense graph can run slower on several threads than on one (each dependency is a
     * hand-off between cores). The outcome is the same either way, so the choice may rest on the clock: when a
     * parallel block took longer per transaction than the last block run in order, run the next 1, 3, 7 ... 63
     * blocks in order (doubling while parallel keeps losing), then try again.
     */
    private void judgeParallelBlock(final long elapsedNs, final int n)
    {
        final long nsPerTx = elapsedNs / Math.max(1, n);
        if (inOrderNsPerTx == 0)
        {
            // Nothing to compare with yet: measure one block in order.
            inOrderBlocksLeft = 1;
        }
        else if (nsPerTx > inOrderNsPerTx)
        {
            parallelLosses = Math.min(parallelLosses + 1, MAX_PARALLEL_LOSSES);
            inOrderBlocksLeft = (1 << parallelLosses) - 1;
        }
        else
        {
            parallelLosses = 0;
        }
    }

    private void declarePhase(final int worker)
    {
        final Worker w = workers[worker];
        final int n = txCount;
        while (true)
        {
            final int start = declareCursor.getAndAdd(DECLARE_CHUNK);
            if (start >= n)
            {
                return;
            }
            for (int i = start, end = Math.min(n, start + DECLARE_CHUNK); i < end; i++)
            {
                w.declare(i);
            }
        }
    }

    /** Map declared accounts onto keys and build the conflict graph, in block order. */
    private void plan()
    {
        final int n = txCount;
        newAccounts.reset(n * MAX_ACCESSES);
        graph.reset(n, base + n * MAX_ACCESSES, n * MAX_ACCESSES);
        for (int i = 0; i < n; i++)
        {
            createdKey[i] = NO_KEY;
            for (int j = 0, count = accessCount[i]; j < count; j++)
            {
                final int a = i * MAX_ACCESSES + j;
                final int slot = accessSlot[a];
                final int key;
                if (slot != AccountStore.MISSING)
                {
                    key = slot;
                }
                else if (j == RECIPIENT)
                {
                    key = base + newAccounts.findOrInsert(accessWord0[a], accessWord1[a], accessWord2[a]);
                }
                else
                {
                    // A sender that is not an account can only become one through an earlier transfer to it.
                    final int id = newAccounts.find(accessWord0[a], accessWord1[a], accessWord2[a]);
                    key = id == AddressTable.ABSENT ? NO_KEY : base + id;
                }
                accessKey[a] = key;
                if (key != NO_KEY)
                {
                    graph.add(i, key, true);
                }
            }
        }
        graph.seal(null);
    }

    private void executePhase(final int worker)
    {
        final Worker w = workers[worker];
        final int n = txCount;
        final int[] indegree = graph.indegrees();
        int next = -1;
        int claimed = 0;
        int claimedEnd = 0;
        int unreported = 0;
        int idle = 0;
        while (true)
        {
            int i = next;
            next = -1;
            if (i < 0 && claimed < claimedEnd)
            {
                i = roots[claimed++];
            }
            if (i < 0)
            {
                i = pollReady();
            }
            if (i < 0)
            {
                final int start = rootCursor.getAndAdd(rootChunk);
                if (start < rootCount)
                {
                    claimed = start;
                    claimedEnd = Math.min(rootCount, start + rootChunk);
                    i = roots[claimed++];
                }
            }
            if (i < 0)
            {
                // Nothing to run: report what this worker executed, then see whether anyone still has work.
                if (unreported != 0)
                {
                    executed.addAndGet(unreported);
                    unreported = 0;
                }
                if (executed.get() == n || pool.failed())
                {
                    return;
                }
                if (++idle > 1_000)
                {
                    Thread.yield();
                }
                else
                {
                    Thread.onSpinWait();
                }
                continue;
            }
            idle = 0;
            w.executeTx(i);
            unreported++;
            for (int s = graph.successorStart(i), end = graph.successorEnd(i); s < end; s++)
            {
                final int successor = graph.successor(s);
                if ((int)INT_ELEMENT.getAndAdd(indegree, successor, -1) == 1)
                {
                    if (next < 0)
                    {
                        // Continue the chain on this thread: its keys are in this core's cache.
                        next = successor;
                    }
                    else
                    {
                        INT_ELEMENT.setRelease(ready, readyTail.getAndIncrement(), successor + 1);
                    }
                }
            }
        }
    }

    private int pollReady()
    {
        while (true)
        {
            final int head = readyHead.get();
            if (head >= readyTail.get())
            {
                return -1;
            }
            if (readyHead.compareAndSet(head, head + 1))
            {
                int entry;
                while ((entry = (int)INT_ELEMENT.getAcquire(ready, head)) == 0)
                {
                    // The pusher has claimed the index but not yet written it.
                    Thread.onSpinWait();
                }
                return entry - 1;
            }
        }
    }

    private void commit()
    {
        final int n = txCount;
        for (final Worker w : workers)
        {
            if (w.feeDelta != 0)
            {
                state.addFeeDelta(w.feeDelta);
                w.feeDelta = 0;
            }
        }
        for (int i = 0; i < n; i++)
        {
            final int key = createdKey[i];
            if (key != NO_KEY)
            {
                final int id = key - base;
                newSlot[id] = accounts.findOrCreate(
                    newAccounts.word0(id), newAccounts.word1(id), newAccounts.word2(id));
            }
        }
        for (int t = 0, touched = graph.touchedCount(); t < touched; t++)
        {
            final int key = graph.touchedKey(t);
            if (keyWritten[key] == epoch)
            {
                final int slot = key < base ? key : newSlot[key - base];
                accounts.balance(slot, keyBalance[key]);
                accounts.nonce(slot, keyNonce[key]);
            }
        }
        Arrays.fill(newExists, 0, newAccounts.idLimit(), false);
    }

    private void ensureCapacity(final int n, final int keySpace)
    {
        if (n > accessCount.length)
        {
            final int capacity = Math.max(n, accessCount.length * 2);
            accessCount = new int[capacity];
            accessSlot = new int[capacity * MAX_ACCESSES];
            accessWord0 = new long[capacity * MAX_ACCESSES];
            accessWord1 = new long[capacity * MAX_ACCESSES];
            accessWord2 = new int[capacity * MAX_ACCESSES];
            accessKey = new int[capacity * MAX_ACCESSES];
            createdKey = new int[capacity];
            ready = new int[capacity];
            roots = new int[capacity];
            newExists = new boolean[capacity * MAX_ACCESSES];
            newSlot = new int[capacity * MAX_ACCESSES];
        }
        if (keySpace > keyLoaded.length)
        {
            final int capacity = Math.max(keySpace, keyLoaded.length + (keyLoaded.length >> 1));
            keyLoaded = Arrays.copyOf(keyLoaded, capacity);
            keyWritten = Arrays.copyOf(keyWritten, capacity);
            keyBalance = new long[capacity];
            keyNonce = new long[capacity];
            keyDepth = new int[capacity];
        }
    }

    /** One executing thread's tools, and the {@link Ledger} the processor sees while it runs a transaction. */
    private final class Worker implements Ledger
    {
        private final TransactionProcessor processor = new TransactionProcessor();
        private final TransactionFlyweight tx = new TransactionFlyweight();
        private final AccountPrefetcher prefetcher = new AccountPrefetcher();
        private final Addresses addresses = new Addresses();
        private final UnsafeBuffer address = new UnsafeBuffer(new byte[Addresses.LENGTH]);
        private final TransactionWork work;
        private int current;
        private long feeDelta;
        private long workSink;
        /** In-order mode: accounts are the state's own slots, read and written in place. */
        private boolean direct;
        private int directSender;
        private int directRecipient;

        Worker(final TransactionWork work)
        {
            this.work = work;
        }

        void declare(final int i)
        {
            tx.wrap(txs.buffer(i), txs.offset(i), txs.length(i));
            if (tx.check(chainId) != ReceiptStatus.OK.value())
            {
                // The processor stops at the stateless checks and touches nothing.
                accessCount[i] = 0;
                return;
            }
            addresses.fromPublicKey(tx.buffer(), tx.publicKeyOffset(), address.byteArray(), 0);
            final int a = i * MAX_ACCESSES;
            resolve(a + SENDER, address, 0);
            if (tx.type() == TxTypes.TRANSFER)
            {
                resolve(a + RECIPIENT, tx.buffer(), tx.transferRecipientOffset());
                accessCount[i] = 2;
            }
            else if (DposDescriptor.isDpos(tx.type()) && state.dpos() == null)
            {
                // Rejected DPOS_DISABLED before the sender is even read: it touches nothing.
                accessCount[i] = 0;
            }
            else
            {
                accessCount[i] = 1;
                undeclared = true;
            }
        }

        private void resolve(final int a, final org.agrona.DirectBuffer buffer, final int offset)
        {
            final long w0 = buffer.getLong(offset, BE);
            final long w1 = buffer.getLong(offset + 8, BE);
            final int w2 = buffer.getInt(offset + 16, BE);
            accessWord0[a] = w0;
            accessWord1[a] = w1;
            accessWord2[a] = w2;
            accessSlot[a] = accounts.find(w0, w1, w2);
        }

        void executeTx(final int i)
        {
            current = i;
            directSender = NO_KEY;
            directRecipient = NO_KEY;
            tx.wrap(txs.buffer(i), txs.offset(i), txs.length(i));
            if (work != null)
            {
                workSink += work.perform(tx);
            }
            final int status = processor.execute(this, chainId, fees, tx, height);
            receipts.set(i, status, processor.feeCharged());
        }

        @Override
        public int sender(final TransactionFlyweight tx)
        {
            if (direct)
            {
                directSender = prefetcher.sender(tx);
                return directSender;
            }
            final int key = accessKey[current * MAX_ACCESSES + SENDER];
            if (key == NO_KEY)
            {
                return MISSING;
            }
            load(key);
            return key < base || newExists[key - base] ? key : MISSING;
        }

        @Override
        public int transferRecipient(final TransactionFlyweight tx)
        {
            if (direct)
            {
                directRecipient = accounts.findOrCreate(tx.buffer(), tx.transferRecipientOffset());
                return directRecipient;
            }
            final int key = accessKey[current * MAX_ACCESSES + RECIPIENT];
            load(key);
            if (key >= base && !newExists[key - base])
            {
                newExists[key - base] = true;
                createdKey[current] = key;
            }
            return key;
        }

        @Override
        public long balance(final int account)
        {
            return direct ? accounts.balance(account) : keyBalance[account];
        }

        @Override
        public long nonce(final int account)
        {
            return direct ? accounts.nonce(account) : keyNonce[account];
        }

        @Override
        public void balance(final int account, final long value)
        {
            if (direct)
            {
                accounts.balance(account, value);
            }
            else
            {
                keyBalance[account] = value;
                keyWritten[account] = epoch;
            }
        }

        @Override
        public void nonce(final int account, final long value)
        {
            if (direct)
            {
                accounts.nonce(account, value);
            }
            else
            {
                keyNonce[account] = value;
                keyWritten[account] = epoch;
            }
        }

        @Override
        public void addFeeDelta(final long fee)
        {
            feeDelta = Math.addExact(feeDelta, fee);
        }

        /**
         * DPoS types declare no access set (they all touch the one DPoS state), so a block holding one runs in order
         * on the state itself, where the DPoS state is reachable; never from a per-block copy.
         */
        @Override
        public DposState dpos()
        {
            return direct ? state.dpos() : null;
        }

        /**
         * Contract types declare no access set either (a rule may move CMT and tokens of any account), so a block
         * holding one runs in order on the state itself, where the contracts state is reachable.
         */
        @Override
        public ContractsState contracts()
        {
            return direct ? state.contracts() : null;
        }

        private void load(final int key)
        {
            // Transactions declaring a key run one at a time in block order, so the first to touch it loads it.
            if (keyLoaded[key] != epoch)
            {
                keyLoaded[key] = epoch;
                if (key < base)
                {
                    keyBalance[key] = accounts.balance(key);
                    keyNonce[key] = accounts.nonce(key);
                }
                else
                {
                    keyBalance[key] = 0;
                    keyNonce[key] = 0;
                }
            }
        }
    }
}
