package io.cmtchain.journal;

/**
 * A snapshot file that cannot be used: damaged, of another chain, or not matching the journal. Recovery skips it
 * and tries an older one.
 */
public final class SnapshotException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the file.
     */
    public SnapshotException(final String message)
    {
        super(message);
    }
}
