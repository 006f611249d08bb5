package io.cmtchain.journal;

/**
 * The journal holds bytes that are not a block it wrote (a failed checksum, a gap in the heights, an unreadable
 * entry) anywhere but its torn last entry. Recovery stops rather than guess: the message names the block.
 */
public final class JournalCorruptedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message naming the block height and the entry's index.
     */
    public JournalCorruptedException(final String message)
    {
        super(message);
    }

    /**
     * @param message naming the block height and the entry's index.
     * @param cause   what the queue reported.
     */
    public JournalCorruptedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
