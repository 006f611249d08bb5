package io.cmtchain.journal;

import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.state.ChainState;

import java.nio.file.Path;

/**
 * A loaded snapshot: the whole state after block {@link #height()}, its checksum verified and its state root
 * recomputed and equal to the one recorded in it.
 */
public final class Snapshot
{
    private final Path file;
    private final long height;
    private final byte[] lastHeaderHash;
    private final byte[] stateRoot;
    private final ChainState state;

    Snapshot(final Path file, final long height, final byte[] lastHeaderHash, final byte[] stateRoot,
        final ChainState state)
    {
        this.file = file;
        this.height = height;
        this.lastHeaderHash = lastHeaderHash;
        this.stateRoot = stateRoot;
        this.state = state;
    }

    public Path file()
    {
        return file;
    }

    public long height()
    {
        return height;
    }

    /** @return a copy of the hash of the header of block {@link #height()}. */
    public byte[] lastHeaderHash()
    {
        return lastHeaderHash.clone();
    }

    /** @return a copy of the state root after block {@link #height()}. */
    public byte[] stateRoot()
    {
        return stateRoot.clone();
    }

    public ChainState state()
    {
        return state;
    }

    /** @return a chain positioned after block {@link #height()}, on this snapshot's state. */
    public Chain toChain()
    {
        return new Chain(state, height, lastHeaderHash);
    }
}
