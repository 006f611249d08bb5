package io.cmtchain.sigverify;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Random 128-bit batch coefficients z_i. The security of batch verification rests on z_i being unpredictable
 * to whoever chose the signatures, so they come from a secret 256-bit seed drawn once from {@link SecureRandom}
 * and expanded per batch as SHA-512(seed || counter || block), never from the batch contents.
 */
final class CoefficientSource
{
    private final MessageDigest sha512 = ChallengeHasher.newSha512();
    private final byte[] seed = new byte[32];
    private final byte[] counterBytes = new byte[16];
    private final byte[] block = new byte[64];
    private long counter;

    CoefficientSource()
    {
        new SecureRandom().nextBytes(seed);
    }

    /**
     * Fill {@code z[2i], z[2i+1]} (low, high words) for i in [0, count).
     */
    void next(final long[] z, final int count)
    {
        counter++;
        ChallengeHasher.LE_LONG.set(counterBytes, 0, counter);
        for (int i = 0; i < count; i += 4)
        {
            ChallengeHasher.LE_LONG.set(counterBytes, 8, (long)i);
            sha512.update(seed, 0, seed.length);
            sha512.update(counterBytes, 0, counterBytes.length);
            try
            {
                sha512.digest(block, 0, 64);
            }
            catch (final DigestException ex)
            {
                throw new IllegalStateException(ex);
            }
            final int n = Math.min(4, count - i);
            for (int j = 0; j < 2 * n; j++)
            {
                z[2 * i + j] = (long)ChallengeHasher.LE_LONG.get(block, 8 * j);
            }
        }
    }
}
