package io.cmtchain.journal;

import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.contracts.ContractsCodec;
import io.cmtchain.engine.dpos.DposCodec;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.state.AccountStore;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Snapshots of the whole state in {@code DATA/snapshots/snapshot-HEIGHT.snap}, so that recovery re-executes only
 * the blocks after the newest good one. Written atomically (temp file, fsync, rename, fsync of the directory);
 * the oldest beyond the number kept are deleted. Layout, little-endian except the addresses:
 * <pre>
 *  +---------------------------------------------------------------+
 *  +---------------------------------------------------------------+
 *  |  Magic 'CMTS' (u32)           |  Version, 2 (u32)             |   0
 *  +---------------------------------------------------------------+
 *  |  Chain id (u32)               |  Sections (u32)               |   8
 *  +---------------------------------------------------------------+
 *  |  Height (i64)                                                 |  16
 *  +---------------------------------------------------------------+
 *  |  Fee pool, µCMT (i64)                                         |  24
 *  +---------------------------------------------------------------+
 *  |  Account count (i64)                                          |  32
 *  +---------------------------------------------------------------+
 *  |  Hash of the header of block Height (32 bytes)               ...  40
 *  +---------------------------------------------------------------+
 *  |  Genesis hash: SHA-256 of the genesis JSON (32 bytes)        ...  72
 *  +---------------------------------------------------------------+
 *  |  State root after block Height (32 bytes)                    ... 104
 *  +---------------------------------------------------------------+
 *  |  Account: address (20 bytes), balance (i64), nonce (i64)     ... 136, 36 bytes each
 *  +---------------------------------------------------------------+
 *  |  DPoS section, if Sections bit 0: length (u32), DposCodec bytes ...
 *  +---------------------------------------------------------------+
 *  |  Contracts section, if bit 1: length (u32), ContractsCodec bytes ...
 *  +---------------------------------------------------------------+
 *  |  CRC32C of every byte before it (u32)                         |
 *  +---------------------------------------------------------------+
 * </pre>
 * The sections a snapshot holds must be those its genesis enables: a snapshot without the DPoS or contracts state of
 * a chain that has them (a version 1 file has neither) is refused with a {@link SnapshotException}, never loaded
 * without them.
 * </pre>
 */
public final class SnapshotStore
{
    static final int MAGIC = 'C' | 'M' << 8 | 'T' << 16 | 'S' << 24;
    static final int VERSION = 2;
    /** Version 1: accounts and fee pool only, read for chains without DPoS and contracts. */
    static final int VERSION_ACCOUNTS_ONLY = 1;
    static final int SECTION_DPOS = 1;
    static final int SECTION_CONTRACTS = 2;
    static final int HEADER_LENGTH = 136;
    static final int ACCOUNT_LENGTH = 36;
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".snap";
    private static final int IO_BUFFER_LENGTH = 1 << 20;

    private final DataDirectory dataDirectory;
    private final byte[] genesisHash;
    private final long intervalBlocks;
    private final int kept;

    /**
     * @param dataDirectory  of the node.
     * @param genesisHash    {@link #genesisHash(String)} of the node's genesis.
     * @param intervalBlocks a snapshot is due at every multiple of this height; 0 for never.
     * @param kept           snapshots kept after a write.
     */
    public SnapshotStore(
        final DataDirectory dataDirectory, final byte[] genesisHash, final long intervalBlocks, final int kept)
    {
        this.dataDirectory = dataDirectory;
        this.genesisHash = genesisHash.clone();
        this.intervalBlocks = intervalBlocks;
        this.kept = Math.max(1, kept);
    }

    /**
     * @param json genesis document.
     * @return its identity in snapshots: SHA-256 of its UTF-8 bytes.
     */
    public static byte[] genesisHash(final String json)
    {
        final byte[] hash = new byte[32];
        new Sha256().update(json.getBytes(StandardCharsets.UTF_8)).digest(hash, 0);
        return hash;
    }

    /**
     * @param height of the block just applied.
     * @return true when a snapshot is due after it.
     */
    public boolean isDue(final long height)
    {
        return intervalBlocks > 0 && height > 0 && height % intervalBlocks == 0;
    }

    /**
     * Write a snapshot when one is due after the chain's last block.
     *
     * @param chain after a block.
     * @return the file written, or null when none was due.
     */
    public Path writeIfDue(final Chain chain)
    {
        return isDue(chain.height()) ? write(chain) : null;
    }

    /**
     * Write a snapshot of the chain's state after its last block, then delete any above its height (stale) and the
     * oldest beyond those kept.
     * Walks every account: run it between blocks.
     *
     * @param chain after a block.
     * @return the file written.
     * @throws IllegalArgumentException at height 0, which is never snapshotted.
     */
    public Path write(final Chain chain)
    {
        final long height = chain.height();
        if (height < 1)
        {
            throw new IllegalArgumentException("no snapshot at height " + height +
                ": the state before block 1 is made from the genesis");
        }
        final ChainState state = chain.state();
        final AccountStore accounts = state.accounts();
        final Path dir = dataDirectory.create().snapshotsDir();
        final Path file = dir.resolve(fileName(height));
        final Path temp = dir.resolve(fileName(height) + ".tmp");
        final CRC32C crc = new CRC32C();
        final ByteBuffer buffer = ByteBuffer.allocate(IO_BUFFER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        final byte[] address = new byte[20];
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
        {
            final int sections = sections(state);
            buffer.putInt(MAGIC).putInt(VERSION).putInt(state.chainId()).putInt(sections);
            buffer.putLong(height).putLong(state.feePoolMicroCmt()).putLong(accounts.size());
            buffer.put(chain.lastHeaderHash()).put(genesisHash).put(state.stateRoot());
            for (int slot = 0, n = accounts.size(); slot < n; slot++)
            {
                if (buffer.remaining() < ACCOUNT_LENGTH)
                {
                    flush(channel, buffer, crc);
                }
                accounts.address(slot, address, 0);
                buffer.put(address).putLong(accounts.balance(slot)).putLong(accounts.nonce(slot));
            }
            if ((sections & SECTION_DPOS) != 0)
            {
                putSection(channel, buffer, crc, encode(state.dpos(), DposCodec::write));
            }
            if ((sections & SECTION_CONTRACTS) != 0)
            {
                putSection(channel, buffer, crc, encode(state.contracts(), ContractsCodec::write));
            }
            flush(channel, buffer, crc);
            buffer.putInt((int)crc.getValue());
            buffer.flip();
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            channel.force(true);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write snapshot " + file + ": " + ex.getMessage(), ex);
        }
        try
        {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot rename snapshot " + temp + ": " + ex.getMessage(), ex);
        }
        DataDirectory.forceDirectory(dir);
        prune(height);
        return file;
    }

    /** @return snapshot files, newest (highest) first. */
    public List<Path> snapshots()
    {
        final Path dir = dataDirectory.snapshotsDir();
        if (!Files.isDirectory(dir))
        {
            return new ArrayList<>();
        }
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir))
        {
            list.filter(p -> heightOf(p) >= 0).forEach(files::add);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + dir + ": " + ex.getMessage(), ex);
        }
        files.sort(Comparator.comparingLong(SnapshotStore::heightOf).reversed());
        return files;
    }

    /**
     * Delete the snapshots above {@code height}, then the oldest beyond those kept, and temp files a crash left.
     * After a write at the chain's height, those above it are of blocks its journal no longer holds (lost with the
     * page cache in a power cut, with durability process): recovery skips them, and kept, they would count among the
     * snapshots kept and have the one just written deleted.
     */
    private void prune(final long height)
    {
        final List<Path> files = snapshots();
        try
        {
            int keptSoFar = 0;
            for (final Path file : files)
            {
                if (heightOf(file) > height || keptSoFar++ >= kept)
                {
                    Files.deleteIfExists(file);
                }
            }
            try (Stream<Path> list = Files.list(dataDirectory.snapshotsDir()))
            {
                for (final Path p : (Iterable<Path>)list.filter(p -> p.toString().endsWith(".tmp"))::iterator)
                {
                    Files.deleteIfExists(p);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot prune snapshots: " + ex.getMessage(), ex);
        }
    }

    /**
     * Load and verify a snapshot: its checksum, chain id and genesis, a height of at least 1, and that the restored
     * state's root equals the root recorded in it. The caller checks that root against the journal's header at that
     * height.
     *
     * @param file      a snapshot file.
     * @param genesis   of the chain, for its parameters.
     * @param tableSeed account table seed (not consensus state).
     * @return the snapshot.
     * @throws SnapshotException naming the file and the problem.
     */
    public Snapshot load(final Path file, final Genesis genesis, final long tableSeed)
    {
        final String name = file.getFileName().toString();
        final CRC32C crc = new CRC32C();
        final ByteBuffer buffer = ByteBuffer.allocate(IO_BUFFER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < HEADER_LENGTH + 4)
            {
                throw new SnapshotException(name + ": truncated (" + size + " bytes)");
            }
            // Check the whole file's checksum before building any state from it.
            long remaining = size - 4;
            while (remaining > 0)
            {
                buffer.clear();
                buffer.limit((int)Math.min(buffer.capacity(), remaining));
                readFully(channel, buffer, name);
                buffer.flip();
                remaining -= buffer.remaining();
                crc.update(buffer);
            }
            buffer.clear().limit(4);
            readFully(channel, buffer, name);
            if (buffer.getInt(0) != (int)crc.getValue())
            {
                throw new SnapshotException(name + ": checksum mismatch");
            }

            channel.position(0);
            buffer.clear().limit(HEADER_LENGTH);
            readFully(channel, buffer, name);
            buffer.flip();
            final int magic = buffer.getInt();
            final int version = buffer.getInt();
            if (magic != MAGIC || (version != VERSION && version != VERSION_ACCOUNTS_ONLY))
            {
                throw new SnapshotException(name + ": not a version " + VERSION_ACCOUNTS_ONLY + " or " + VERSION +
                    " snapshot");
            }
            final int chainId = buffer.getInt();
            final int reserved = buffer.getInt();
            final int sections = version == VERSION_ACCOUNTS_ONLY ? 0 : reserved;
            final long height = buffer.getLong();
            final long feePool = buffer.getLong();
            final long count = buffer.getLong();
            final byte[] lastHeaderHash = new byte[32];
            final byte[] fileGenesisHash = new byte[32];
            final byte[] stateRoot = new byte[32];
            buffer.get(lastHeaderHash).get(fileGenesisHash).get(stateRoot);
            if (chainId != genesis.chainId())
            {
                throw new SnapshotException(name + ": chain id " + chainId + ", the genesis says " + genesis.chainId());
            }
            if (!Arrays.equals(fileGenesisHash, genesisHash))
            {
                throw new SnapshotException(name + ": made from another genesis (" + Hex.encode(fileGenesisHash) + ")");
            }
            checkSections(name, sections, genesis);
            final long sectionBytes = size - 4 - HEADER_LENGTH - count * ACCOUNT_LENGTH;
            if (count < 0 || count > Integer.MAX_VALUE || sectionBytes < 0 || (sections == 0 && sectionBytes != 0))
            {
                throw new SnapshotException(name + ": " + count + " accounts do not fit its " + size + " bytes");
            }
            if (height != heightOf(file))
            {
                throw new SnapshotException(name + ": holds height " + height);
            }
            if (height < 1)
            {
                // Recovery checks a snapshot against the journaled header of its block; there is none for height 0,
                // so on an empty journal nothing else would stand between a forged state and the chain.
                throw new SnapshotException(name + ": at height " + height + ": the state before block 1 is made " +
                    "from the genesis, never loaded from a snapshot");
            }

            final ChainState state = new ChainState(genesis.chainId(), genesis.stateTreeDepth(),
                (int)Math.max(1024, Math.min(Integer.MAX_VALUE / 2, count * 2)), genesis.fees(), tableSeed);
            final AccountStore accounts = state.accounts();
            final byte[] address = new byte[20];
            final UnsafeBuffer addressBuffer = new UnsafeBuffer(address);
            long left = count;
            buffer.clear().limit(0);
            while (left > 0)
            {
                if (buffer.remaining() < ACCOUNT_LENGTH)
                {
                    buffer.compact();
                    buffer.limit((int)Math.min(buffer.capacity(), left * ACCOUNT_LENGTH));
                    readFully(channel, buffer, name);
                    buffer.flip();
                }
                buffer.get(address);
                final long balance = buffer.getLong();
                final long nonce = buffer.getLong();
                final int before = accounts.size();
                final int slot = accounts.findOrCreate(addressBuffer, 0);
                if (accounts.size() == before)
                {
                    throw new SnapshotException(name + ": account " + Hex.encode(address) + " appears twice");
                }
                accounts.balance(slot, balance);
                accounts.nonce(slot, nonce);
                left--;
            }
            state.feePoolMicroCmt(feePool);
            // The accounts' commitment first: ending a block with DPoS or contracts attached would run their block end.
            state.endBlock();
            readSections(channel, name, sections, sectionBytes, state);
            if (!Arrays.equals(state.stateRoot(), stateRoot))
            {
                throw new SnapshotException(name + ": restored state root differs from the recorded one");
            }
            return new Snapshot(file, height, lastHeaderHash, stateRoot, state);
        }
        catch (final IOException ex)
        {
            throw new SnapshotException(name + ": " + ex.getMessage());
        }
    }

    private static int sections(final ChainState state)
    {
        return (state.dpos() != null ? SECTION_DPOS : 0) | (state.contracts() != null ? SECTION_CONTRACTS : 0);
    }

    private static void checkSections(final String name, final int sections, final Genesis genesis)
    {
        final int expected = (genesis.dpos() != null ? SECTION_DPOS : 0) |
            (genesis.contractsMaxActionsPerBlock() > 0 ? SECTION_CONTRACTS : 0);
        if ((sections & ~(SECTION_DPOS | SECTION_CONTRACTS)) != 0)
        {
            throw new SnapshotException(name + ": unknown sections " + Integer.toHexString(sections));
        }
        if (sections != expected)
        {
            throw new SnapshotException(name + ": holds " + describe(sections) + " but the genesis enables " +
                describe(expected) + "; it cannot restore this chain");
        }
    }

    private static String describe(final int sections)
    {
        switch (sections)
        {
            case 0:
                return "neither DPoS nor contracts state";
            case SECTION_DPOS:
                return "DPoS state only";
            case SECTION_CONTRACTS:
                return "contracts state only";
            default:
                return "DPoS and contracts state";
        }
    }

    /** Encodes one section. */
    private interface SectionEncoder<T>
    {
        void write(T value, DataOutput out) throws IOException;
    }

    private static <T> byte[] encode(final T value, final SectionEncoder<T> encoder)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 12);
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            encoder.write(value, out);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    private static void putSection(
        final FileChannel channel, final ByteBuffer buffer, final CRC32C crc, final byte[] section) throws IOException
    {
        if (buffer.remaining() < 4)
        {
            flush(channel, buffer, crc);
        }
        buffer.putInt(section.length);
        int at = 0;
        while (at < section.length)
        {
            if (!buffer.hasRemaining())
            {
                flush(channel, buffer, crc);
            }
            final int n = Math.min(buffer.remaining(), section.length - at);
            buffer.put(section, at, n);
            at += n;
        }
    }

    /** Decodes one section's bytes. */
    private interface SectionDecoder<T>
    {
        T read(DataInput in) throws IOException;
    }

    /** Decode a section, which must be consumed whole; any failure names the snapshot and the section. */
    private static <T> T decode(
        final byte[] bytes, final String name, final String what, final SectionDecoder<T> decoder)
    {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes)))
        {
            final T value = decoder.read(in);
            if (in.available() != 0)
            {
                throw new IOException(in.available() + " bytes left after the " + what);
            }
            return value;
        }
        catch (final IOException ex)
        {
            throw new SnapshotException(name + ": " + what + ": " + ex.getMessage());
        }
    }

    /** Read the sections after the accounts and attach them to the state, whose accounts are committed already. */
    private static void readSections(
        final FileChannel channel, final String name, final int sections, final long sectionBytes,
        final ChainState state) throws IOException
    {
        long left = sectionBytes;
        if ((sections & SECTION_DPOS) != 0)
        {
            final byte[] bytes = section(channel, name, left);
            left -= 4 + bytes.length;
            state.dpos(decode(bytes, name, "DPoS state", DposCodec::read));
        }
        if ((sections & SECTION_CONTRACTS) != 0)
        {
            final byte[] bytes = section(channel, name, left);
            left -= 4 + bytes.length;
            state.contracts(decode(bytes, name, "contracts state", ContractsCodec::read));
        }
        if (left != 0)
        {
            throw new SnapshotException(name + ": " + left + " bytes after its sections");
        }
    }

    private static byte[] section(final FileChannel channel, final String name, final long left) throws IOException
    {
        final ByteBuffer lengthBuffer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        if (left < 4)
        {
            throw new SnapshotException(name + ": truncated section");
        }
        readFully(channel, lengthBuffer, name);
        final int length = lengthBuffer.getInt(0);
        if (length < 0 || length > left - 4)
        {
            throw new SnapshotException(name + ": section of " + length + " bytes does not fit");
        }
        final ByteBuffer bytes = ByteBuffer.allocate(length);
        readFully(channel, bytes, name);
        return bytes.array();
    }

    /**
     * @param file a snapshot file.
     * @return its height from its name, or -1 when the name is not a snapshot's.
     */
    static long heightOf(final Path file)
    {
        final String name = file.getFileName().toString();
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX))
        {
            return -1;
        }
        try
        {
            return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    static String fileName(final long height)
    {
        return String.format("%s%020d%s", PREFIX, height, SUFFIX);
    }

    private static void flush(final FileChannel channel, final ByteBuffer buffer, final CRC32C crc) throws IOException
    {
        buffer.flip();
        crc.update(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private static void readFully(final FileChannel channel, final ByteBuffer buffer, final String name)
        throws IOException
    {
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer) < 0)
            {
                throw new SnapshotException(name + ": truncated");
            }
        }
    }
}
