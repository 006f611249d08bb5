package io.cmtchain.journal;

/**
 * How durable a block is when {@link BlockJournal#append} returns, and so when its receipts may be released.
 */
public enum Durability
{
    /**
     * The block is in the operating system's page cache (a memory-mapped store file): it survives a crash of the
     * node's process, not a crash of the machine or a power cut.
     */
    PROCESS,

    /**
     * The block's bytes are forced to the storage device ({@code msync(MS_SYNC)} on the mapped range of the
     * queue's cycle file) before append returns: it survives a power cut, at the cost of one device flush per block.
     */
    POWER
}
