package io.cmtchain.journal;

/**
 * A block was not appended for want of disk space: the journal's file system has less free space than the block plus
 * {@link JournalContext#MIN_FREE_BYTES_PROP}, or the space for it could not be allocated, in the queue file
 * ({@link SpaceReservation}) or in the height index ({@link JournalIndex#reserveHeight}).
 * Nothing of it was written, and the journal still ends at the block before. Writing on would risk a block written into
 * the mapped file past the disk's end, lost without an error.
 * <p>
 * One case, which the message states, is after the block was appended: its transaction hashes could not be written to
 * the index's log ({@code txhash.log}, see {@link JournalIndex}). The journal then ends at that block, and its index is
 * rebuilt from the journal at the next open.
 * <p>
 * A node refuses to start with it when the free space is already below what the journal keeps
 * ({@link ChronicleBlockJournal#requireFreeSpace()}).
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

    /**
     * @param message which block, and why its space could not be had.
     * @param cause   the failed allocation.
     */
    public JournalFullException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
