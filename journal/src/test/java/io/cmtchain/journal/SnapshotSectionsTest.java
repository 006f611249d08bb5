package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.contracts.ContractBodies;
import io.cmtchain.engine.contracts.ContractsDescriptor;
import io.cmtchain.engine.contracts.ContractsState;
import io.cmtchain.engine.dpos.DposBodies;
import io.cmtchain.engine.dpos.DposDescriptor;
import io.cmtchain.engine.dpos.DposParams;
import io.cmtchain.engine.dpos.ScenarioKeys;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots of a chain with DPoS and Smart Business Contracts: candidates, delegations, unbonding entries, an open
 * proposal, a token with holdings and an allowance, open and disputed escrows, a loan with scheduled instalments and
 * an insurance pool are written, loaded to the same state root, and the loaded chain then goes on block for block
 * exactly as the original (scheduled actions, unbonding payouts and the proposal's tally included).
 */
class SnapshotSectionsTest
{
    private static final int CHAIN_ID = 7;
    private static final long FEE = 100;
    private static final long BALANCE = 1_000_000_000_000L;
    private static final String[] ACCOUNTS = {"alice", "bob", "carol", "dave", "erin", "v1", "v2"};
    private static final int OK = ReceiptStatus.OK.value();

    @TempDir
    Path dir;

    private final TransactionBuilder builder = new TransactionBuilder(CHAIN_ID);
    private final Map<String, Long> nonces = new HashMap<>();

    static String genesisJson(final boolean dpos, final boolean contracts)
    {
        final StringBuilder accounts = new StringBuilder();
        for (final String a : ACCOUNTS)
        {
            accounts.append(accounts.length() == 0 ? "" : ",").append("{\"address\":\"").append(Hex.encode(address(a)))
                .append("\",\"balanceMicroCmt\":").append(BALANCE).append('}');
        }
        return "{\"chainId\":" + CHAIN_ID + ",\"stateTreeDepth\":2,\"fees\":{\"minimumMicroCmt\":" + FEE + "}," +
            "\"accounts\":[" + accounts + "],\"validators\":[{\"publicKey\":\"" +
            Hex.encode(ScenarioKeys.key("v1").publicKey()) + "\"}]" +
            (dpos ? ",\"dpos\":{\"maxValidators\":2,\"maxBackups\":1,\"unbondingBlocks\":4," +
            "\"proposalExpiryBlocks\":30,\"candidates\":[" + candidate("v1") + "," + candidate("v2") + "]}" : "") +
            (contracts ? ",\"contracts\":{\"maxScheduledActionsPerBlock\":2}" : "") + "}";
    }

    private static String candidate(final String label)
    {
        return "{\"publicKey\":\"" + Hex.encode(ScenarioKeys.key(label).publicKey()) +
            "\",\"maxStakeMicroCmt\":100000000000,\"commissionPpm\":100000,\"stakeMicroCmt\":20000000000}";
    }

    private static byte[] address(final String label)
    {
        return ScenarioKeys.key(label).address();
    }

    @Test
    void shouldRestoreDposAndContractsAndGoOnLikeTheOriginal()
    {
        final String json = genesisJson(true, true);
        final Genesis genesis = Genesis.parse(json);
        final Chain original = new Chain(genesis.createState(7), 0, new byte[32]);
        final long[] ids = buildRichState(original);
        final long token = ids[0];
        final long escrow1 = ids[1];
        final long escrow2 = ids[2];
        final long loan = ids[3];
        final long pool = ids[4];
        final ContractsState contracts = original.state().contracts();
        assertEquals(ContractsState.ESCROW_DISPUTED, contracts.escrowStatus(escrow2));
        assertEquals(ContractsState.LOAN_ACTIVE, contracts.loanStatus(loan));
        assertTrue(contracts.scheduledCount() >= 3, "escrow deadline, loan instalment, pool expiry");

        final SnapshotStore store = new SnapshotStore(new DataDirectory(dir), SnapshotStore.genesisHash(json), 1, 2);
        final Path file = store.write(original);
        final Snapshot snapshot = store.load(file, genesis, 12345);
        assertArrayEquals(original.state().stateRoot(), snapshot.state().stateRoot());
        assertArrayEquals(original.state().stateRoot(), snapshot.stateRoot());
        final Chain restored = snapshot.toChain();
        assertEquals(original.height(), restored.height());
        assertEquals(original.state().dpos().height(), restored.state().dpos().height());
        restored.state().dpos().auditHeldMicroCmt();
        assertEquals(original.state().totalSupplyMicroCmt(), restored.state().totalSupplyMicroCmt());

        // A second snapshot of the restored chain holds the same bytes as the first: the encoding is deterministic.
        final SnapshotStore other = new SnapshotStore(new DataDirectory(dir.resolve("other")),
            SnapshotStore.genesisHash(json), 1, 2);
        assertArrayEquals(readAll(file), readAll(other.write(restored)));

        // The same blocks on both: every receipt and every root agree, and the schedule survived the snapshot.
        for (int b = 0; b < 14; b++)
        {
            final List<byte[]> frames = new ArrayList<>();
            frames.add(tx("dave", TxTypes.TRANSFER, transferBody(address("erin"), 1_000 + b)));
            if (b == 1)
            {
                frames.add(tx("v1", DposDescriptor.VOTE, DposBodies.vote(1, 1)));
            }
            if (b == 3)
            {
                frames.add(tx("carol", ContractsDescriptor.ESCROW_SETTLE,
                    ContractBodies.escrowSettle(escrow2, 500_000)));
                frames.add(tx("bob", ContractsDescriptor.TOKEN_TRANSFER, ContractBodies.tokenMove(token,
                    address("erin"), 10)));
            }
            final int[] a = apply(original, frames);
            final int[] r = apply(restored, frames);
            assertArrayEquals(a, r, "statuses of block " + original.height());
            for (final int s : a)
            {
                assertEquals(OK, s, "block " + original.height());
            }
            assertArrayEquals(original.state().stateRoot(), restored.state().stateRoot(), "root of block " +
                original.height());
            assertEquals(original.state().contracts().actionCount(), restored.state().contracts().actionCount());
        }
        final ContractsState after = restored.state().contracts();
        assertEquals(ContractsState.ESCROW_AUTO_RELEASED, after.escrowStatus(escrow1));
        assertEquals(ContractsState.ESCROW_SETTLED, after.escrowStatus(escrow2));
        assertEquals(ContractsState.LOAN_REPAID, after.loanStatus(loan));
        assertEquals(3, after.loanPaidCount(loan));
        assertTrue(after.poolClosed(pool));
        assertEquals(2, restored.state().dpos().params().get(DposParams.MAX_BACKUPS), "the proposal passed");
        assertEquals(null, after.auditTokens());
        restored.state().dpos().auditHeldMicroCmt();
    }

    @Test
    void shouldRefuseSnapshotWhoseSectionsDifferFromTheGenesis()
    {
        final String json = genesisJson(true, true);
        final Chain chain = new Chain(Genesis.parse(json).createState(7), 0, new byte[32]);
        buildRichState(chain);
        final SnapshotStore store = new SnapshotStore(new DataDirectory(dir), SnapshotStore.genesisHash(json), 1, 2);
        final Path file = store.write(chain);

        final SnapshotException noContracts = assertThrows(SnapshotException.class,
            () -> store.load(file, Genesis.parse(genesisJson(true, false)), 1));
        assertTrue(noContracts.getMessage().contains("holds DPoS and contracts state but the genesis enables DPoS " +
            "state only"), noContracts.getMessage());

        // A snapshot of a chain without them never restores a chain that has them.
        final String plainJson = genesisJson(false, false);
        final Chain plain = new Chain(Genesis.parse(plainJson).createState(7), 0, new byte[32]);
        apply(plain, List.of(tx("alice", TxTypes.TRANSFER, transferBody(address("bob"), 5))));
        final SnapshotStore plainStore = new SnapshotStore(new DataDirectory(dir.resolve("plain")),
            SnapshotStore.genesisHash(plainJson), 1, 2);
        final Path plainFile = plainStore.write(plain);
        final SnapshotException missing = assertThrows(SnapshotException.class,
            () -> plainStore.load(plainFile, Genesis.parse(genesisJson(false, true)), 1));
        assertTrue(missing.getMessage().contains("holds neither DPoS nor contracts state but the genesis enables " +
            "contracts state only"), missing.getMessage());
        assertNotEquals(null, plainStore.load(plainFile, Genesis.parse(plainJson), 1));
    }

    @Test
    void shouldRefuseForgedSectionsWhoseChecksumIsRight() throws IOException
    {
        final String json = genesisJson(true, true);
        final Genesis genesis = Genesis.parse(json);
        final Chain chain = new Chain(genesis.createState(7), 0, new byte[32]);
        buildRichState(chain);
        final SnapshotStore store = new SnapshotStore(new DataDirectory(dir), SnapshotStore.genesisHash(json), 1, 2);
        final Path written = store.write(chain);
        final long height = SnapshotStore.heightOf(written);
        final Path original = Files.move(written, written.resolveSibling("original"));
        final ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        // The account count is the header's long at 32; the first section's length follows the accounts.
        final long count = new UnsafeBuffer(Files.readAllBytes(original)).getLong(32, le);
        final int firstSection = (int)(SnapshotStore.HEADER_LENGTH + count * SnapshotStore.ACCOUNT_LENGTH);

        final Path unknown = SnapshotStoreTest.forged(original, height, b -> b.putInt(12, b.getInt(12, le) | 4, le));
        assertEquals(unknown.getFileName() + ": unknown sections 7", assertThrows(SnapshotException.class,
            () -> store.load(unknown, genesis, 1)).getMessage());

        final Path tooLong = SnapshotStoreTest.forged(original, height, b -> b.putInt(firstSection, 1 << 30, le));
        assertEquals(tooLong.getFileName() + ": section of " + (1 << 30) + " bytes does not fit",
            assertThrows(SnapshotException.class, () -> store.load(tooLong, genesis, 1)).getMessage());

        final Path negative = SnapshotStoreTest.forged(original, height, b -> b.putInt(firstSection, -1, le));
        assertEquals(negative.getFileName() + ": section of -1 bytes does not fit",
            assertThrows(SnapshotException.class, () -> store.load(negative, genesis, 1)).getMessage());

        // The DPoS section four bytes longer, with four zeros at its end: its decoder leaves them.
        final int dposLength = new UnsafeBuffer(Files.readAllBytes(original)).getInt(firstSection, le);
        final int dposEnd = firstSection + 4 + dposLength;
        final Path longer = SnapshotStoreTest.forgedBytes(original, height, bytes ->
        {
            final byte[] more = insert(bytes, dposEnd, 4);
            new UnsafeBuffer(more).putInt(firstSection, dposLength + 4, le);
            return more;
        });
        assertEquals(longer.getFileName() + ": DPoS state: 4 bytes left after the DPoS state",
            assertThrows(SnapshotException.class, () -> store.load(longer, genesis, 1)).getMessage());

        // Four bytes after the last section, and the contracts section cut off whole.
        final Path trailing =
            SnapshotStoreTest.forgedBytes(original, height, bytes -> insert(bytes, bytes.length - 4, 4));
        assertEquals(trailing.getFileName() + ": 4 bytes after its sections",
            assertThrows(SnapshotException.class, () -> store.load(trailing, genesis, 1)).getMessage());
        final Path cut = SnapshotStoreTest.forgedBytes(original, height, bytes ->
        {
            final byte[] fewer = Arrays.copyOf(bytes, dposEnd + 4);
            System.arraycopy(bytes, bytes.length - 4, fewer, dposEnd, 4);
            return fewer;
        });
        assertEquals(cut.getFileName() + ": truncated section",
            assertThrows(SnapshotException.class, () -> store.load(cut, genesis, 1)).getMessage());

        // Unchanged, it loads.
        assertEquals(height, store.load(SnapshotStoreTest.forged(original, height, b ->
        {
        }), genesis, 1).height());
    }

    /** {@code bytes} with {@code count} zeros inserted at {@code at}. */
    private static byte[] insert(final byte[] bytes, final int at, final int count)
    {
        final byte[] more = new byte[bytes.length + count];
        System.arraycopy(bytes, 0, more, 0, at);
        System.arraycopy(bytes, at, more, at + count, bytes.length - at);
        return more;
    }

    /** @return ids of {token, escrow1 (open), escrow2 (disputed), loan (active), pool}. */
    private long[] buildRichState(final Chain chain)
    {
        final long token = id("alice");
        final List<byte[]> b1 = new ArrayList<>();
        b1.add(tx("alice", ContractsDescriptor.TOKEN_CREATE, ContractBodies.tokenCreate("Points", "PTS", 2,
            ContractsDescriptor.KNOWN_FLAGS, 1_000_000_000L)));
        b1.add(tx("carol", DposDescriptor.DECLARE_CANDIDACY, DposBodies.declareCandidacy(
            ScenarioKeys.key("carol").publicKey(), 50_000_000_000L, 150_000,
            "carol".getBytes(StandardCharsets.US_ASCII))));
        b1.add(tx("alice", DposDescriptor.DELEGATE, DposBodies.stake(address("v1"), 5_000_000_000L)));
        final long escrow1 = id("bob");
        b1.add(tx("bob", ContractsDescriptor.ESCROW_CREATE, ContractBodies.escrowCreate(address("carol"), new byte[20],
            0, 1_000_000, 9)));
        final long loan = id("alice");
        b1.add(tx("alice", ContractsDescriptor.LOAN_OFFER, ContractBodies.loanOffer(address("dave"), 3_000_000, 10_000,
            3, 3, 1, 1_000)));
        final long pool = id("bob");
        b1.add(tx("bob", ContractsDescriptor.INSURANCE_OPEN, ContractBodies.insuranceOpen(address("carol"), 100_000,
            1_000_000, 2_000_000, 5_000_000, 10, 14)));
        assertAllOk(apply(chain, b1));

        final List<byte[]> b2 = new ArrayList<>();
        b2.add(tx("alice", DposDescriptor.WITHDRAW, DposBodies.stake(address("v1"), 2_000_000_000L)));
        b2.add(tx("erin", DposDescriptor.DELEGATE, DposBodies.stake(address("v2"), 3_000_000_000L)));
        b2.add(tx("alice", ContractsDescriptor.TOKEN_TRANSFER, ContractBodies.tokenMove(token, address("bob"), 5_000)));
        b2.add(tx("alice", ContractsDescriptor.TOKEN_APPROVE, ContractBodies.tokenMove(token, address("carol"), 100)));
        b2.add(tx("dave", ContractsDescriptor.LOAN_ACCEPT, ContractBodies.loanAction(loan)));
        b2.add(tx("dave", ContractsDescriptor.INSURANCE_BUY, ContractBodies.insuranceBuy(pool)));
        b2.add(tx("v1", DposDescriptor.PROPOSE, DposBodies.proposeChangeParam(DposParams.MAX_BACKUPS, 2)));
        final long escrow2 = id("erin");
        b2.add(tx("erin", ContractsDescriptor.ESCROW_CREATE, ContractBodies.escrowCreate(address("dave"),
            address("carol"), 0, 2_000_000, 20)));
        assertAllOk(apply(chain, b2));

        final List<byte[]> b3 = new ArrayList<>();
        b3.add(tx("v2", DposDescriptor.VOTE, DposBodies.vote(1, 1)));
        b3.add(tx("erin", ContractsDescriptor.ESCROW_DISPUTE, ContractBodies.escrowAction(escrow2)));
        b3.add(tx("alice", DposDescriptor.WITHDRAW, DposBodies.stake(address("v1"), 1_000_000_000L)));
        b3.add(tx("bob", ContractsDescriptor.TOKEN_BURN, ContractBodies.tokenBurn(token, 100)));
        assertAllOk(apply(chain, b3));
        return new long[] {token, escrow1, escrow2, loan, pool};
    }

    private static void assertAllOk(final int[] statuses)
    {
        for (int i = 0; i < statuses.length; i++)
        {
            assertEquals(OK, statuses[i], "transaction " + i + " of the setup");
        }
    }

    /** @return the id the sender's next transaction would give a contract it creates. */
    private long id(final String label)
    {
        return ContractsState.contractId(address(label), nonces.getOrDefault(label, 0L));
    }

    private byte[] tx(final String label, final int type, final byte[] body)
    {
        final long nonce = nonces.getOrDefault(label, 0L);
        nonces.put(label, nonce + 1);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int length = builder.build(ScenarioKeys.key(label), nonce, FEE, 0, type, body, 0, body.length, buffer, 0);
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    private static byte[] transferBody(final byte[] to, final long amount)
    {
        final byte[] body = new byte[28];
        System.arraycopy(to, 0, body, 0, 20);
        new UnsafeBuffer(body).putLong(20, amount, java.nio.ByteOrder.LITTLE_ENDIAN);
        return body;
    }

    /** Run a block on a chain; with DPoS, these candidates are reported as signers of the previous block. */
    private static int[] apply(final Chain chain, final List<byte[]> frames)
    {
        final byte[][] signers = {address("v1"), address("v2"), address("carol")};
        final BlockTransactions txs = new BlockTransactions(Math.max(1, frames.size()));
        final Sha256 sha = new Sha256();
        for (final byte[] frame : frames)
        {
            txs.add(new UnsafeBuffer(frame), 0, frame.length, sha);
        }
        final BlockReceipts receipts = new BlockReceipts(Math.max(1, frames.size()));
        chain.apply(1_000 * (chain.height() + 1), new byte[20], signers, signers.length, txs, new ReferenceExecutor(),
            receipts, new BlockHeader());
        final int[] statuses = new int[frames.size()];
        for (int i = 0; i < statuses.length; i++)
        {
            statuses[i] = receipts.status(i);
        }
        return statuses;
    }

    private static byte[] readAll(final Path file)
    {
        try
        {
            final byte[] bytes = java.nio.file.Files.readAllBytes(file);
            // The header hash, genesis hash and root are equal too; only the file is compared whole.
            return bytes;
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
