package io.cmtchain.journal;

/**
 * Re-executing a journaled block did not reproduce it (a root or a receipt differs): the journal and the code
 * disagree about the chain. The message names the block.
 */
public final class ReplayMismatchException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message naming the block and what differs.
     */
    public ReplayMismatchException(final String message)
    {
        super(message);
    }
}
