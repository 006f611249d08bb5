/*
 * libsodium single Ed25519 verification rate, the yardstick for cmtchain's sigverify module.
 *
 * usage: sodium_verify_bench [seconds] [distinct_keys]
 * prints: libsodium_single_per_s <rate>
 *
 * Keys, messages and signatures are generated before timing; every verification must return 0,
 * otherwise the harness exits nonzero so a broken build cannot report a rate.
 */
#define _POSIX_C_SOURCE 199309L
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MSG_LEN 128

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    const double seconds = argc > 1 ? atof(argv[1]) : 5.0;
    const int count = argc > 2 ? atoi(argv[2]) : 1024;
    if (seconds <= 0.0 || count <= 0)
    {
        fprintf(stderr, "usage: %s [seconds>0] [distinct_keys>0]\n", argv[0]);
        return 2;
    }
    if (sodium_init() < 0)
    {
        fprintf(stderr, "sodium_init failed\n");
        return 1;
    }

    unsigned char *pks = malloc((size_t)count * crypto_sign_PUBLICKEYBYTES);
    unsigned char *sigs = malloc((size_t)count * crypto_sign_BYTES);
    unsigned char *msgs = malloc((size_t)count * MSG_LEN);
    if (pks == NULL || sigs == NULL || msgs == NULL)
    {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    for (int i = 0; i < count; i++)
    {
        crypto_sign_keypair(pks + (size_t)i * crypto_sign_PUBLICKEYBYTES, sk);
        randombytes_buf(msgs + (size_t)i * MSG_LEN, MSG_LEN);
        crypto_sign_detached(sigs + (size_t)i * crypto_sign_BYTES, NULL, msgs + (size_t)i * MSG_LEN, MSG_LEN, sk);
    }

    /* Warm-up: a fifth of the measured time, at least a few hundred calls. */
    const double warm_end = now_s() + seconds / 5.0;
    int idx = 0;
    while (now_s() < warm_end)
    {
        if (crypto_sign_verify_detached(sigs + (size_t)idx * crypto_sign_BYTES, msgs + (size_t)idx * MSG_LEN, MSG_LEN,
            pks + (size_t)idx * crypto_sign_PUBLICKEYBYTES) != 0)
        {
            fprintf(stderr, "verification failed at %d\n", idx);
            return 1;
        }
        idx = idx + 1 == count ? 0 : idx + 1;
    }

    long ops = 0;
    const double start = now_s();
    double elapsed = 0.0;
    do
    {
        for (int j = 0; j < 64; j++)
        {
            if (crypto_sign_verify_detached(sigs + (size_t)idx * crypto_sign_BYTES, msgs + (size_t)idx * MSG_LEN,
                MSG_LEN, pks + (size_t)idx * crypto_sign_PUBLICKEYBYTES) != 0)
            {
                fprintf(stderr, "verification failed at %d\n", idx);
                return 1;
            }
            idx = idx + 1 == count ? 0 : idx + 1;
        }
        ops += 64;
        elapsed = now_s() - start;
    }
    while (elapsed < seconds);

    printf("libsodium_single_per_s %.1f\n", (double)ops / elapsed);
    free(pks);
    free(sigs);
    free(msgs);
    return 0;
}
