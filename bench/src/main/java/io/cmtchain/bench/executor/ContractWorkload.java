package io.cmtchain.bench.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.contracts.ContractBodies;
import io.cmtchain.engine.contracts.ContractsDescriptor;
import io.cmtchain.engine.contracts.ContractsState;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.state.FeeSchedule;
import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A Smart Business Contracts workload ({@code sbc}) for the executor benchmark. Share of each block's transactions:
 * <ul>
 *   <li>50% TOKEN_TRANSFER of a sender's token to a random account of all {@code accounts};</li>
 *   <li>20% escrow: ESCROW_CREATE (CMT, to a random seller) followed in the same block by its ESCROW_RELEASE;</li>
 *   <li>20% CMT TRANSFER to a random account;</li>
 *   <li>10% loans and insurance: LOAN_OFFER then the borrower's LOAN_ACCEPT (2 instalments, due 2 and 4 blocks
 *       later, run by the scheduler at block end), or INSURANCE_OPEN then another account's INSURANCE_BUY.</li>
 * </ul>
 * Senders are the first {@code min(accounts, 10,000)} accounts. Setup, run by {@link #createState()} before any
 * measured block and checked to commit: 100 issuers create a token each (block 1), then every other sender receives
 * the token of issuer {@code sender mod 100} (block 2). Every transaction of every block commits (OK); the benchmark
 * checks every receipt. Frames are unsigned, like {@link ExecutorWorkload}'s: executors run after verification.
 */
public final class ContractWorkload implements BenchWorkload
{
    static final int MAX_SENDERS = 10_000;
    static final int ISSUERS = 100;
    static final int SETUP_BLOCKS = 2;
    static final int MAX_ACTIONS_PER_BLOCK = 1_000;
    private static final int MAX_FRAME_LENGTH = 256;
    private static final long TOKEN_SUPPLY = 1_000_000_000_000_000L;
    private static final long HOLDER_TOKENS = 1_000_000_000L;

    private final int accounts;
    private final int blockSize;
    private final int blocks;
    private final int senders;
    private final int issuers;
    private final byte[][] publicKeys;
    private final byte[][] addresses;
    private final long[] nonces;
    private final long[] tokenOfIssuer;
    private final Block[] setup = new Block[SETUP_BLOCKS];
    private final Block[] measured;

    /** One block's frames. */
    private static final class Block
    {
        final UnsafeBuffer frames;
        final int[] offsets;
        final int[] lengths;
        int count;
        int end;

        Block(final int capacity)
        {
            frames = new UnsafeBuffer(new byte[capacity * MAX_FRAME_LENGTH]);
            offsets = new int[capacity];
            lengths = new int[capacity];
        }
    }

    /**
     * @param accounts  accounts that hold CMT and receive; at least 2.
     * @param blockSize transactions per measured block; at least 2.
     * @param blocks    measured (and warm-up) blocks to generate.
     * @param seed      of the random choices.
     */
    public ContractWorkload(final int accounts, final int blockSize, final int blocks, final long seed)
    {
        if (accounts < 2 || blockSize < 2)
        {
            throw new IllegalArgumentException("the sbc workload needs at least 2 accounts and blocks of at least 2");
        }
        this.accounts = accounts;
        this.blockSize = blockSize;
        this.blocks = blocks;
        senders = Math.min(accounts, MAX_SENDERS);
        issuers = Math.min(ISSUERS, senders);
        publicKeys = new byte[accounts][];
        addresses = new byte[accounts][];
        final Sha256 sha = new Sha256();
        for (int i = 0; i < accounts; i++)
        {
            sha.update("cmt-bench-account".getBytes(StandardCharsets.US_ASCII)).updateLong(i);
            publicKeys[i] = sha.digest();
            addresses[i] = Addresses.of(publicKeys[i]);
        }
        nonces = new long[accounts];
        tokenOfIssuer = new long[issuers];

        setup[0] = new Block(issuers);
        for (int i = 0; i < issuers; i++)
        {
            tokenOfIssuer[i] = ContractsState.contractId(addresses[i], nonces[i]);
            add(setup[0], i, ContractsDescriptor.TOKEN_CREATE,
                ContractBodies.tokenCreate("Bench" + i, "B" + i, 0, 0, TOKEN_SUPPLY));
        }
        setup[1] = new Block(Math.max(1, senders - issuers));
        for (int s = issuers; s < senders; s++)
        {
            final int issuer = s % issuers;
            add(setup[1], issuer, ContractsDescriptor.TOKEN_TRANSFER,
                ContractBodies.tokenMove(tokenOfIssuer[issuer], addresses[s], HOLDER_TOKENS));
        }

        final SplittableRandom random = new SplittableRandom(seed);
        measured = new Block[blocks];
        for (int b = 0; b < blocks; b++)
        {
            final long height = SETUP_BLOCKS + b + 1L;
            final Block block = new Block(blockSize);
            measured[b] = block;
            while (block.count < blockSize)
            {
                // Operation weights 50 : 20 : 10 : 5 of 85, the last two of two transactions each: 50/20/20/10 %.
                final int r = random.nextInt(85);
                final int s = random.nextInt(senders);
                if (r < 50 || block.count == blockSize - 1)
                {
                    add(block, s, ContractsDescriptor.TOKEN_TRANSFER, ContractBodies.tokenMove(
                        tokenOfIssuer[s % issuers], addresses[other(random, s, accounts)], 1 + random.nextInt(10)));
                }
                else if (r < 70)
                {
                    add(block, s, TxTypes.TRANSFER, transferBody(addresses[other(random, s, accounts)],
                        1 + random.nextInt(1000)));
                }
                else if (r < 80)
                {
                    final long escrow = ContractsState.contractId(addresses[s], nonces[s]);
                    add(block, s, ContractsDescriptor.ESCROW_CREATE, ContractBodies.escrowCreate(
                        addresses[other(random, s, accounts)], new byte[20], 0, 1 + random.nextInt(1000),
                        height + 1_000_000));
                    add(block, s, ContractsDescriptor.ESCROW_RELEASE, ContractBodies.escrowAction(escrow));
                }
                else if (random.nextBoolean())
                {
                    final int borrower = other(random, s, senders);
                    final long loan = ContractsState.contractId(addresses[s], nonces[s]);
                    add(block, s, ContractsDescriptor.LOAN_OFFER, ContractBodies.loanOffer(addresses[borrower],
                        10_000 + random.nextInt(10_000), 1_000, 2, 2, 1, 0));
                    add(block, borrower, ContractsDescriptor.LOAN_ACCEPT, ContractBodies.loanAction(loan));
                }
                else
                {
                    final int holder = other(random, s, senders);
                    final long pool = ContractsState.contractId(addresses[s], nonces[s]);
                    add(block, s, ContractsDescriptor.INSURANCE_OPEN, ContractBodies.insuranceOpen(
                        addresses[other(random, s, accounts)], 100, 1_000, 2_000, 10_000, height + 1_000,
                        height + 2_000));
                    add(block, holder, ContractsDescriptor.INSURANCE_BUY, ContractBodies.insuranceBuy(pool));
                }
            }
        }
    }

    private static int other(final SplittableRandom random, final int not, final int bound)
    {
        int o = random.nextInt(bound - 1);
        if (o >= not)
        {
            o++;
        }
        return o;
    }

    private static byte[] transferBody(final byte[] to, final long amount)
    {
        final byte[] body = new byte[TransactionDescriptor.TRANSFER_BODY_LENGTH];
        System.arraycopy(to, 0, body, 0, Addresses.LENGTH);
        new UnsafeBuffer(body).putLong(Addresses.LENGTH, amount, ByteOrder.LITTLE_ENDIAN);
        return body;
    }

    private void add(final Block block, final int sender, final int type, final byte[] body)
    {
        final int length = TransactionBuilder.encodeUnsigned(block.frames, block.end, ExecutorWorkload.CHAIN_ID,
            publicKeys[sender], nonces[sender]++, ExecutorWorkload.MIN_FEE_MICRO_CMT, 0, type, body, 0, body.length);
        block.offsets[block.count] = block.end;
        block.lengths[block.count] = length;
        block.count++;
        block.end += length;
    }

    @Override
    public int accounts()
    {
        return accounts;
    }

    @Override
    public int blockSize()
    {
        return blockSize;
    }

    @Override
    public int blocks()
    {
        return blocks;
    }

    @Override
    public long firstHeight()
    {
        return SETUP_BLOCKS + 1;
    }

    /**
     * @return the funded accounts with contracts enabled, after the setup blocks (run with the reference executor;
     *         every setup transaction must commit).
     * @throws IllegalStateException if a setup transaction does not commit.
     */
    @Override
    public ChainState createState()
    {
        final ChainState state = new ChainState(ExecutorWorkload.CHAIN_ID, ExecutorWorkload.TREE_DEPTH,
            Math.max(1024, accounts * 2), new FeeSchedule(ExecutorWorkload.MIN_FEE_MICRO_CMT), 42);
        final UnsafeBuffer address = new UnsafeBuffer(new byte[Addresses.LENGTH]);
        for (int i = 0; i < accounts; i++)
        {
            address.putBytes(0, addresses[i]);
            state.accounts().balance(state.accounts().findOrCreate(address, 0), ExecutorWorkload.BALANCE_MICRO_CMT);
        }
        state.contracts(new ContractsState(MAX_ACTIONS_PER_BLOCK));
        state.endBlock();
        final ReferenceExecutor executor = new ReferenceExecutor();
        for (int b = 0; b < SETUP_BLOCKS; b++)
        {
            final BlockTransactions txs = new BlockTransactions(Math.max(1, setup[b].count));
            fill(setup[b], txs);
            final BlockReceipts receipts = new BlockReceipts(Math.max(1, setup[b].count));
            executor.execute(state, b + 1, txs, receipts);
            state.endBlock();
            requireCommitted("setup block " + (b + 1), txs, receipts);
        }
        return state;
    }

    @Override
    public void fill(final int block, final BlockTransactions txs)
    {
        fill(measured[block], txs);
    }

    private static void fill(final Block block, final BlockTransactions txs)
    {
        txs.reset();
        final byte[] noHash = new byte[32];
        for (int i = 0; i < block.count; i++)
        {
            txs.add(block.frames, block.offsets[i], block.lengths[i], noHash, 0);
        }
    }

    /**
     * @param what     names the block in the error.
     * @param txs      the block.
     * @param receipts its receipts.
     * @throws IllegalStateException naming the first transaction that did not commit.
     */
    static void requireCommitted(final String what, final BlockTransactions txs, final BlockReceipts receipts)
    {
        for (int i = 0; i < txs.count(); i++)
        {
            if (receipts.status(i) != ReceiptStatus.OK.value())
            {
                final int type = txs.buffer(i).getByte(txs.offset(i) + TransactionDescriptor.TYPE_OFFSET) & 0xFF;
                throw new IllegalStateException(what + ": transaction " + i + " of type " + type + " failed with " +
                    "status " + receipts.status(i) + ": the workload is broken");
            }
        }
    }
}
