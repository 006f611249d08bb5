package io.cmtchain.engine.contracts;

import io.cmtchain.engine.util.Sha256;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The incrementally maintained root equals the root of a store built afresh with the same records. */
class ContractStoreTest
{
    private static byte[] address(final Random r)
    {
        final byte[] a = new byte[20];
        r.nextBytes(a);
        return a;
    }

    private static byte[] rebuilt(final List<Holding> records)
    {
        final ContractStore fresh = new ContractStore();
        for (final Holding h : records)
        {
            final Holding copy = new Holding(h.key);
            copy.balance = h.balance;
            copy.frozen = h.frozen;
            fresh.add(copy);
        }
        return fresh.root(new Sha256()).clone();
    }

    @Test
    void shouldMatchAFreshRootAfterIncrementalChanges()
    {
        final Random r = new Random(7);
        final ContractStore store = new ContractStore();
        final Sha256 sha = new Sha256();
        final List<Holding> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++)
        {
            final Holding h = new Holding(Keys.holding(r.nextInt(5), address(r)));
            h.balance = r.nextInt(1_000_000);
            store.add(h);
            records.add(h);
        }
        final byte[] first = store.root(sha).clone();
        assertArrayEquals(rebuilt(records), first);
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < 5; i++)
            {
                final Holding h = records.get(r.nextInt(records.size()));
                h.balance++;
                h.frozen = !h.frozen;
                store.markDirty(h);
            }
            final Holding gone = records.remove(r.nextInt(records.size()));
            store.remove(gone);
            final Holding added = new Holding(Keys.holding(9, address(r)));
            added.balance = round;
            store.add(added);
            records.add(added);
            assertArrayEquals(rebuilt(records), store.root(sha), "round " + round);
        }
        assertFalse(java.util.Arrays.equals(first, store.root(sha)));
    }
}
