package io.cmtchain.transport;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Transactions waiting for their receipt, keyed by 32-byte hash: open addressing with linear probing and
 * backward-shift deletion, preallocated, so submitting and matching allocate nothing. Single threaded.
 */
final class PendingTable
{
    static final int HASH_LENGTH = 32;
    static final int FULL = -1;
    static final int DUPLICATE = -2;

    private final int maxSize;
    private final int mask;
    private final UnsafeBuffer keys;
    private final long[] tags;
    private final long[] submitTimesNs;
    private final ReceiptListener[] listeners;
    private int size;

    PendingTable(final int maxSize)
    {
        this.maxSize = maxSize;
        final int capacity = BitUtil.findNextPositivePowerOfTwo(Math.max(2, maxSize) * 2);
        mask = capacity - 1;
        keys = new UnsafeBuffer(new byte[capacity * HASH_LENGTH]);
        tags = new long[capacity];
        submitTimesNs = new long[capacity];
        listeners = new ReceiptListener[capacity];
    }

    int size()
    {
        return size;
    }

    int capacity()
    {
        return listeners.length;
    }

    /**
     * @return the slot, or {@link #FULL} or {@link #DUPLICATE}.
     */
    int insert(
        final DirectBuffer hash, final int hashOffset, final ReceiptListener listener, final long tag, final long nowNs)
    {
        if (size >= maxSize)
        {
            return FULL;
        }
        int slot = home(hash, hashOffset);
        while (null != listeners[slot])
        {
            if (keyEquals(slot, hash, hashOffset))
            {
                return DUPLICATE;
            }
            slot = (slot + 1) & mask;
        }
        keys.putBytes(slot * HASH_LENGTH, hash, hashOffset, HASH_LENGTH);
        listeners[slot] = listener;
        tags[slot] = tag;
        submitTimesNs[slot] = nowNs;
        size++;
        return slot;
    }

    /** @return the slot holding the hash, or -1. */
    int find(final DirectBuffer hash, final int hashOffset)
    {
        int slot = home(hash, hashOffset);
        while (null != listeners[slot])
        {
            if (keyEquals(slot, hash, hashOffset))
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    ReceiptListener listener(final int slot)
    {
        return listeners[slot];
    }

    long tag(final int slot)
    {
        return tags[slot];
    }

    long submitTimeNs(final int slot)
    {
        return submitTimesNs[slot];
    }

    /** @return the buffer holding the slot's key, at {@link #keyOffset(int)}. */
    UnsafeBuffer keys()
    {
        return keys;
    }

    static int keyOffset(final int slot)
    {
        return slot * HASH_LENGTH;
    }

    /** @return true if the slot holds an entry. */
    boolean isUsed(final int slot)
    {
        return null != listeners[slot];
    }

    void remove(final int slot)
    {
        int hole = slot;
        listeners[hole] = null;
        size--;
        int next = (hole + 1) & mask;
        while (null != listeners[next])
        {
            final int home = home(keys, next * HASH_LENGTH);
            // Move the entry back into the hole if the hole lies on its probe path (between its home and itself).
            if (((next - home) & mask) >= ((next - hole) & mask))
            {
                keys.putBytes(hole * HASH_LENGTH, keys, next * HASH_LENGTH, HASH_LENGTH);
                listeners[hole] = listeners[next];
                tags[hole] = tags[next];
                submitTimesNs[hole] = submitTimesNs[next];
                listeners[next] = null;
                hole = next;
            }
            next = (next + 1) & mask;
        }
    }

    /** Forget every entry (after the caller has reported them). */
    void clear()
    {
        Arrays.fill(listeners, null);
        size = 0;
    }

    private int home(final DirectBuffer hash, final int hashOffset)
    {
        // A hash is uniformly distributed already; its first 8 bytes are a good enough index.
        return (int)(hash.getLong(hashOffset, ByteOrder.LITTLE_ENDIAN) & mask);
    }

    private boolean keyEquals(final int slot, final DirectBuffer hash, final int hashOffset)
    {
        final int base = slot * HASH_LENGTH;
        for (int i = 0; i < HASH_LENGTH; i += 8)
        {
            if (keys.getLong(base + i) != hash.getLong(hashOffset + i))
            {
                return false;
            }
        }
        return true;
    }
}
