package io.cmtchain.pipeline;

import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.transport.loadgen.FileArguments;

import java.io.File;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
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
     * permissions).
     *
     * @param file to create; an existing file is never overwritten.
     * @param key  to store.
     * @throws IllegalArgumentException naming the file if it exists or cannot be written.
     */
    public static void write(final File file, final Ed25519Key key)
    {
        final String text = "# cmtchain validator key (Ed25519 seed): keep it secret\n" +
            "# public key " + Hex.encode(key.publicKey()) + "\n" +
            "# address " + Hex.encode(key.address()) + "\n" +
            Hex.encode(key.seed()) + "\n";
        final Path path = file.toPath();
        try
        {
            if (path.getFileSystem().supportedFileAttributeViews().contains("posix"))
            {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(
                    Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            }
            else
            {
                Files.createFile(path);
            }
            Files.writeString(path, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new IllegalArgumentException(file + " exists already; a key file is never overwritten", ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot write " + file + ": " + FileArguments.reason(ex), ex);
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
