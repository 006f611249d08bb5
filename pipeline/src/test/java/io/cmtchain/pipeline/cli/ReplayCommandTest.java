package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.block.BlockCommit;
import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import io.cmtchain.journal.ChronicleBlockJournal;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.journal.JournalContext;
import io.cmtchain.pipeline.NodeContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayCommandTest
{
    private static final String GENESIS = "{\"chainId\":1001,\"devnet\":{\"accounts\":20," +
        "\"balanceMicroCmt\":1000000000000,\"validators\":4},\"fees\":{\"minimumMicroCmt\":100}}";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;
    private final List<String> committed = new ArrayList<>();
    private final List<String> rejected = new ArrayList<>();
    private final List<String> all = new ArrayList<>();

    @BeforeEach
    void redirect()
    {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore()
    {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    @Test
    void shouldReplayAValidJournalAndFindExpectedTransactions() throws Exception
    {
        writeChain(12, 15);
        final Path expect = dir.resolve("expect.txt");
        Files.write(expect, committed);

        final int status = CmtMain.execute("replay", "--data", dir.toString(), "--expect", expect.toString(),
            "--verify-threads", "1");

        assertEquals(0, status, err.toString());
        assertTrue(out.toString().contains("replay OK: 12 blocks, 180 transactions"), out.toString());
        assertTrue(out.toString().contains("expect OK: all " + committed.size()), out.toString());
        assertTrue(out.toString().contains("signatures OK: all 180 verify (ZIP-215, checked on 1 thread)"),
            out.toString());
    }

    @Test
    void shouldSayWhyTheJournalIndexWasRebuiltAndSayNothingWhenItWasNot() throws Exception
    {
        writeChain(12, 15);
        assertEquals(0, CmtMain.execute("replay", "--data", dir.toString()), err.toString());
        assertFalse(out.toString().contains("index rebuilt"), out.toString());
        final int cores = Runtime.getRuntime().availableProcessors();
        assertTrue(out.toString().contains("verify (ZIP-215, checked on " + cores + " thread"), out.toString());

        out.reset();
        Files.delete(dir.resolve("index").resolve("txhash.log"));
        assertEquals(0, CmtMain.execute("replay", "--data", dir.toString()), err.toString());
        final String said = "replay: journal index rebuilt from the journal (12 blocks, 180 transactions): ";
        assertTrue(out.toString().contains(said), out.toString());
        assertTrue(out.toString().contains("replay OK: 12 blocks, 180 transactions"), out.toString());
    }

    @Test
    void shouldFailOnATransactionWhoseSignatureDoesNotVerifyUnlessToldNotToCheck() throws Exception
    {
        writeChain(5, 10, 23);
        assertEquals(1, CmtMain.execute("replay", "--data", dir.toString(), "--verify-threads", "1"));
        assertTrue(err.toString().startsWith("cmt replay: block 3: transaction 3 (" + hashOf(23) +
            ") carries a signature that does not verify (ZIP-215)"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());

        // Split over threads (blocks of 10: one share each), the same verdict.
        err.reset();
        assertEquals(1, CmtMain.execute("replay", "--data", dir.toString(), "--verify-threads", "3"));
        assertTrue(err.toString().startsWith("cmt replay: block 3: transaction 3 ("), err.toString());

        err.reset();
        out.reset();
        assertEquals(0, CmtMain.execute("replay", "--data", dir.toString(), "--no-signatures"), err.toString());
        assertTrue(out.toString().contains("replay OK: 5 blocks, 50 transactions"), out.toString());
        assertTrue(out.toString().contains("signatures not checked (--no-signatures)"), out.toString());
    }

    @Test
    void shouldFailOnABadSignatureInTheLastBlockWhichNoLaterBlockFollows() throws Exception
    {
        writeChain(5, 10, 47);
        for (final String threads : new String[] {"1", "2"})
        {
            err.reset();
            out.reset();
            assertEquals(1, CmtMain.execute("replay", "--data", dir.toString(), "--verify-threads", threads));
            assertTrue(err.toString().startsWith("cmt replay: block 5: transaction 7 (" + hashOf(47) +
                ") carries a signature that does not verify (ZIP-215)"), threads + " threads: " + err);
            assertTrue(!out.toString().contains("replay OK"), out.toString());
        }
    }

    @Test
    void shouldNameABlocksBadSignatureBeforeItsStateRootMismatch() throws Exception
    {
        // Block 1's transaction 4 is signed wrong, and a genesis that is not the chain's fails block 1's state root.
        writeChain(3, 10, 4);
        final Path other = dir.resolve("other.json");
        Files.writeString(other, GENESIS.replace("1000000000000", "1000000000001"));
        assertEquals(1, CmtMain.execute("replay", "--data", dir.toString(), "--genesis", other.toString()));
        assertTrue(err.toString().startsWith("cmt replay: block 1: transaction 4 ("), err.toString());
    }

    @Test
    void shouldReplayEveryBlockOnceWithTheCheckAhead() throws Exception
    {
        writeChain(7, 3);
        assertEquals(0, CmtMain.execute("replay", "--data", dir.toString(), "--verify-threads", "2"), err.toString());
        assertTrue(out.toString().contains("replay OK: 7 blocks, 21 transactions"), out.toString());
        assertTrue(out.toString().contains("signatures OK: all 21 verify (ZIP-215, checked on 2 threads)"),
            out.toString());
    }

    @Test
    void shouldFailWhenAnExpectedTransactionIsMissingOrRejected() throws Exception
    {
        writeChain(4, 10);
        final Path missing = dir.resolve("missing.txt");
        Files.write(missing, List.of(committed.get(0), Hex.encode(new byte[32])));
        assertEquals(1, CmtMain.execute("replay", "--data", dir.toString(), "--expect", missing.toString()));
        assertTrue(err.toString().contains("1 of 2 expected transactions are not committed (1 missing"),
            err.toString());

        err.reset();
        final Path bad = dir.resolve("rejected.txt");
        Files.write(bad, List.of(rejected.get(0)));
        assertEquals(1, CmtMain.execute("replay", "--data", dir.toString(), "--expect", bad.toString()));
        assertTrue(err.toString().contains("rejected with BAD_NONCE"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void shouldRejectAMalformedExpectFileBeforeReplaying() throws Exception
    {
        writeChain(4, 10);
        final Path malformed = dir.resolve("malformed.txt");
        Files.write(malformed, List.of(committed.get(0), "abcd"));
        assertEquals(1, CmtMain.execute("replay", "--data", dir.toString(), "--expect", malformed.toString()));
        assertTrue(err.toString().contains("line 2: a hash is 32 bytes, found 2"), err.toString());
        assertTrue(!out.toString().contains("replay OK"), "replayed before reading the file: " + out);
    }

    @Test
    void shouldReadAnExpectFileWithCommentsBlankLinesAndPrefixedHashes() throws Exception
    {
        writeChain(4, 10);
        final Path expect = dir.resolve("expect.txt");
        Files.write(expect, List.of("# the first two", committed.get(0), "", "   ", "0x" + committed.get(1),
            "  " + committed.get(2) + "  ", "  # indented comment"));
        assertEquals(0, CmtMain.execute("replay", "--data", dir.toString(), "--expect", expect.toString()),
            err.toString());
        assertTrue(out.toString().contains("expect OK: all 3 transactions of " + expect + " committed"),
            out.toString());
    }

    @Test
    void shouldNameTheFirstExpectedTransactionThatIsNotCommitted() throws Exception
    {
        writeChain(4, 10);
        final Path expect = dir.resolve("expect.txt");
        final String absent = "ab".repeat(32);
        Files.write(expect, List.of(committed.get(0), absent, rejected.get(0)));
        assertEquals(1, CmtMain.execute("replay", "--data", dir.toString(), "--expect", expect.toString()));
        assertEquals("cmt replay: 2 of 3 expected transactions are not committed (1 missing, 1 rejected); first: " +
            absent + " is not in the journal", err.toString().strip());

        err.reset();
        Files.write(expect, List.of(rejected.get(0), absent));
        assertEquals(1, CmtMain.execute("replay", "--data", dir.toString(), "--expect", expect.toString()));
        assertTrue(err.toString().strip().endsWith("(1 missing, 1 rejected); first: " + rejected.get(0) +
            " in block 1 was rejected with BAD_NONCE"), err.toString());
    }

    @Test
    void shouldRefuseAnExpectLineThatIsNoHashBeforeReplaying() throws Exception
    {
        writeChain(2, 5);
        final Path notHex = dir.resolve("not-hex.txt");
        Files.write(notHex, List.of(committed.get(0), "0x" + "zz".repeat(32)));
        assertEquals(1, CmtMain.execute("replay", "--data", dir.toString(), "--expect", notHex.toString()));
        assertEquals("cmt replay: " + notHex + " line 2: not a hex hash: 0x" + "zz".repeat(32),
            err.toString().strip());
        assertFalse(out.toString().contains("replay OK"), out.toString());
    }

    @Test
    void shouldRefuseFewerThanOneVerifyThread() throws Exception
    {
        writeChain(2, 5);
        assertEquals(1, CmtMain.execute("replay", "--data", dir.toString(), "--verify-threads", "0"));
        assertEquals("cmt replay: --verify-threads must be >= 1, was 0", err.toString().strip());
        assertFalse(out.toString().contains("replay OK"), out.toString());

        // The arguments are checked before any file is read.
        err.reset();
        assertEquals(1, CmtMain.execute("replay", "--data", dir.resolve("nothing").toString(), "--verify-threads",
            "0"));
        assertEquals("cmt replay: --verify-threads must be >= 1, was 0", err.toString().strip());
    }

    @Test
    void shouldRefuseMoreVerifyThreadsThanTheNodeRuns() throws Exception
    {
        // --verify-threads 100000 started thousands of threads, each with its verifier's tables, until the heap ran
        // out: OutOfMemoryError traces from the helper threads and main. The bound is the node's own.
        writeChain(2, 5);
        final int over = NodeContext.MAX_VERIFIER_THREADS + 1;
        assertEquals(1, CmtMain.execute("replay", "--data", dir.toString(), "--verify-threads",
            Integer.toString(over)));
        assertEquals("cmt replay: --verify-threads must be at most " + NodeContext.MAX_VERIFIER_THREADS + " (as the " +
            "node's " + NodeContext.VERIFIER_THREADS_PROP + "), was " + over, err.toString().strip());
        assertFalse(out.toString().contains("replay OK"), out.toString());
    }

    @Test
    void shouldNameAGenesisOrExpectFileItCannotReadAndWhy() throws Exception
    {
        writeChain(2, 5);
        for (final String[] file : new String[][] {{"--genesis", "genesis"}, {"--expect", "expect file"}})
        {
            err.reset();
            final Path missing = dir.resolve("no-such-file");
            assertEquals(1, CmtMain.execute("replay", "--data", dir.toString(), file[0], missing.toString()));
            assertEquals("cmt replay: cannot read " + file[1] + " " + missing + ": no such file or directory",
                err.toString().strip());
        }
        // A genesis it reads but cannot use, given or the data directory's own, is named with what is wrong.
        final Path stored = dir.resolve("genesis.json");
        Files.writeString(stored, "{");
        for (final String[] args : new String[][] {{}, {"--genesis", stored.toString()}})
        {
            err.reset();
            final List<String> command = new ArrayList<>(List.of("replay", "--data", dir.toString()));
            command.addAll(List.of(args));
            assertEquals(1, CmtMain.execute(command.toArray(new String[0])));
            assertEquals("cmt replay: genesis file " + stored + ": genesis is not valid JSON: unexpected end of " +
                "input at line 1, column 2", err.toString().strip());
        }
    }

    @Test
    void shouldPrintHelp()
    {
        assertEquals(0, CmtMain.execute("replay", "--help"));
        assertTrue(out.toString().contains("Usage: cmt replay"), out.toString());
    }

    @Test
    void shouldFailOnACorruptedJournalNamingTheBlock() throws Exception
    {
        writeChain(6, 10);
        flipByteInEntry(3);
        assertNotEquals(0, CmtMain.execute("replay", "--data", dir.toString()));
        assertTrue(err.toString().startsWith("cmt replay: journal corrupted at block 3"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    /**
     * The replay reads the journal in order; the expect check finds each hash through the journal's indexes, which a
     * file damaged at rest can make lead to another block (here the height index's entries for blocks 2 and 3
     * swapped: the journal is whole, so the replay passes). The lookup then answers that the block its index places
     * the transaction in cannot be read: the check says so, in one line, rather than failing on that answer.
     */
    @Test
    void shouldSayWhenTheBlockOfAnExpectedTransactionCannotBeReadThroughTheIndex() throws Exception
    {
        writeChain(4, 10);
        final Path heightIndex = dir.resolve("index").resolve("heights.idx");
        try (RandomAccessFile heights = new RandomAccessFile(heightIndex.toFile(), "rw"))
        {
            heights.seek(64 + 8);
            final long second = heights.readLong();
            final long third = heights.readLong();
            heights.seek(64 + 8);
            heights.writeLong(third);
            heights.writeLong(second);
        }
        final Path expect = dir.resolve("expect.txt");
        Files.write(expect, List.of(committed.get(0), all.get(10 + 2)));

        assertEquals(1, CmtMain.execute("replay", "--data", dir.toString(), "--expect", expect.toString(),
            "--no-signatures"), err.toString());
        assertTrue(out.toString().contains("replay OK: 4 blocks, 40 transactions"), out.toString());
        final String said = err.toString().strip();
        assertTrue(said.startsWith("cmt replay: 1 of 2 expected transactions are not committed (0 missing, " +
            "0 rejected, 1 in a block the journal cannot read); first: " + all.get(10 + 2) + ": the journal's index " +
            "places it in block 2, which cannot be read: journal entry at queue index "), said);
        assertTrue(said.endsWith(" holds block 3 where block 2 was expected"), said);
        assertEquals(1, said.lines().count(), said);
    }

    @Test
    void shouldFailWhenTheGenesisIsNotTheChains() throws Exception
    {
        writeChain(3, 5);
        final Path other = dir.resolve("other.json");
        Files.writeString(other, GENESIS.replace("1000000000000", "1000000000001"));
        assertEquals(1, CmtMain.execute("replay", "--data", dir.toString(), "--genesis", other.toString()));
        assertTrue(err.toString().startsWith("cmt replay: block 1: state root mismatch"), err.toString());
    }

    @Test
    void shouldSayWhichPartOfTheDataDirectoryCannotBeMadeAndWhy() throws Exception
    {
        writeChain(2, 5);
        final Path index = dir.resolve("index");
        try (Stream<Path> files = Files.list(index))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                Files.delete(file);
            }
        }
        Files.delete(index);
        Files.createFile(index);

        assertNotEquals(0, CmtMain.execute("replay", "--data", dir.toString()));
        assertEquals("cmt replay: cannot create the data directory's parts in " + dir + ": " + index +
            ": it already exists", err.toString().strip());
    }

    /**
     * A queue file whose header is damaged: Chronicle Queue reads a class name there and throws its own exception,
     * which the replay printed as it came ("net.openhft...ClassNotFoundRuntimeException: ...") with exit status 2.
     */
    @Test
    void shouldSayTheJournalIsDamagedWhenChronicleRefusesItsFiles() throws Exception
    {
        writeChain(2, 5);
        final Path queueFile;
        try (Stream<Path> files = Files.list(dir.resolve(DataDirectory.JOURNAL_DIR)))
        {
            queueFile = files.filter(f -> f.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(queueFile);
        final int indexing = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("SCQSIndexing");
        assertTrue(indexing > 0);
        Arrays.fill(bytes, indexing + 4, indexing + 12, (byte)'X');
        Files.write(queueFile, bytes);

        assertEquals(1, CmtMain.execute("replay", "--data", dir.toString()));
        final String line = err.toString().strip();
        assertTrue(line.startsWith("cmt replay: cannot open the journal in " + dir.resolve("journal") + ": a file " +
            "of it is damaged, or not a journal's (Chronicle Queue: "), line);
        assertEquals(1, line.lines().count(), line);
    }

    @Test
    void shouldRejectAMissingDataDirectoryInOneLine()
    {
        assertEquals(1, CmtMain.execute("replay", "--data", dir.resolve("nothing").toString()));
        assertTrue(err.toString().startsWith("cmt replay: no journal in "), err.toString());
        assertEquals(1, err.toString().strip().lines().count());
    }

    private void writeChain(final int blocks, final int txPerBlock)
    {
        writeChain(blocks, txPerBlock, -1);
    }

    /** As a node with its signature checks off would: transaction {@code badSignature} (in order) is signed wrong. */
    private void writeChain(final int blocks, final int txPerBlock, final long badSignature)
    {
        final DataDirectory data = new DataDirectory(dir);
        data.writeGenesis(GENESIS);
        final Genesis genesis = Genesis.parse(GENESIS);
        final Chain chain = new Chain(genesis.createState(1), 0, new byte[32]);
        final ReferenceExecutor executor = new ReferenceExecutor();
        final TransactionBuilder builder = new TransactionBuilder(genesis.chainId());
        final BlockTransactions txs = new BlockTransactions(64);
        final BlockReceipts receipts = new BlockReceipts(64);
        final BlockHeader header = new BlockHeader();
        final BlockCommit commit = new BlockCommit();
        final Sha256 sha = new Sha256();
        final long[] nonces = new long[genesis.devnetAccounts()];
        final byte[] proposer = genesis.validators().get(0).address();
        long sequence = 0;
        try (ChronicleBlockJournal journal = new ChronicleBlockJournal(
            new JournalContext().dataDirectory(data).blockSizeBytes(16L << 20)))
        {
            for (int b = 0; b < blocks; b++)
            {
                final UnsafeBuffer frames = new UnsafeBuffer(new byte[txPerBlock * 256]);
                txs.reset();
                int offset = 0;
                for (int i = 0; i < txPerBlock; i++, sequence++)
                {
                    final int sender = (int)(sequence % nonces.length);
                    final boolean bad = sequence % 7 == 6;
                    final long nonce = bad ? 999 : nonces[sender]++;
                    final int length = builder.transfer(Genesis.devnetAccountKey(sender), nonce, 100, 0,
                        Genesis.devnetAccountKey((sender + 1) % nonces.length).address(), 5, frames, offset);
                    if (sequence == badSignature)
                    {
                        final int at = offset + TransactionDescriptor.SIGNATURE_OFFSET + 5;
                        frames.putByte(at, (byte)(frames.getByte(at) ^ 1));
                    }
                    txs.add(frames, offset, length, sha);
                    final byte[] hash = new byte[32];
                    txs.hash(i, hash, 0);
                    (bad ? rejected : committed).add(Hex.encode(hash));
                    all.add(Hex.encode(hash));
                    offset += length;
                }
                chain.apply(1000L * (b + 1), proposer, txs, executor, receipts, header);
                journal.append(header, commit, txs, receipts);
            }
        }
    }

    private String hashOf(final int sequence)
    {
        return all.get(sequence);
    }

    private void flipByteInEntry(final int block) throws Exception
    {
        final Path file;
        try (Stream<Path> files = Files.list(new DataDirectory(dir).journalDir()))
        {
            file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(file);
        int found = 0;
        for (int i = 0; i + 4 <= bytes.length; i++)
        {
            if (bytes[i] == 'C' && bytes[i + 1] == 'M' && bytes[i + 2] == 'T' && bytes[i + 3] == 'C' &&
                ++found == block)
            {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                {
                    raf.seek(i + 300);
                    final int v = raf.read();
                    raf.seek(i + 300);
                    raf.write(v ^ 0x10);
                }
                return;
            }
        }
        throw new IllegalStateException("entry " + block + " not found");
    }
}
