/*
 * libsodium's Ed25519 rates on one core, the yardsticks for cmtchain's sigverify module.
 *
 * usage: sodium_bench verify|sign [seconds] [distinct_keys] [message_bytes]
 * prints: libsodium_single_per_s <rate>   (verify: crypto_sign_verify_detached)
 *         libsodium_sign_per_s <rate>     (sign: crypto_sign_detached, a different message each time)
 *
 * Keys, messages and (for verify) signatures are made before timing. Every verification must return 0, and after a
 * signing run the signatures made in its last pass over the keys must verify; otherwise the harness exits nonzero,
 * so a broken build cannot report a rate.
 */
#define _POSIX_C_SOURCE 199309L
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_MSG_LEN 1024

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int verify_one(const unsigned char *sigs, const unsigned char *msgs, const unsigned char *pks, int msg_len,
    int idx)
{
    return crypto_sign_verify_detached(sigs + (size_t)idx * crypto_sign_BYTES, msgs + (size_t)idx * msg_len,
        (unsigned long long)msg_len, pks + (size_t)idx * crypto_sign_PUBLICKEYBYTES);
}

static void sign_one(unsigned char *sigs, unsigned char *msgs, const unsigned char *sks, int msg_len, int idx)
{
    unsigned char *msg = msgs + (size_t)idx * msg_len;
    msg[msg_len - 1]++; /* a different message each time, as block commits are */
    crypto_sign_detached(sigs + (size_t)idx * crypto_sign_BYTES, NULL, msg, (unsigned long long)msg_len,
        sks + (size_t)idx * crypto_sign_SECRETKEYBYTES);
}

/* One operation of the mode on key idx: 0, or nonzero when a verification failed (said on stderr). */
static int step(int sign, unsigned char *sigs, unsigned char *msgs, const unsigned char *pks, const unsigned char *sks,
    int msg_len, int idx)
{
    if (sign)
    {
        sign_one(sigs, msgs, sks, msg_len, idx);
        return 0;
    }
    if (verify_one(sigs, msgs, pks, msg_len, idx) != 0)
    {
        fprintf(stderr, "verification failed at %d\n", idx);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const int sign = argc > 1 && strcmp(argv[1], "sign") == 0;
    const double seconds = argc > 2 ? atof(argv[2]) : 5.0;
    const int count = argc > 3 ? atoi(argv[3]) : 1024;
    const int msg_len = argc > 4 ? atoi(argv[4]) : 128;
    if (argc < 2 || (!sign && strcmp(argv[1], "verify") != 0) || seconds <= 0.0 || count <= 0 || msg_len <= 0 ||
        msg_len > MAX_MSG_LEN)
    {
        fprintf(stderr, "usage: %s verify|sign [seconds>0] [distinct_keys>0] [message_bytes 1..%d]\n", argv[0],
            MAX_MSG_LEN);
        return 2;
    }
    if (sodium_init() < 0)
    {
        fprintf(stderr, "sodium_init failed\n");
        return 1;
    }

    unsigned char *pks = malloc((size_t)count * crypto_sign_PUBLICKEYBYTES);
    unsigned char *sks = malloc((size_t)count * crypto_sign_SECRETKEYBYTES);
    unsigned char *sigs = malloc((size_t)count * crypto_sign_BYTES);
    unsigned char *msgs = malloc((size_t)count * msg_len);
    if (pks == NULL || sks == NULL || sigs == NULL || msgs == NULL)
    {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int i = 0; i < count; i++)
    {
        crypto_sign_keypair(pks + (size_t)i * crypto_sign_PUBLICKEYBYTES, sks + (size_t)i * crypto_sign_SECRETKEYBYTES);
        randombytes_buf(msgs + (size_t)i * msg_len, (size_t)msg_len);
        crypto_sign_detached(sigs + (size_t)i * crypto_sign_BYTES, NULL, msgs + (size_t)i * msg_len,
            (unsigned long long)msg_len, sks + (size_t)i * crypto_sign_SECRETKEYBYTES);
    }

    /* Warm-up: a fifth of the measured time. */
    const double warm_end = now_s() + seconds / 5.0;
    int idx = 0;
    while (now_s() < warm_end)
    {
        if (step(sign, sigs, msgs, pks, sks, msg_len, idx) != 0)
        {
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
            if (step(sign, sigs, msgs, pks, sks, msg_len, idx) != 0)
            {
                return 1;
            }
            idx = idx + 1 == count ? 0 : idx + 1;
        }
        ops += 64;
        elapsed = now_s() - start;
    }
    while (elapsed < seconds);

    if (sign)
    {
        for (int i = 0; i < count; i++)
        {
            if (verify_one(sigs, msgs, pks, msg_len, i) != 0)
            {
                fprintf(stderr, "a signature made in the run does not verify (key %d)\n", i);
                return 1;
            }
        }
    }
    printf("%s %.1f\n", sign ? "libsodium_sign_per_s" : "libsodium_single_per_s", (double)ops / elapsed);
    free(pks);
    free(sks);
    free(sigs);
    free(msgs);
    return 0;
}
