package io.cmtchain.journal;

/**
 * A block was not appended because the journal's file system has less free space than the block plus
 * {@link JournalContext#MIN_FREE_BYTES_PROP}: nothing of it was written, and the journal still ends at the block before.
 * Writing on would risk a block written into the mapped file past the disk's end, lost without an error.
 */
public final class JournalFullException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message which block, how much space is free and how much is kept.
     */
    public JournalFullException(final String message)
    {
        super(message);
    }
}
