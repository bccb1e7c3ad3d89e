#include "sign.h"

#include "err.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

/* Key files are small; anything bigger is not a key and must not be slurped whole. */
#define KEY_FILE_MAX (1024 * 1024)

/* Refuse to prompt: a batch tool must never block on a terminal passphrase prompt. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf, (void)size, (void)rwflag, (void)u;
    return -1;
}

static int read_key_file(char **out, size_t *out_len, const char *path, struct sb_err *e)
{
    if (sb_read_file(out, out_len, path, KEY_FILE_MAX, e) != 0)
        return -1;
    if (*out_len == 0) {
        free(*out);
        *out = NULL;
        return sb_err_set(e, SB_EXIT_INPUT, "%s: empty key file", path);
    }
    return 0;
}

static void free_key_file(char *buf, size_t len)
{
    if (buf)
        OPENSSL_cleanse(buf, len);
    free(buf);
}

static EVP_PKEY *parse_private(const char *buf, size_t len)
{
    BIO *bio = BIO_new_mem_buf(buf, (int)len);
    EVP_PKEY *k = bio ? PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL) : NULL;
    BIO_free(bio);
    if (!k) {
        bio = BIO_new_mem_buf(buf, (int)len);
        k = bio ? d2i_PrivateKey_bio(bio, NULL) : NULL;
        BIO_free(bio);
    }
    ERR_clear_error();
    return k;
}

static EVP_PKEY *parse_public(const char *buf, size_t len)
{
    BIO *bio = BIO_new_mem_buf(buf, (int)len);
    EVP_PKEY *k = bio ? PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL) : NULL;
    BIO_free(bio);
    if (!k) {
        bio = BIO_new_mem_buf(buf, (int)len);
        X509 *cert = bio ? PEM_read_bio_X509(bio, NULL, no_passphrase, NULL) : NULL;
        BIO_free(bio);
        if (cert) {
            k = X509_get_pubkey(cert);
            X509_free(cert);
        }
    }
    if (!k) {
        bio = BIO_new_mem_buf(buf, (int)len);
        k = bio ? d2i_PUBKEY_bio(bio, NULL) : NULL;
        BIO_free(bio);
    }
    ERR_clear_error();
    return k;
}

/* The digest that goes with a key type (NULL for EdDSA, which signs the message itself). */
static int pick_digest(const EVP_MD **out, const EVP_PKEY *k, const char *path, struct sb_err *e)
{
    switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_ED25519:
    case EVP_PKEY_ED448:
        *out = NULL;
        return 0;
    case EVP_PKEY_RSA:
        if (EVP_PKEY_get_bits(k) < 2048)
            return sb_err_set(e, SB_EXIT_INPUT, "%s: RSA key has %d bits; at least 2048 are required", path,
                              EVP_PKEY_get_bits(k));
        *out = EVP_sha256();
        return 0;
    case EVP_PKEY_EC:
        *out = EVP_sha256();
        return 0;
    default:
        return sb_err_set(e, SB_EXIT_INPUT, "%s: unsupported key type (use Ed25519, RSA or EC)", path);
    }
}

int sb_sign(unsigned char **out, size_t *out_len, const void *data, size_t n, const char *key_path,
            struct sb_err *e)
{
    *out = NULL;
    *out_len = 0;
    char *buf = NULL;
    size_t len = 0;
    EVP_PKEY *k = NULL;
    EVP_MD_CTX *ctx = NULL;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    int rc = -1;

    if (read_key_file(&buf, &len, key_path, e) != 0)
        goto cleanup;
    k = parse_private(buf, len);
    if (!k) {
        if (strstr(buf, "ENCRYPTED"))
            sb_err_set(e, SB_EXIT_INPUT, "%s: encrypted private keys are not supported (no passphrase prompt "
                       "in batch runs); decrypt it with 'openssl pkey'", key_path);
        else
            sb_err_set(e, SB_EXIT_INPUT, "%s: not a PEM or DER private key", key_path);
        goto cleanup;
    }
    const EVP_MD *md;
    if (pick_digest(&md, k, key_path, e) != 0)
        goto cleanup;
    ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestSignInit(ctx, NULL, md, NULL, k) != 1
        || EVP_DigestSign(ctx, NULL, &sig_len, data, n) != 1) {
        sb_err_set(e, SB_EXIT_INPUT, "%s: cannot sign with this key", key_path);
        goto cleanup;
    }
    sig = sb_xmalloc(sig_len ? sig_len : 1);
    if (EVP_DigestSign(ctx, sig, &sig_len, data, n) != 1) {
        sb_err_set(e, SB_EXIT_INPUT, "%s: signing failed", key_path);
        goto cleanup;
    }
    *out = sig;
    *out_len = sig_len;
    sig = NULL;
    rc = 0;
cleanup:
    ERR_clear_error();
    free(sig);
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(k);
    free_key_file(buf, len);
    return rc;
}

int sb_verify_signature(bool *out, const void *data, size_t n, const unsigned char *sig, size_t sig_len,
                        const char *pubkey_path, struct sb_err *e)
{
    *out = false;
    char *buf = NULL;
    size_t len = 0;
    EVP_PKEY *k = NULL;
    EVP_MD_CTX *ctx = NULL;
    int rc = -1;

    if (read_key_file(&buf, &len, pubkey_path, e) != 0)
        goto cleanup;
    k = parse_public(buf, len);
    if (!k) {
        sb_err_set(e, SB_EXIT_INPUT, "%s: not a public key (expected PEM \"PUBLIC KEY\", a certificate, or DER)",
                   pubkey_path);
        goto cleanup;
    }
    const EVP_MD *md;
    if (pick_digest(&md, k, pubkey_path, e) != 0)
        goto cleanup;
    ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestVerifyInit(ctx, NULL, md, NULL, k) != 1) {
        sb_err_set(e, SB_EXIT_INPUT, "%s: cannot verify with this key", pubkey_path);
        goto cleanup;
    }
    /* 0 is a bad signature, < 0 a malformed one (e.g. wrong length for the key): both are "no". */
    *out = EVP_DigestVerify(ctx, sig, sig_len, data, n) == 1;
    rc = 0;
cleanup:
    ERR_clear_error();
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(k);
    free(buf);
    return rc;
}
