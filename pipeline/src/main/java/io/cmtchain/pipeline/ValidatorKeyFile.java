package io.cmtchain.pipeline;

import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.journal.DataDirectory;
import io.cmtchain.transport.loadgen.FileArguments;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A validator's Ed25519 key in a file: comment lines starting with {@code #} (the public key and address, for the
 * operator), then the 32-byte seed as 64 hex digits on a line of its own. {@code cmt keygen} writes one, readable by
 * its owner only; {@code cmt node --validator-key FILE} reads it. Anyone who reads the file can sign as the validator.
 */
public final class ValidatorKeyFile
{
    private static final int SEED_LENGTH = 32;
    private static final String EXPECTED = "expected one line of 64 hex digits (the Ed25519 seed) besides # comments";

    private ValidatorKeyFile()
    {
    }

    /**
     * @return a new key from the platform's strong random source.
     */
    public static Ed25519Key generate()
    {
        final byte[] seed = new byte[SEED_LENGTH];
        new SecureRandom().nextBytes(seed);
        return new Ed25519Key(seed);
    }

    /**
     * Write a key to a new file, readable and writable by its owner only (where the file system has POSIX
     * permissions). The file is either absent or whole, whatever fails: the key is written to a temporary file in the
     * same directory, forced to the device and only then given its name, which a failed write never gets.
     *
     * @param file to create; an existing file is never overwritten.
     * @param key  to store.
     * @throws IllegalArgumentException naming the file if it exists or cannot be written.
     */
    public static void write(final File file, final Ed25519Key key)
    {
        write(file, key, WriteSteps.FILE_SYSTEM);
    }

    /**
     * The steps of {@link #write(File, Ed25519Key)} that touch the device, for tests to make them fail.
     */
    interface WriteSteps
    {
        WriteSteps FILE_SYSTEM = new WriteSteps()
        {
        };

        /**
         * @param channel of the temporary file.
         * @param text    the key file's whole text, to write.
         * @throws IOException when it cannot be written.
         */
        default void write(final FileChannel channel, final ByteBuffer text) throws IOException
        {
            while (text.hasRemaining())
            {
                channel.write(text);
            }
        }

        /**
         * @param keyFile the name to give the temporary file.
         * @param temp    the temporary file, complete.
         * @throws IOException as {@link Files#createLink(Path, Path)}.
         */
        default void link(final Path keyFile, final Path temp) throws IOException
        {
            Files.createLink(keyFile, temp);
        }
    }

    static void write(final File file, final Ed25519Key key, final WriteSteps steps)
    {
        final byte[] text = ("# cmtchain validator key (Ed25519 seed): keep it secret\n" +
            "# public key " + Hex.encode(key.publicKey()) + "\n" +
            "# address " + Hex.encode(key.address()) + "\n" +
            Hex.encode(key.seed()) + "\n").getBytes(StandardCharsets.US_ASCII);
        final Path path = file.toPath().toAbsolutePath();
        // A link, even one that leads nowhere, is a file there: creating the key file through it was refused too.
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        {
            throw exists(file, null);
        }
        final Path directory = path.getParent();
        final Path temp;
        try
        {
            final String prefix = "." + path.getFileName() + ".";
            temp = directory.getFileSystem().supportedFileAttributeViews().contains("posix") ?
                Files.createTempFile(directory, prefix, ".tmp", PosixFilePermissions.asFileAttribute(
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))) :
                Files.createTempFile(directory, prefix, ".tmp");
        }
        catch (final IOException ex)
        {
            throw cannotWrite(file, ex);
        }
        try
        {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE))
            {
                steps.write(channel, ByteBuffer.wrap(text));
                channel.force(true);
            }
            publish(file, path, temp, steps);
        }
        catch (final IOException ex)
        {
            final IllegalArgumentException failure = cannotWrite(file, ex);
            removeAfterFailure(temp, failure);
            throw failure;
        }
        catch (final RuntimeException | Error ex)
        {
            removeAfterFailure(temp, ex);
            throw ex;
        }
        try
        {
            // The key file is whole under its name; the temporary one, unless renamed, is another name of it.
            Files.deleteIfExists(temp);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("wrote " + file + " but cannot remove " + temp + ", another name of " +
                "it that holds the key too: " + FileArguments.reason(ex) + "; remove it", ex);
        }
        // Make the new name durable.
        DataDirectory.forceDirectory(directory);
    }

    /**
     * Give the complete temporary file the key file's name, never in place of a file there: a hard link, which fails
     * if the name is taken, as a rename does not (ATOMIC_MOVE is rename(2) on Linux, which replaces its target
     * whatever REPLACE_EXISTING says).
     */
    private static void publish(final File file, final Path keyFile, final Path temp, final WriteSteps steps)
        throws IOException
    {
        try
        {
            steps.link(keyFile, temp);
        }
        catch (final FileAlreadyExistsException ex)
        {
            // Created since it was looked for, e.g. by another keygen: that file stays as it is.
            throw exists(file, ex);
        }
        catch (final UnsupportedOperationException | IOException ex)
        {
            // A file system without hard links (FAT, some network ones): a rename, after a check that another process
            // creating the same file at the same moment could come between.
            if (Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS))
            {
                throw exists(file, null);
            }
            try
            {
                Files.move(temp, keyFile, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final IOException moveFailure)
            {
                moveFailure.addSuppressed(ex);
                throw moveFailure;
            }
        }
    }

    private static IllegalArgumentException exists(final File file, final Throwable cause)
    {
        return new IllegalArgumentException(file + " exists already; a key file is never overwritten", cause);
    }

    private static IllegalArgumentException cannotWrite(final File file, final IOException ex)
    {
        return new IllegalArgumentException("cannot write " + file + ": " + FileArguments.reason(ex), ex);
    }

    private static void removeAfterFailure(final Path temp, final Throwable failure)
    {
        try
        {
            Files.deleteIfExists(temp);
        }
        catch (final IOException | RuntimeException ex)
        {
            failure.addSuppressed(ex);
        }
    }

    /**
     * @param file a key file.
     * @return its key.
     * @throws IllegalArgumentException naming the file and what is wrong with it.
     */
    public static Ed25519Key read(final File file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file.toPath(), StandardCharsets.US_ASCII);
        }
        catch (final java.nio.file.NoSuchFileException ex)
        {
            throw new IllegalArgumentException("no validator key file " + file, ex);
        }
        catch (final CharacterCodingException ex)
        {
            throw new IllegalArgumentException("validator key file " + file + ": not ASCII text; " + EXPECTED, ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(
                "cannot read validator key file " + file + ": " + FileArguments.reason(ex), ex);
        }
        String seedHex = null;
        for (final String raw : lines)
        {
            final String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            if (seedHex != null)
            {
                throw new IllegalArgumentException("validator key file " + file +
                    ": more than one key line (expected one line of 64 hex digits besides # comments)");
            }
            seedHex = line;
        }
        if (seedHex == null || seedHex.length() != 2 * SEED_LENGTH || !seedHex.matches("[0-9a-fA-F]+"))
        {
            throw new IllegalArgumentException("validator key file " + file + ": " + EXPECTED);
        }
        final Ed25519Key key = new Ed25519Key(Hex.decode(seedHex));
        final String stated = statedPublicKey(lines);
        if (stated != null && !stated.equalsIgnoreCase(Hex.encode(key.publicKey())))
        {
            throw new IllegalArgumentException("validator key file " + file + ": its seed gives public key " +
                Hex.encode(key.publicKey()) + ", not the " + stated + " its comment states");
        }
        return key;
    }

    /**
     * @param files key files.
     * @return their keys, in order.
     */
    public static List<Ed25519Key> readAll(final List<File> files)
    {
        final List<Ed25519Key> keys = new ArrayList<>(files.size());
        for (final File file : files)
        {
            keys.add(read(file));
        }
        return keys;
    }

    /**
     * @param file a key file.
     * @return whether users other than its owner may read it (false where the file system has no POSIX permissions).
     * A link is followed: what counts is the file that {@link #read(File)} reads, whose permissions a link's own
     * (always rwxrwxrwx on Linux) do not tell.
     */
    public static boolean readableByOthers(final File file)
    {
        try
        {
            final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file.toPath());
            return permissions.contains(PosixFilePermission.GROUP_READ) ||
                permissions.contains(PosixFilePermission.OTHERS_READ);
        }
        catch (final UnsupportedOperationException | IOException ex)
        {
            return false;
        }
    }

    private static String statedPublicKey(final List<String> lines)
    {
        for (final String raw : lines)
        {
            final String line = raw.strip();
            if (line.startsWith("# public key "))
            {
                return line.substring("# public key ".length()).strip();
            }
        }
        return null;
    }
}
