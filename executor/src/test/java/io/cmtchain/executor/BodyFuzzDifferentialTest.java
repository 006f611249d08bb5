package io.cmtchain.executor;

import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.contracts.ContractBodies;
import io.cmtchain.engine.contracts.ContractsDescriptor;
import io.cmtchain.engine.contracts.ContractsState;
import io.cmtchain.engine.dpos.DposBodies;
import io.cmtchain.engine.dpos.DposDescriptor;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.engine.util.Hex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutated bodies of every transaction type, on a chain with DPoS and Smart Business Contracts, through the reference
 * executor and the parallel one on both schedulers. A transaction's body is whatever a client sends: a type's seed
 * body (valid, with live contract ids) with fields overwritten by edge values (0, -1, {@code Long.MIN_VALUE},
 * {@code Long.MAX_VALUE}, 2^62, known addresses and keys, live ids), or zeros and random bytes so overwritten, or a
 * body of the wrong length, or an unknown type; fees and nonces are sometimes wrong too.
 * <p>
 * The node stops on an execution that throws (a block every validator would fail to run halts the chain), so every such
 * block must execute: no exception escapes, both executors give equal receipts and state roots after every block
 * ({@link DifferentialChain}), CMT is conserved (the supply equals genesis plus minted minus slashed, and DPoS's
 * incremental totals match a walk of its records), and each token balances (holdings and locks equal minted minus
 * burned). The run must also commit transactions of most types, so that the mutations reach the rules and not only the
 * first check.
 */
class BodyFuzzDifferentialTest
{
    private static final int ACCOUNTS = 40;
    private static final int FOUNDATION = 5;
    private static final int CANDIDATES = 4;
    private static final int BLOCKS = 150;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final long[] EDGE_LONGS = {
        0, 1, -1, 2, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, 1L << 62, 1L << 63 >>> 1,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 0xFFFF_FFFFL, 1_000_000, 999_999, 1_000_001, 1_000_000_000_000L};
    private static final int[] EDGE_BYTES = {0, 1, 2, 0x7F, 0x80, 0xFF};
    /** Where some type's body has a field: the body offsets the descriptors name, so that edits land on fields. */
    private static final int[] FIELD_OFFSETS = fieldOffsets();

    @Test
    void shouldExecuteMutatedBodiesOfEveryTypeAlikeAndConserveValue()
    {
        final int[] committed = new int[TxTypes.MAX_CODE + 1];
        for (final ParallelExecutorContext.Scheduler scheduler : ParallelExecutorContext.Scheduler.values())
        {
            try (ParallelExecutor executor = new ParallelExecutor(new ParallelExecutorContext()
                .threads(2).scheduler(scheduler).minParallelBlock(0).minParallelSpeedup(0)))
            {
                for (long seed = 1; seed <= 3; seed++)
                {
                    new Run(seed).run(executor, committed);
                }
            }
        }
        final List<String> never = new ArrayList<>();
        int types = 0;
        for (int type = 0; type <= TxTypes.MAX_CODE; type++)
        {
            if (TxTypes.bodyLength(type) >= 0)
            {
                types++;
                if (committed[type] == 0)
                {
                    never.add(TxTypes.name(type));
                }
            }
        }
        // Some types need a sequence this fuzzer reaches rarely (evidence of a double signature, a settled dispute).
        assertTrue(never.size() <= types / 4, "types never committed: " + never);
    }

    private static int[] fieldOffsets()
    {
        final java.util.TreeSet<Integer> offsets = new java.util.TreeSet<>();
        for (final Class<?> descriptor : List.of(DposDescriptor.class, ContractsDescriptor.class,
            TransactionDescriptor.class))
        {
            for (final java.lang.reflect.Field field : descriptor.getFields())
            {
                final String name = field.getName();
                if (field.getType() == int.class && name.endsWith("_OFFSET") &&
                    (descriptor != TransactionDescriptor.class || name.startsWith("TRANSFER_")))
                {
                    try
                    {
                        offsets.add(field.getInt(null));
                    }
                    catch (final IllegalAccessException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                }
            }
        }
        return offsets.stream().mapToInt(Integer::intValue).toArray();
    }

    /** One chain's run: the live ids it has made so far and the transaction source. */
    private static final class Run
    {
        private final long seed;
        private final DifferentialChain chain = new DifferentialChain(ACCOUNTS);
        private final List<long[]> tokens = new ArrayList<>();
        private final List<long[]> escrows = new ArrayList<>();
        private final List<long[]> loans = new ArrayList<>();
        private final List<long[]> pools = new ArrayList<>();
        private final List<Object[]> pending = new ArrayList<>();
        private int blockIndex;
        private final byte[][] owners = new byte[CANDIDATES][];
        private final ChainState[] states = new ChainState[2];

        Run(final long seed)
        {
            this.seed = seed;
        }

        void run(final ParallelExecutor executor, final int[] committed)
        {
            final StringBuilder candidates = new StringBuilder();
            for (int i = 0; i < CANDIDATES; i++)
            {
                owners[i] = chain.keys[i].address();
                candidates.append(i == 0 ? "" : ",").append("{\"publicKey\":\"")
                    .append(Hex.encode(chain.keys[i].publicKey()))
                    .append("\",\"maxStakeMicroCmt\":1000000000,\"commissionPpm\":100000,\"stakeMicroCmt\":")
                    .append(100_000_000 + i).append('}');
            }
            final String sections = ",\"dpos\":{\"minDelegationMicroCmt\":1000,\"unbondingBlocks\":3," +
                "\"foundation\":\"" + Hex.encode(chain.keys[FOUNDATION].address()) + "\"," +
                "\"candidates\":[" + candidates + "]},\"contracts\":{\"maxScheduledActionsPerBlock\":5}";
            chain.run(chain.genesis(sections), executor, seed, BLOCKS, this::write,
                (state, height) ->
                {
                    remember(state);
                    checkConservation(state, "seed " + seed + " before block " + height);
                    state.dpos().beginBlock(height, owners, CANDIDATES);
                },
                (txs, receipts) ->
                {
                    for (int i = 0; i < txs.count(); i++)
                    {
                        final int type =
                            txs.buffer(i).getByte(txs.offset(i) + TransactionDescriptor.TYPE_OFFSET) & 0xFF;
                        if (receipts.status(i) == ReceiptStatus.OK.value())
                        {
                            committed[type]++;
                        }
                    }
                    created(receipts);
                    // A transaction rejected before its fee leaves its nonce unused: the next block's come from the
                    // state this one left.
                    for (int i = 0; i < ACCOUNTS; i++)
                    {
                        final int slot = states[0].accounts().find(new UnsafeBuffer(chain.keys[i].address()), 0);
                        chain.nonces[i] = slot < 0 ? 0 : states[0].accounts().nonce(slot);
                    }
                });
            for (final ChainState state : states)
            {
                checkConservation(state, "seed " + seed + " after the last block");
            }
        }

        private void remember(final ChainState state)
        {
            if (states[0] == null)
            {
                states[0] = state;
            }
            else if (states[0] != state && states[1] == null)
            {
                states[1] = state;
            }
        }

        private void checkConservation(final ChainState state, final String where)
        {
            assertEquals(state.dpos().heldMicroCmt(), state.dpos().auditHeldMicroCmt(), where);
            assertEquals(state.dpos().supplyMicroCmt(), state.totalSupplyMicroCmt(), where);
            assertNull(state.contracts().auditTokens(), where);
        }

        /** One transaction into {@code frames} at {@code offset}; returns its length. */
        private int write(final SplittableRandom random, final long height, final UnsafeBuffer frames, final int offset)
        {
            int type = knownType(random);
            final List<long[]> kind = live(type);
            final long[] target = kind == null || kind.isEmpty() || random.nextInt(8) == 0 ? null :
                kind.get(kind.size() - 1 - random.nextInt(Math.min(kind.size(), 8)));
            final int from = sender(random, type, target);
            final Ed25519Key key = chain.keys[from];
            final int a = random.nextInt(ACCOUNTS);
            final int b = random.nextInt(ACCOUNTS);
            byte[] body = seedBody(random, type, height, target == null ? id(random) : target[0], a, b, from);
            final int mutations = random.nextBoolean() ? 1 + random.nextInt(3) : 0;
            for (int m = 0; m < mutations; m++)
            {
                mutate(random, body, height);
            }
            final int shape = random.nextInt(60);
            if (shape == 0)
            {
                type = random.nextInt(TxTypes.MAX_CODE + 1);
            }
            else if (shape == 1)
            {
                body = Arrays.copyOf(body, Math.max(0, body.length + random.nextInt(17) - 8));
            }
            long fee = 10;
            final int feeShape = random.nextInt(40);
            if (feeShape == 0)
            {
                fee = EDGE_LONGS[random.nextInt(EDGE_LONGS.length)];
            }
            else if (feeShape == 1)
            {
                fee = 9;
            }
            final long nonce = random.nextInt(40) == 0 ? chain.nonces[from] + random.nextInt(3) - 1 :
                chain.nonces[from];
            if (nonce == chain.nonces[from])
            {
                chain.nonces[from]++;
            }
            final List<long[]> created = created(type);
            if (created != null)
            {
                // The contract's id and who may act on it: its creator, and the two accounts its body names.
                pending.add(new Object[] {blockIndex, created,
                    new long[] {ContractsState.contractId(key.address(), nonce), from, a, b}});
            }
            blockIndex++;
            return chain.builder.build(key, nonce, fee, random.nextInt(30) == 0 ? height - 1 : 0, type, body, 0,
                body.length, frames, offset);
        }

        /** After a block: keep the contracts whose creation committed. */
        private void created(final BlockReceipts receipts)
        {
            for (final Object[] p : pending)
            {
                if (receipts.status((Integer)p[0]) == ReceiptStatus.OK.value())
                {
                    @SuppressWarnings("unchecked") final List<long[]> list = (List<long[]>)p[1];
                    list.add((long[])p[2]);
                }
            }
            pending.clear();
            blockIndex = 0;
        }

        private List<long[]> created(final int type)
        {
            if (type == ContractsDescriptor.TOKEN_CREATE)
            {
                return tokens;
            }
            if (type == ContractsDescriptor.ESCROW_CREATE)
            {
                return escrows;
            }
            if (type == ContractsDescriptor.LOAN_OFFER)
            {
                return loans;
            }
            return type == ContractsDescriptor.INSURANCE_OPEN ? pools : null;
        }

        /** @return the live contracts a transaction of this type acts on, or null when it acts on none. */
        private List<long[]> live(final int type)
        {
            if (type >= ContractsDescriptor.TOKEN_TRANSFER && type <= ContractsDescriptor.TOKEN_FREEZE ||
                type == ContractsDescriptor.ESCROW_CREATE && tokens.size() > 0)
            {
                return tokens;
            }
            if (type >= ContractsDescriptor.ESCROW_RELEASE && type <= ContractsDescriptor.ESCROW_SETTLE)
            {
                return escrows;
            }
            if (type >= ContractsDescriptor.LOAN_ACCEPT && type <= ContractsDescriptor.LOAN_REPAY)
            {
                return loans;
            }
            if (type == ContractsDescriptor.INSURANCE_BUY || type == ContractsDescriptor.INSURANCE_APPROVE)
            {
                return pools;
            }
            return null;
        }

        /** Mostly someone entitled to send it: a party to its contract, a validator, the foundation. */
        private int sender(final SplittableRandom random, final int type, final long[] target)
        {
            if (random.nextInt(4) == 0)
            {
                return random.nextInt(ACCOUNTS);
            }
            if (target != null)
            {
                return (int)target[1 + random.nextInt(3)];
            }
            if (type == DposDescriptor.PROPOSE || type == DposDescriptor.VOTE ||
                type == DposDescriptor.UPDATE_CANDIDACY || type == DposDescriptor.ACTIVATE_CANDIDACY ||
                type == DposDescriptor.DEACTIVATE_CANDIDACY || type == DposDescriptor.SET_COMP_RATE)
            {
                return random.nextInt(CANDIDATES);
            }
            return type == DposDescriptor.VERIFY_CANDIDACY ? FOUNDATION : random.nextInt(ACCOUNTS);
        }

        private static int knownType(final SplittableRandom random)
        {
            while (true)
            {
                final int type = random.nextInt(ContractsDescriptor.LAST_TYPE + 1);
                // A withdrawn candidacy is for good: rarely, or the validators are soon gone.
                if (TxTypes.bodyLength(type) >= 0 &&
                    (type != DposDescriptor.WITHDRAW_CANDIDACY || random.nextInt(20) == 0))
                {
                    return type;
                }
            }
        }

        private byte[] seedBody(
            final SplittableRandom random, final int type, final long height, final long id, final int a, final int b,
            final int from)
        {
            final byte[] who = address(random, a);
            final long amount = 1 + random.nextInt(50_000);
            if (type == TxTypes.TRANSFER)
            {
                final byte[] body = new byte[TransactionDescriptor.TRANSFER_BODY_LENGTH];
                System.arraycopy(who, 0, body, 0, who.length);
                new UnsafeBuffer(body).putLong(TransactionDescriptor.TRANSFER_AMOUNT_OFFSET, amount, LE);
                return body;
            }
            if (type == DposDescriptor.DECLARE_CANDIDACY)
            {
                return DposBodies.declareCandidacy(chain.keys[from].publicKey(),
                    1_000_000 + random.nextInt(100_000_000), random.nextInt(1_000_001), new byte[random.nextInt(5)]);
            }
            if (type == DposDescriptor.UPDATE_CANDIDACY)
            {
                return DposBodies.updateCandidacy(1_000_000_000 + random.nextInt(100_000_000), new byte[3]);
            }
            if (type == DposDescriptor.VERIFY_CANDIDACY)
            {
                return DposBodies.verifyCandidacy(chain.keys[random.nextInt(CANDIDATES)].address(), random.nextInt(2));
            }
            if (type == DposDescriptor.SET_COMP_RATE)
            {
                return DposBodies.setCompRate(who, random.nextInt(8) == 0 ? random.nextInt(1_000_001) :
                    random.nextInt(100_000));
            }
            if (type == DposDescriptor.DELEGATE || type == DposDescriptor.WITHDRAW)
            {
                return DposBodies.stake(owners[random.nextInt(CANDIDATES)], 1_000 + amount);
            }
            if (type == DposDescriptor.DOUBLE_SIGN_EVIDENCE)
            {
                final Ed25519Key signer = chain.keys[random.nextInt(CANDIDATES)];
                final long at = Math.max(1, height - 1 - random.nextInt(3));
                final int chainId = DifferentialChain.CHAIN_ID;
                return DposBodies.doubleSignEvidence(signer.publicKey(),
                    DposBodies.signedHeader(signer, chainId, at, 1), DposBodies.signedHeader(signer, chainId, at, 2));
            }
            if (type == DposDescriptor.PROPOSE)
            {
                return random.nextBoolean() ? DposBodies.proposeChangeParam(1 + random.nextInt(12), amount) :
                    DposBodies.proposeTransferFund(who, address(random, b), amount);
            }
            if (type == DposDescriptor.VOTE)
            {
                // Proposals are numbered from 1.
                return DposBodies.vote(random.nextInt(8) == 0 ? id : 1 + random.nextInt(6), random.nextInt(2));
            }
            if (type == ContractsDescriptor.TOKEN_CREATE)
            {
                return ContractBodies.tokenCreate("Token " + random.nextInt(100), "TK" + random.nextInt(100),
                    random.nextInt(19), random.nextInt(8), random.nextInt(1_000_000));
            }
            if (type == ContractsDescriptor.TOKEN_TRANSFER || type == ContractsDescriptor.TOKEN_APPROVE ||
                type == ContractsDescriptor.TOKEN_MINT)
            {
                return ContractBodies.tokenMove(id, who, amount);
            }
            if (type == ContractsDescriptor.TOKEN_TRANSFER_FROM)
            {
                return ContractBodies.tokenTransferFrom(id, who, address(random, b), amount);
            }
            if (type == ContractsDescriptor.TOKEN_BURN)
            {
                return ContractBodies.tokenBurn(id, amount);
            }
            if (type == ContractsDescriptor.TOKEN_FREEZE)
            {
                return ContractBodies.tokenFreeze(id, who, random.nextInt(2));
            }
            if (type == ContractsDescriptor.ESCROW_CREATE)
            {
                return ContractBodies.escrowCreate(who, random.nextBoolean() ? address(random, b) : new byte[20],
                    random.nextInt(3) == 0 ? id : 0, amount, height + random.nextInt(6));
            }
            if (type == ContractsDescriptor.ESCROW_SETTLE)
            {
                return ContractBodies.escrowSettle(id, random.nextInt(50_000));
            }
            if (type == ContractsDescriptor.LOAN_OFFER)
            {
                return ContractBodies.loanOffer(who, amount, random.nextInt(200_000), 1 + random.nextInt(4),
                    1 + random.nextInt(3), random.nextInt(3), random.nextInt(100));
            }
            if (type == ContractsDescriptor.INSURANCE_OPEN)
            {
                return ContractBodies.insuranceOpen(who, 1 + random.nextInt(100), 1 + random.nextInt(1_000),
                    1_000 + random.nextInt(10_000), random.nextInt(20_000), height + 1 + random.nextInt(5),
                    height + 6 + random.nextInt(10));
            }
            if (type == ContractsDescriptor.INSURANCE_APPROVE)
            {
                return ContractBodies.insuranceApprove(id, address(random, b), random.nextInt(3), amount);
            }
            final int length = TxTypes.bodyLength(type);
            if (length == 8)
            {
                // ESCROW_RELEASE, ESCROW_CLAIM, ESCROW_DISPUTE, LOAN_ACCEPT, LOAN_CANCEL, LOAN_REPAY, INSURANCE_BUY
                final byte[] body = new byte[8];
                new UnsafeBuffer(body).putLong(0, id, LE);
                return body;
            }
            // The bodiless candidacy changes.
            return new byte[length];
        }

        private void mutate(final SplittableRandom random, final byte[] body, final long height)
        {
            if (body.length == 0)
            {
                return;
            }
            final UnsafeBuffer b = new UnsafeBuffer(body);
            switch (random.nextInt(6))
            {
                case 0:
                case 1:
                    if (body.length >= 8)
                    {
                        final long value = random.nextInt(8) == 0 ? height + random.nextInt(3) - 1 :
                            EDGE_LONGS[random.nextInt(EDGE_LONGS.length)];
                        b.putLong(position(random, body.length, 8), value, LE);
                    }
                    break;
                case 2:
                    if (body.length >= 4)
                    {
                        b.putInt(position(random, body.length, 4), (int)EDGE_LONGS[random.nextInt(EDGE_LONGS.length)],
                            LE);
                    }
                    break;
                case 3:
                    body[position(random, body.length, 1)] = (byte)EDGE_BYTES[random.nextInt(EDGE_BYTES.length)];
                    break;
                case 4:
                    if (body.length >= 20)
                    {
                        b.putBytes(position(random, body.length, 20), address(random));
                    }
                    break;
                default:
                    body[random.nextInt(body.length)] ^= (byte)(1 << random.nextInt(8));
                    break;
            }
        }

        /** Mostly where some type has a field, else anywhere; {@code width} bytes from it fit in the body. */
        private static int position(final SplittableRandom random, final int length, final int width)
        {
            if (random.nextInt(4) != 0)
            {
                for (int tries = 0; tries < 8; tries++)
                {
                    final int offset = FIELD_OFFSETS[random.nextInt(FIELD_OFFSETS.length)];
                    if (offset + width <= length)
                    {
                        return offset;
                    }
                }
            }
            return random.nextInt(length - width + 1);
        }

        private byte[] address(final SplittableRandom random)
        {
            return address(random, random.nextInt(ACCOUNTS));
        }

        private byte[] address(final SplittableRandom random, final int account)
        {
            return random.nextInt(20) == 0 ? new byte[20] : chain.keys[account].address();
        }

        /** An id of no contract of the kind wanted: another kind's, a small number or a random one. */
        private long id(final SplittableRandom random)
        {
            final List<long[]> any = List.of(tokens, escrows, loans, pools).get(random.nextInt(4));
            if (!any.isEmpty() && random.nextBoolean())
            {
                return any.get(random.nextInt(any.size()))[0];
            }
            return random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(6);
        }
    }
}
