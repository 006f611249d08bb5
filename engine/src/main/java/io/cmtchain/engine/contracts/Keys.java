package io.cmtchain.engine.contracts;

/**
 * Record keys: a kind byte, then big-endian integers and raw addresses, so unsigned byte order is numeric order.
 */
final class Keys
{
    static final byte TOKEN = 'T';
    static final byte HOLDING = 'H';
    static final byte ALLOWANCE = 'A';
    static final byte ESCROW = 'E';
    static final byte SCHEDULE = 'S';
    static final byte CREDIT = 'C';
    static final byte LOAN = 'L';
    static final byte POOL = 'I';
    static final byte POLICY = 'P';

    private Keys()
    {
    }

    static byte[] token(final long id)
    {
        final byte[] k = new byte[9];
        k[0] = TOKEN;
        putLong(k, 1, id);
        return k;
    }

    static byte[] holding(final long tokenId, final byte[] address)
    {
        final byte[] k = new byte[29];
        k[0] = HOLDING;
        putLong(k, 1, tokenId);
        System.arraycopy(address, 0, k, 9, 20);
        return k;
    }

    static byte[] allowance(final long tokenId, final byte[] owner, final byte[] spender)
    {
        final byte[] k = new byte[49];
        k[0] = ALLOWANCE;
        putLong(k, 1, tokenId);
        System.arraycopy(owner, 0, k, 9, 20);
        System.arraycopy(spender, 0, k, 29, 20);
        return k;
    }

    static byte[] escrow(final long id)
    {
        final byte[] k = new byte[9];
        k[0] = ESCROW;
        putLong(k, 1, id);
        return k;
    }

    static byte[] loan(final long id)
    {
        final byte[] k = new byte[9];
        k[0] = LOAN;
        putLong(k, 1, id);
        return k;
    }

    static byte[] pool(final long id)
    {
        final byte[] k = new byte[9];
        k[0] = POOL;
        putLong(k, 1, id);
        return k;
    }

    static byte[] policy(final long poolId, final byte[] holder)
    {
        final byte[] k = new byte[29];
        k[0] = POLICY;
        putLong(k, 1, poolId);
        System.arraycopy(holder, 0, k, 9, 20);
        return k;
    }

    static byte[] schedule(final long dueHeight, final long sequence)
    {
        final byte[] k = new byte[17];
        k[0] = SCHEDULE;
        putLong(k, 1, dueHeight);
        putLong(k, 9, sequence);
        return k;
    }

    static byte[] credit(final byte[] address)
    {
        final byte[] k = new byte[21];
        k[0] = CREDIT;
        System.arraycopy(address, 0, k, 1, 20);
        return k;
    }

    static void putLong(final byte[] k, final int offset, final long v)
    {
        for (int i = 0; i < 8; i++)
        {
            k[offset + i] = (byte)(v >>> (56 - 8 * i));
        }
    }
}
