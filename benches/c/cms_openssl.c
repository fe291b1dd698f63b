/* OpenSSL (libcrypto) side of the CMS comparison (scripts/bench-cms-vs-openssl.sh,
 * benches/compare.sh): in-process, RSA-2048, attached and detached, 1 KiB and 1 MiB, with the
 * chain and a timestamp — the same work as our side (benches/examples/cms_compare.rs), on the
 * files it writes to <dir>:
 *
 *   sign:   CMS_sign (signer certificate included, signed attributes, SHA-256), then an
 *           RFC 3161 request over the signature value answered in-process by a TS_RESP_CTX
 *           (RSA-2048 TSA key, SHA-256, ESS signing-certificate-v2), the token added as the
 *           unsigned attribute id-aa-timeStampToken, DER out (i2d).
 *   verify: of OUR CMS file for the case (same bytes as our verify): d2i, CMS_verify with
 *           the chain leaf -> CA -> root in an X509_STORE (as `openssl cms -verify -CAfile`),
 *           then the timestamp token: TS_RESP_verify_token (version, TSA signature and chain
 *           to the same store, imprint = SHA-256 of the signature value).
 *
 * The TSA of the sign step is a throwaway one the script makes with `openssl req` (the dev
 * TSA's key does not leave mgovsign-testkit); it signs with the same algorithms as ours.
 *
 * usage: cms_openssl <dir> <tsa.pem> <tsa.key> [iterations]
 *        (<dir> holds rsa_signer.pem, rsa_signer.key, rsa_ca.pem, content_<n>.bin,
 *         ours_<attached|detached>_<n>.p7s; BENCH_AT_UNIX = the validation instant)
 * prints: openssl rsa2048 <attached|detached> <bytes> sign_us=<median> verify_us=<median>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
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
    fprintf(stderr, "cms_openssl: %s failed\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static unsigned char *read_file(const char *path, long *len) {
    FILE *f = fopen(path, "rb");
    if (!f) die(path);
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)*len + 1);
    if (fread(buf, 1, (size_t)*len, f) != (size_t)*len) die(path);
    fclose(f);
    return buf;
}

static X509 *read_cert(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) die(path);
    X509 *c = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (!c) die(path);
    return c;
}

static EVP_PKEY *read_key(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) die(path);
    EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    if (!k) die(path);
    return k;
}

/* The DER of a TimeStampToken over SHA-256(sig), from the in-process TSA. */
static unsigned char *stamp(TS_RESP_CTX *tsa, const ASN1_OCTET_STRING *sig, int *len) {
    unsigned char md[32];
    if (!EVP_Digest(ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig), md, NULL,
                    EVP_sha256(), NULL))
        die("digest of the signature");
    TS_REQ *req = TS_REQ_new();
    TS_MSG_IMPRINT *imprint = TS_MSG_IMPRINT_new();
    X509_ALGOR *alg = X509_ALGOR_new();
    X509_ALGOR_set_md(alg, EVP_sha256());
    TS_MSG_IMPRINT_set_algo(imprint, alg);
    TS_MSG_IMPRINT_set_msg(imprint, md, sizeof md);
    TS_REQ_set_version(req, 1);
    TS_REQ_set_msg_imprint(req, imprint);
    unsigned char nonce_bytes[8];
    RAND_bytes(nonce_bytes, sizeof nonce_bytes);
    nonce_bytes[0] &= 0x7f;
    ASN1_INTEGER *nonce = ASN1_INTEGER_new();
    BIGNUM *bn = BN_bin2bn(nonce_bytes, sizeof nonce_bytes, NULL);
    BN_to_ASN1_INTEGER(bn, nonce);
    TS_REQ_set_nonce(req, nonce);
    TS_REQ_set_cert_req(req, 1);
    BIO *req_bio = BIO_new(BIO_s_mem());
    if (i2d_TS_REQ_bio(req_bio, req) != 1) die("i2d TS_REQ");
    TS_RESP *resp = TS_RESP_create_response(tsa, req_bio);
    if (!resp || ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp))) != 0)
        die("TS_RESP_create_response");
    unsigned char *der = NULL;
    *len = i2d_PKCS7(TS_RESP_get_token(resp), &der);
    if (*len <= 0) die("i2d token");
    TS_RESP_free(resp);
    BIO_free(req_bio);
    BN_free(bn);
    ASN1_INTEGER_free(nonce);
    X509_ALGOR_free(alg);
    TS_MSG_IMPRINT_free(imprint);
    TS_REQ_free(req);
    return der;
}

static void verify_timestamp(CMS_SignerInfo *si, X509_STORE *store) {
    int idx = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
    if (idx < 0) die("timestamp attribute present");
    X509_ATTRIBUTE *attr = CMS_unsigned_get_attr(si, idx);
    ASN1_TYPE *t = X509_ATTRIBUTE_get0_type(attr, 0);
    if (!t || t->type != V_ASN1_SEQUENCE) die("timestamp attribute value");
    const unsigned char *p = t->value.sequence->data;
    PKCS7 *token = d2i_PKCS7(NULL, &p, t->value.sequence->length);
    if (!token) die("d2i token");
    ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(si);
    unsigned char *md = OPENSSL_malloc(32);
    if (!EVP_Digest(ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig), md, NULL,
                    EVP_sha256(), NULL))
        die("digest of the signature");
    TS_VERIFY_CTX *ctx = TS_VERIFY_CTX_new();
    TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT);
    TS_VERIFY_CTX_set_imprint(ctx, md, 32); /* owned by ctx */
    X509_STORE_up_ref(store);
    TS_VERIFY_CTX_set_store(ctx, store); /* owned by ctx */
    if (TS_RESP_verify_token(ctx, token) != 1) die("TS_RESP_verify_token");
    TS_VERIFY_CTX_free(ctx);
    PKCS7_free(token);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s dir tsa.pem tsa.key [iterations]\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    int runs = argc > 4 ? atoi(argv[4]) : 21;
    char path[4096];
    snprintf(path, sizeof path, "%s/rsa_signer.pem", dir);
    X509 *cert = read_cert(path);
    snprintf(path, sizeof path, "%s/rsa_signer.key", dir);
    EVP_PKEY *key = read_key(path);
    X509_STORE *store = X509_STORE_new();
    snprintf(path, sizeof path, "%s/rsa_ca.pem", dir);
    if (X509_STORE_load_file(store, path) != 1) die("load CA file");
    /* The dev certificates are dated from the dev PKI's epoch: the script passes an instant
     * inside their validity (the same one ours uses) in BENCH_AT_UNIX. */
    X509_VERIFY_PARAM *param = X509_STORE_get0_param(store);
    const char *env_t = getenv("BENCH_AT_UNIX");
    if (env_t) X509_VERIFY_PARAM_set_time(param, (time_t)atoll(env_t));
    X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_ANY);

    TS_RESP_CTX *tsa = TS_RESP_CTX_new();
    if (!TS_RESP_CTX_set_signer_cert(tsa, read_cert(argv[2]))) die("TSA certificate");
    if (!TS_RESP_CTX_set_signer_key(tsa, read_key(argv[3]))) die("TSA key");
    ASN1_OBJECT *policy = OBJ_txt2obj("1.2.398.3.3.2.6.2", 1);
    TS_RESP_CTX_set_def_policy(tsa, policy);
    TS_RESP_CTX_add_md(tsa, EVP_sha256());
    TS_RESP_CTX_set_signer_digest(tsa, EVP_sha256());
    TS_RESP_CTX_set_ess_cert_id_digest(tsa, EVP_sha256());

    long long *ts = malloc(sizeof(long long) * (size_t)runs);
    long long *tv = malloc(sizeof(long long) * (size_t)runs);
    size_t sizes[2] = {1024, 1 << 20};
    for (int detached = 0; detached < 2; detached++) {
        const char *mode = detached ? "detached" : "attached";
        for (int s = 0; s < 2; s++) {
            size_t size = sizes[s];
            long content_len = 0;
            snprintf(path, sizeof path, "%s/content_%zu.bin", dir, size);
            unsigned char *content = read_file(path, &content_len);
            unsigned int flags = CMS_BINARY | CMS_PARTIAL | (detached ? CMS_DETACHED : 0);
            for (int i = 0; i < runs; i++) {
                long long t0 = now_us();
                BIO *in = BIO_new_mem_buf(content, (int)content_len);
                CMS_ContentInfo *cms = CMS_sign(cert, key, NULL, in, flags);
                if (!cms) die("CMS_sign");
                BIO_free(in);
                in = BIO_new_mem_buf(content, (int)content_len);
                if (CMS_final(cms, in, NULL, flags) != 1) die("CMS_final");
                CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
                int tok_len = 0;
                unsigned char *tok = stamp(tsa, CMS_SignerInfo_get0_signature(si), &tok_len);
                if (CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken,
                                                  V_ASN1_SEQUENCE, tok, tok_len) != 1)
                    die("add the timestamp");
                unsigned char *der = NULL;
                int der_len = i2d_CMS_ContentInfo(cms, &der);
                if (der_len <= 0) die("i2d");
                OPENSSL_free(der);
                OPENSSL_free(tok);
                CMS_ContentInfo_free(cms);
                BIO_free(in);
                ts[i] = now_us() - t0;
            }
            long ours_len = 0;
            snprintf(path, sizeof path, "%s/ours_%s_%zu.p7s", dir, mode, size);
            unsigned char *ours = read_file(path, &ours_len);
            for (int i = 0; i < runs; i++) {
                long long t0 = now_us();
                const unsigned char *p = ours;
                CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, ours_len);
                if (!cms) die("d2i");
                BIO *dcont = detached ? BIO_new_mem_buf(content, (int)content_len) : NULL;
                BIO *out = BIO_new(BIO_s_null());
                if (CMS_verify(cms, NULL, store, dcont, out, CMS_BINARY) != 1) die("CMS_verify");
                verify_timestamp(sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0), store);
                BIO_free(out);
                BIO_free(dcont);
                CMS_ContentInfo_free(cms);
                tv[i] = now_us() - t0;
            }
            printf("openssl rsa2048 %s %zu sign_us=%lld verify_us=%lld\n", mode, size,
                   median(ts, runs), median(tv, runs));
            free(ours);
            free(content);
        }
    }
    return 0;
}
