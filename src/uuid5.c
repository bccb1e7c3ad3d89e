#include "uuid5.h"

#include "err.h"
#include "util.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const unsigned char SB_UUID_NS_DNS[16] = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                          0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
/* 7f386f13-a90a-5e3d-a62a-1c5c11f5eee6: fixed forever, or every published UUID changes. */
const unsigned char SB_UUID_NS_MCSB_AUDIT[16] = {0x7f, 0x38, 0x6f, 0x13, 0xa9, 0x0a, 0x5e, 0x3d,
                                                 0xa6, 0x2a, 0x1c, 0x5c, 0x11, 0xf5, 0xee, 0xe6};

void sb_uuid5(char out[37], const unsigned char ns[16], const char *name, size_t len)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) || !EVP_DigestUpdate(ctx, ns, 16) ||
        !EVP_DigestUpdate(ctx, name, len) || !EVP_DigestFinal_ex(ctx, md, &mdlen) || mdlen < 16) {
        /* Only allocation fails inside OpenSSL for SHA-1; the x* allocators treat that as fatal too. */
        fputs("mcsb-audit: out of memory\n", stderr);
        exit(SB_EXIT_OUTPUT);
    }
    EVP_MD_CTX_free(ctx);
    md[6] = (unsigned char)((md[6] & 0x0f) | 0x50); /* version 5 */
    md[8] = (unsigned char)((md[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        snprintf(p, 3, "%02x", md[i]);
        p += 2;
    }
    *p = '\0';
}

void sb_uuid5_of(char out[37], const char *kind, const char *key)
{
    char *name = sb_xasprintf("%s:%s", kind, key ? key : "");
    sb_uuid5(out, SB_UUID_NS_MCSB_AUDIT, name, strlen(name));
    free(name);
}
