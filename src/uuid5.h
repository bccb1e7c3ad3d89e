/**
 * @file uuid5.h
 * @brief Name-based (version 5, SHA-1) UUIDs per RFC 4122 section 4.3: the same namespace and name
 * always give the same UUID, which keeps OSCAL documents reproducible.
 */
#ifndef SB_UUID5_H
#define SB_UUID5_H

#include <stddef.h>

/** RFC 4122 appendix C namespaces, and ours (uuid5(URL namespace, "urn:mcsb-audit:oscal")). */
extern const unsigned char SB_UUID_NS_DNS[16];
extern const unsigned char SB_UUID_NS_MCSB_AUDIT[16];

/** uuid5(ns, name[0..len)) as 36 lower-case characters plus NUL. */
void sb_uuid5(char out[37], const unsigned char ns[16], const char *name, size_t len);

/** uuid5(SB_UUID_NS_MCSB_AUDIT, "<kind>:<key>"), e.g. ("finding", finding id). */
void sb_uuid5_of(char out[37], const char *kind, const char *key);

#endif
