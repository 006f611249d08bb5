package io.cmtchain.pipeline;

import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.journal.Recovery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Validator key files ({@code cmt keygen}, {@code cmt node --validator-key}): a chain whose DPoS validators are not
 * the devnet's runs on the keys given, its proposer and commit signatures verify on recovery, and a missing or foreign
 * key is refused at start with the validator it lacks.
 */
class ValidatorKeysTest
{
    private static final int SENDERS = 8;
    private static final long STAKE = 1_000_000_000_000L;

    @TempDir
    File dir;

    private final TestChain chain = new TestChain(SENDERS);
    private final List<Integer> statuses = new ArrayList<>();

    @Test
    void shouldWriteAKeyFileOnlyItsOwnerReadsAndReadItBack() throws Exception
    {
        final File file = new File(dir, "v.key");
        final Ed25519Key key = ValidatorKeyFile.generate();
        ValidatorKeyFile.write(file, key);
        assertArrayEquals(key.publicKey(), ValidatorKeyFile.read(file).publicKey());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
            Files.getPosixFilePermissions(file.toPath()));
        assertTrue(!ValidatorKeyFile.readableByOthers(file));
        assertNotEquals(Hex.encode(key.publicKey()), Hex.encode(ValidatorKeyFile.generate().publicKey()));

        final IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
            () -> ValidatorKeyFile.write(file, ValidatorKeyFile.generate()));
        assertTrue(exists.getMessage().contains("never overwritten"), exists.getMessage());
        assertArrayEquals(key.publicKey(), ValidatorKeyFile.read(file).publicKey());
    }

    /**
     * A write that failed midway (disk full, an I/O error) left the key file it had created, empty or with part of the
     * key: a validator key file is either absent or whole.
     */
    @Test
    void shouldLeaveNoKeyFileWhenItsWriteFailsMidway() throws Exception
    {
        final File file = new File(dir, "v.key");
        final ValidatorKeyFile.WriteSteps fullDisk = new ValidatorKeyFile.WriteSteps()
        {
            @Override
            public void write(final FileChannel channel, final ByteBuffer text) throws IOException
            {
                text.limit(text.limit() / 2);
                ValidatorKeyFile.WriteSteps.super.write(channel, text);
                throw new FileSystemException(null, null, "No space left on device");
            }
        };
        final IllegalArgumentException failed = assertThrows(IllegalArgumentException.class,
            () -> ValidatorKeyFile.write(file, ValidatorKeyFile.generate(), fullDisk));
        assertEquals("cannot write " + file + ": No space left on device", failed.getMessage());
        assertFalse(file.exists(), "a failed write left a key file");
        assertArrayEquals(new String[0], dir.list(), "a failed write left its temporary file");

        // An Error too (a thread stopped, out of memory) leaves nothing.
        final OutOfMemoryError error = new OutOfMemoryError("as if");
        assertSame(error, assertThrows(OutOfMemoryError.class,
            () -> ValidatorKeyFile.write(file, ValidatorKeyFile.generate(), new ValidatorKeyFile.WriteSteps()
            {
                @Override
                public void write(final FileChannel channel, final ByteBuffer text)
                {
                    throw error;
                }
            })));
        assertArrayEquals(new String[0], dir.list());

        // The next write, which does not fail, writes the whole key.
        final Ed25519Key key = ValidatorKeyFile.generate();
        ValidatorKeyFile.write(file, key);
        assertArrayEquals(key.seed(), ValidatorKeyFile.read(file).seed());
        assertArrayEquals(new String[] {"v.key"}, dir.list());
    }

    /**
     * A key file created while the key was being written (another keygen on the same path) stays as it is: the key is
     * put in place by a link, which fails on a name taken, as the rename of ATOMIC_MOVE does not on Linux.
     */
    @Test
    void shouldNotReplaceAKeyFileCreatedWhileItWrote() throws Exception
    {
        final File file = new File(dir, "v.key");
        final Ed25519Key other = ValidatorKeyFile.generate();
        final IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
            () -> ValidatorKeyFile.write(file, ValidatorKeyFile.generate(), new ValidatorKeyFile.WriteSteps()
            {
                @Override
                public void write(final FileChannel channel, final ByteBuffer text) throws IOException
                {
                    ValidatorKeyFile.WriteSteps.super.write(channel, text);
                    ValidatorKeyFile.write(file, other);
                }
            }));
        assertEquals(file + " exists already; a key file is never overwritten", exists.getMessage());
        assertArrayEquals(other.seed(), ValidatorKeyFile.read(file).seed());
        assertArrayEquals(new String[] {"v.key"}, dir.list(), "the temporary file stayed");
    }

    /** A file system without hard links (FAT, some network ones): the key is renamed into place. */
    @Test
    void shouldRenameTheKeyIntoPlaceWhereTheFileSystemHasNoHardLinks() throws Exception
    {
        final File file = new File(dir, "v.key");
        final Ed25519Key key = ValidatorKeyFile.generate();
        ValidatorKeyFile.write(file, key, new ValidatorKeyFile.WriteSteps()
        {
            @Override
            public void link(final Path keyFile, final Path temp) throws IOException
            {
                throw new FileSystemException(keyFile.toString(), temp.toString(), "Operation not permitted");
            }
        });
        assertArrayEquals(key.seed(), ValidatorKeyFile.read(file).seed());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
            Files.getPosixFilePermissions(file.toPath()));
        assertArrayEquals(new String[] {"v.key"}, dir.list());

        // Not replaced either, when created while it wrote; only a check before the rename sees it.
        final File second = new File(dir, "w.key");
        final IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
            () -> ValidatorKeyFile.write(second, ValidatorKeyFile.generate(), new ValidatorKeyFile.WriteSteps()
            {
                @Override
                public void write(final FileChannel channel, final ByteBuffer text) throws IOException
                {
                    ValidatorKeyFile.WriteSteps.super.write(channel, text);
                    Files.writeString(second.toPath(), "created meanwhile", StandardCharsets.US_ASCII);
                }

                @Override
                public void link(final Path keyFile, final Path temp) throws IOException
                {
                    throw new UnsupportedOperationException("no hard links");
                }
            }));
        assertEquals(second + " exists already; a key file is never overwritten", exists.getMessage());
        assertEquals("created meanwhile", Files.readString(second.toPath(), StandardCharsets.US_ASCII));
        assertEquals(Set.of("v.key", "w.key"), Set.of(dir.list()));
    }

    @Test
    void shouldRefuseMalformedKeyFilesNamingThem() throws Exception
    {
        final File shortSeed = write("short.key", "# a key\nabcd\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ValidatorKeyFile.read(shortSeed)).getMessage()
            .contains("short.key: expected one line of 64 hex digits"));

        final File two = write("two.key", "00".repeat(32) + "\n" + "11".repeat(32) + "\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ValidatorKeyFile.read(two)).getMessage()
            .contains("more than one key line"));

        final File edited = write("edited.key", "# public key " + "ab".repeat(32) + "\n" + "00".repeat(32) + "\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ValidatorKeyFile.read(edited)).getMessage()
            .contains("not the " + "ab".repeat(32) + " its comment states"));

        final File absent = new File(dir, "absent.key");
        assertEquals("no validator key file " + absent,
            assertThrows(IllegalArgumentException.class, () -> ValidatorKeyFile.read(absent)).getMessage());

        // A file that is not text, and a directory, are named with what is wrong in words.
        final File binary = new File(dir, "binary.key");
        Files.write(binary.toPath(), new byte[]{'#', ' ', (byte)0xC3, (byte)0xA9, '\n'});
        assertEquals("validator key file " + binary + ": not ASCII text; expected one line of 64 hex digits (the " +
            "Ed25519 seed) besides # comments",
            assertThrows(IllegalArgumentException.class, () -> ValidatorKeyFile.read(binary)).getMessage());
        assertEquals("cannot read validator key file " + dir + ": Is a directory",
            assertThrows(IllegalArgumentException.class, () -> ValidatorKeyFile.read(dir)).getMessage());
    }

    @Test
    void shouldJudgeWhoMayReadAKeyByTheFileALinkLeadsTo() throws Exception
    {
        // Operators link keys in from a secrets directory; a link's own permissions are rwxrwxrwx on Linux.
        final File file = new File(dir, "v.key");
        ValidatorKeyFile.write(file, ValidatorKeyFile.generate());
        final File link = new File(dir, "link.key");
        Files.createSymbolicLink(link.toPath(), file.toPath());
        assertFalse(ValidatorKeyFile.readableByOthers(link));
        for (final String shared : new String[]{"rw-r-----", "rw----r--"})
        {
            Files.setPosixFilePermissions(file.toPath(), PosixFilePermissions.fromString(shared));
            assertTrue(ValidatorKeyFile.readableByOthers(link), shared);
            assertTrue(ValidatorKeyFile.readableByOthers(file), shared);
        }
        Files.setPosixFilePermissions(file.toPath(), PosixFilePermissions.fromString("rw--w--w-"));
        assertFalse(ValidatorKeyFile.readableByOthers(file), "written, not read, by others");
    }

    @Test
    void shouldProposeAndCommitWithTheGivenKeysAndRecoverWithTheirSignaturesChecked()
    {
        final File first = keyFile("a.key");
        final File second = keyFile("b.key");
        final String json = genesis(ValidatorKeyFile.read(first), ValidatorKeyFile.read(second));
        final byte[] root;
        final long height;
        try (Node node = Node.launch(context(json).validatorKeyFiles(List.of(first, second))))
        {
            chain.submitAndAwaitReceipts(node, 0, 64, statuses);
            root = node.chain().state().stateRoot();
            height = node.chain().height();
        }
        assertTrue(statuses.stream().allMatch(s -> s == ReceiptStatus.OK.value()), statuses::toString);
        assertTrue(height >= 64 / 8, "blocks of at most 8: " + height);

        final Chain recovered = Recovery.recover(dir.toPath(), new ReferenceExecutor(), line -> { });
        assertEquals(height, recovered.height());
        assertArrayEquals(root, recovered.state().stateRoot());
        assertTrue(recovered.state().dpos().mintedMicroCmt() > 0, "the validators were paid");
    }

    @Test
    void shouldWarnAboutAKeyOfNoValidator()
    {
        final File first = keyFile("a.key");
        final File second = keyFile("b.key");
        final File stranger = keyFile("c.key");
        final String json = genesis(ValidatorKeyFile.read(first), ValidatorKeyFile.read(second));
        final List<String> lines = new ArrayList<>();
        Node.launch(context(json).log(lines::add).validatorKeyFiles(List.of(first, second))).close();
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("warning:")), lines::toString);
        lines.clear();
        Node.launch(context(json).log(lines::add).validatorKeyFiles(List.of(first, second, stranger))).close();
        final String address = Hex.encode(ValidatorKeyFile.read(stranger).address());
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("warning: validator key(s) of " + address +
            " belong to no validator")), lines::toString);
    }

    @Test
    void shouldRefuseToStartWithoutTheKeyOfEveryValidator()
    {
        final File first = keyFile("a.key");
        final File second = keyFile("b.key");
        final Ed25519Key secondKey = ValidatorKeyFile.read(second);
        final String json = genesis(ValidatorKeyFile.read(first), secondKey);

        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
            () -> Node.launch(context(json).validatorKeyFiles(List.of(first))).close());
        assertTrue(missing.getMessage().startsWith("this node holds no key of validator(s) " +
            Hex.encode(secondKey.address()) + " of the current validator set"), missing.getMessage());

        final IllegalArgumentException devnet = assertThrows(IllegalArgumentException.class,
            () -> Node.launch(context(json)).close());
        assertTrue(devnet.getMessage().startsWith("this node holds no key of validator(s) "), devnet.getMessage());
        // A node that failed to start leaves no counters file for cmt stat to take for a node still starting.
        assertFalse(new File(context(json).dataDir(), CountersFile.FILENAME).exists());

        final IllegalArgumentException noDpos = assertThrows(IllegalArgumentException.class, () -> new NodeContext()
            .dataDir(new File(dir, "other")).genesisJson(DevnetGenesis.jsonWithoutDpos(SENDERS))
            .validatorKeyFiles(List.of(first)).conclude());
        assertTrue(noDpos.getMessage().contains("the genesis has no \"dpos\" section"), noDpos.getMessage());
    }

    /**
     * The devnet genesis with its accounts but two validators of the given keys instead of the devnet's four: DPoS
     * candidates only, with no top-level "validators" list (a DPoS genesis takes its candidates as validators).
     */
    private String genesis(final Ed25519Key a, final Ed25519Key b)
    {
        return "{\"chainId\": " + chain.chainId() + ", \"fees\": {\"minimumMicroCmt\": 100}," +
            "\"devnet\": {\"accounts\": " + SENDERS + ", \"balanceMicroCmt\": 1000000000000}," +
            "\"dpos\": {\"validatorCapPpm\": 1000000, \"candidates\": [" + candidate(a) + ", " + candidate(b) + "]}}";
    }

    private static String candidate(final Ed25519Key key)
    {
        return "{\"publicKey\": \"" + Hex.encode(key.publicKey()) + "\", \"stakeMicroCmt\": " + STAKE +
            ", \"maxStakeMicroCmt\": " + 10 * STAKE + ", \"commissionPpm\": 100000}";
    }

    private File keyFile(final String name)
    {
        final File file = new File(dir, name);
        ValidatorKeyFile.write(file, ValidatorKeyFile.generate());
        return file;
    }

    private File write(final String name, final String text) throws Exception
    {
        final File file = new File(dir, name);
        Files.writeString(file.toPath(), text, StandardCharsets.US_ASCII);
        return file;
    }

    private NodeContext context(final String json)
    {
        return TestChain.invokerContext(dir, statuses).genesisJson(json);
    }
}
