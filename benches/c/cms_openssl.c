/* OpenSSL (libcrypto) side of scripts/bench-cms-vs-openssl.sh: in-process CMS_sign and
 * CMS_verify (chain to the root in an X509_STORE, as `openssl cms -verify -CAfile` does) for
 * RSA-2048, attached and detached, 1 KiB and 1 MiB. Verify includes d2i of the DER CMS.
 *
 * usage: cms_openssl <signer.pem> <signer.key> <ca.pem (intermediate + root)> [runs]
 * prints: openssl rsa2048 <attached|detached> <bytes> sign_us=<median> verify_us=<median>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

static long long now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int cmp(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static long long median(long long *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

static void die(const char *what) {
    fprintf(stderr, "%s failed\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s signer.pem signer.key ca.pem [runs]\n", argv[0]);
        return 2;
    }
    int runs = argc > 4 ? atoi(argv[4]) : 21;
    FILE *f = fopen(argv[1], "r");
    if (!f) die("open signer");
    X509 *cert = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    f = fopen(argv[2], "r");
    if (!f) die("open key");
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    if (!cert || !key) die("read signer");
    X509_STORE *store = X509_STORE_new();
    if (X509_STORE_load_file(store, argv[3]) != 1) die("load CA file");
    /* The dev certificates are dated from the dev PKI's epoch: the script passes an instant
     * inside their validity (the same one ours uses) in BENCH_AT_UNIX. */
    X509_VERIFY_PARAM *param = X509_STORE_get0_param(store);
    const char *env_t = getenv("BENCH_AT_UNIX");
    if (env_t) X509_VERIFY_PARAM_set_time(param, (time_t)atoll(env_t));
    X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_ANY);

    long long *ts = malloc(sizeof(long long) * (size_t)runs);
    long long *tv = malloc(sizeof(long long) * (size_t)runs);
    size_t sizes[2] = {1024, 1 << 20};
    for (int detached = 0; detached < 2; detached++) {
        for (int s = 0; s < 2; s++) {
            size_t size = sizes[s];
            unsigned char *content = malloc(size);
            memset(content, 0x5a, size);
            unsigned char *der = NULL;
            int der_len = 0;
            unsigned int flags = CMS_BINARY | (detached ? CMS_DETACHED : 0);
            for (int i = 0; i < runs; i++) {
                long long t0 = now_us();
                BIO *in = BIO_new_mem_buf(content, (int)size);
                CMS_ContentInfo *cms = CMS_sign(cert, key, NULL, in, flags);
                if (!cms) die("CMS_sign");
                OPENSSL_free(der);
                der = NULL;
                der_len = i2d_CMS_ContentInfo(cms, &der);
                if (der_len <= 0) die("i2d");
                CMS_ContentInfo_free(cms);
                BIO_free(in);
                ts[i] = now_us() - t0;
            }
            for (int i = 0; i < runs; i++) {
                long long t0 = now_us();
                const unsigned char *p = der;
                CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, der_len);
                if (!cms) die("d2i");
                BIO *dcont = detached ? BIO_new_mem_buf(content, (int)size) : NULL;
                BIO *out = BIO_new(BIO_s_null());
                if (CMS_verify(cms, NULL, store, dcont, out, CMS_BINARY) != 1) die("CMS_verify");
                BIO_free(out);
                BIO_free(dcont);
                CMS_ContentInfo_free(cms);
                tv[i] = now_us() - t0;
            }
            printf("openssl rsa2048 %s %zu sign_us=%lld verify_us=%lld\n",
                   detached ? "detached" : "attached", size, median(ts, runs), median(tv, runs));
            OPENSSL_free(der);
            free(content);
        }
    }
    return 0;
}
