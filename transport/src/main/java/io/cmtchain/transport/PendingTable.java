package io.cmtchain.transport;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.IdentityHashMap;

/**
 * Transactions waiting for their receipt, keyed by 32-byte hash: open addressing with linear probing and
 * backward-shift deletion, preallocated, so submitting and matching allocate nothing. Single threaded.
 * <p>
 * Each slot is one 64-byte cache line (hash, tag, submit time, listener id), so an insert or a lookup of a table much
 * larger than the caches costs one miss, not one per field. Listeners are kept by id in a small registry, counted by
 * the slots that use them: the slots hold no object references, so filling and emptying them costs the garbage
 * collector's write barrier nothing (a load generator keeps hundreds of thousands pending).
 */
final class PendingTable
{
    static final int HASH_LENGTH = 32;
    static final int FULL = -1;
    static final int DUPLICATE = -2;
    /** The most entries a table holds: its slots (twice as many, 64 bytes each) fill one buffer of 1 GiB. */
    static final int MAX_SIZE = 1 << 23;

    private static final int SLOT_LENGTH = 64;
    private static final int TAG_OFFSET = 32;
    private static final int TIME_OFFSET = 40;
    /** Listener id + 1; 0 = empty slot. */
    private static final int LISTENER_OFFSET = 48;

    private final int maxSize;
    private final int mask;
    private final UnsafeBuffer slots;
    private final IdentityHashMap<ReceiptListener, Integer> listenerIds = new IdentityHashMap<>();
    private ReceiptListener[] listeners = new ReceiptListener[4];
    private int[] listenerUses = new int[4];
    private int[] freeIds = new int[4];
    private int freeCount;
    /** The next id never used yet; freed ids are reused first. */
    private int nextListenerId;
    private ReceiptListener lastListener;
    private int lastListenerId = -1;
    private int size;

    PendingTable(final int maxSize)
    {
        if (maxSize > MAX_SIZE)
        {
            throw new IllegalArgumentException("at most " + MAX_SIZE + " pending, was " + maxSize);
        }
        this.maxSize = maxSize;
        final int capacity = BitUtil.findNextPositivePowerOfTwo(Math.max(2, maxSize) * 2);
        mask = capacity - 1;
        slots = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity * SLOT_LENGTH, SLOT_LENGTH));
    }

    int size()
    {
        return size;
    }

    int capacity()
    {
        return mask + 1;
    }

    int insert(
        final DirectBuffer hash, final int hashOffset, final ReceiptListener listener, final long tag, final long nowNs)
    {
        if (size >= maxSize)
        {
            return FULL;
        }
        int slot = home(hash, hashOffset);
        while (isUsed(slot))
        {
            if (keyEquals(slot, hash, hashOffset))
            {
                return DUPLICATE;
            }
            slot = (slot + 1) & mask;
        }
        final int base = slot * SLOT_LENGTH;
        slots.putBytes(base, hash, hashOffset, HASH_LENGTH);
        slots.putLong(base + TAG_OFFSET, tag);
        slots.putLong(base + TIME_OFFSET, nowNs);
        slots.putInt(base + LISTENER_OFFSET, acquire(listener) + 1);
        size++;
        return slot;
    }

    int find(final DirectBuffer hash, final int hashOffset)
    {
        int slot = home(hash, hashOffset);
        while (isUsed(slot))
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
        return listeners[slots.getInt(slot * SLOT_LENGTH + LISTENER_OFFSET) - 1];
    }

    long tag(final int slot)
    {
        return slots.getLong(slot * SLOT_LENGTH + TAG_OFFSET);
    }

    long submitTimeNs(final int slot)
    {
        return slots.getLong(slot * SLOT_LENGTH + TIME_OFFSET);
    }

    /** @return the buffer holding every slot's hash, at {@link #keyOffset(int)}. */
    UnsafeBuffer keys()
    {
        return slots;
    }

    static int keyOffset(final int slot)
    {
        return slot * SLOT_LENGTH;
    }

    boolean isUsed(final int slot)
    {
        return 0 != slots.getInt(slot * SLOT_LENGTH + LISTENER_OFFSET);
    }

    void remove(final int slot)
    {
        release(slots.getInt(slot * SLOT_LENGTH + LISTENER_OFFSET) - 1);
        int hole = slot;
        slots.putInt(hole * SLOT_LENGTH + LISTENER_OFFSET, 0);
        size--;
        int next = (hole + 1) & mask;
        while (isUsed(next))
        {
            final int home = home(slots, next * SLOT_LENGTH);
            // Move the entry back into the hole if the hole lies on its probe path (between its home and itself).
            if (((next - home) & mask) >= ((next - hole) & mask))
            {
                slots.putBytes(hole * SLOT_LENGTH, slots, next * SLOT_LENGTH, SLOT_LENGTH);
                slots.putInt(next * SLOT_LENGTH + LISTENER_OFFSET, 0);
                hole = next;
            }
            next = (next + 1) & mask;
        }
    }

    void clear()
    {
        for (int slot = 0; slot <= mask; slot++)
        {
            slots.putInt(slot * SLOT_LENGTH + LISTENER_OFFSET, 0);
        }
        size = 0;
        listenerIds.clear();
        java.util.Arrays.fill(listeners, null);
        java.util.Arrays.fill(listenerUses, 0);
        freeCount = 0;
        nextListenerId = 0;
        lastListener = null;
        lastListenerId = -1;
    }

    /** @return how many distinct listeners have entries (for tests). */
    int listenerCount()
    {
        return listenerIds.size();
    }

    /** @return how many listener ids the registry has room for (for tests: freed ids must be reused). */
    int listenerCapacity()
    {
        return listeners.length;
    }

    private int acquire(final ReceiptListener listener)
    {
        if (null == listener)
        {
            throw new NullPointerException("listener");
        }
        int id;
        if (listener == lastListener)
        {
            id = lastListenerId;
        }
        else
        {
            final Integer known = listenerIds.get(listener);
            if (null != known)
            {
                id = known;
            }
            else
            {
                id = freeCount > 0 ? freeIds[--freeCount] : nextListenerId++;
                if (id == listeners.length)
                {
                    listeners = java.util.Arrays.copyOf(listeners, id * 2);
                    listenerUses = java.util.Arrays.copyOf(listenerUses, id * 2);
                    freeIds = java.util.Arrays.copyOf(freeIds, id * 2);
                }
                listeners[id] = listener;
                listenerIds.put(listener, id);
            }
            lastListener = listener;
            lastListenerId = id;
        }
        listenerUses[id]++;
        return id;
    }

    private void release(final int id)
    {
        if (--listenerUses[id] == 0)
        {
            listenerIds.remove(listeners[id]);
            if (listeners[id] == lastListener)
            {
                lastListener = null;
                lastListenerId = -1;
            }
            listeners[id] = null;
            freeIds[freeCount++] = id;
        }
    }

    private int home(final DirectBuffer hash, final int hashOffset)
    {
        // A hash is uniformly distributed already; its first 8 bytes are a good enough index.
        return (int)(hash.getLong(hashOffset, ByteOrder.LITTLE_ENDIAN) & mask);
    }

    private boolean keyEquals(final int slot, final DirectBuffer hash, final int hashOffset)
    {
        final int base = slot * SLOT_LENGTH;
        for (int i = 0; i < HASH_LENGTH; i += 8)
        {
            if (slots.getLong(base + i) != hash.getLong(hashOffset + i))
            {
                return false;
            }
        }
        return true;
    }
}
