/**
 * @file sign.h
 * @brief Detached signatures over a byte buffer (OpenSSL libcrypto), checkable with the openssl CLI.
 *
 * Supported keys and what the signature is:
 * - Ed25519 / Ed448: PureEdDSA over the bytes (no pre-hash), as `openssl pkeyutl -sign -rawin`.
 * - RSA (>= 2048 bits): SHA-256 with PKCS#1 v1.5 padding, as `openssl dgst -sha256 -sign`.
 * - EC (NIST curves): ECDSA with SHA-256, DER-encoded, as `openssl dgst -sha256 -sign`.
 * Keys are PEM (or DER) files; encrypted private keys are refused rather than prompting on a
 * terminal. Error messages name the key file and never contain key material.
 */
#ifndef SB_SIGN_H
#define SB_SIGN_H

#include <stdbool.h>
#include <stddef.h>

struct sb_err;

/**
 * Sign `n` bytes with the private key in `key_path`. On success *out (caller frees) holds the
 * raw signature and *out_len its length. Key problems are SB_EXIT_INPUT errors naming the file.
 */
int sb_sign(unsigned char **out, size_t *out_len, const void *data, size_t n, const char *key_path,
            struct sb_err *e);

/**
 * Check a signature with the public key (PEM/DER SubjectPublicKeyInfo, or an X.509 certificate)
 * in `pubkey_path`. *out is true only for a valid signature by that key. Returns -1 (SB_EXIT_INPUT)
 * only when the key itself cannot be used; a wrong key or bad signature is *out = false.
 */
int sb_verify_signature(bool *out, const void *data, size_t n, const unsigned char *sig, size_t sig_len,
                        const char *pubkey_path, struct sb_err *e);

#endif
