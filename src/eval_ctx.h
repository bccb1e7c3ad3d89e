/* Private to the evaluator: the context rules share and the helpers that build results. */
#ifndef SB_EVAL_CTX_H
#define SB_EVAL_CTX_H

#include "eval.h"

struct eval_ctx {
    const struct sb_baseline *baseline;
    const struct sb_state *state;
    struct sb_results *out;
};

/** Start a result for `f`. resource_id may be NULL; res->resource_* are derived from it. */
struct sb_result *ev_result(struct eval_ctx *c, const struct sb_feature *f, const char *resource_id,
                            const char *resource_type, const char *display_name);
void ev_set(struct sb_result *res, enum sb_status st, enum sb_severity sev, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ev_remedy(struct sb_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Append evidence (strings copied; value NULL is written "(absent)"). */
void ev_evidence(struct sb_result *res, const char *resource_id, const char *path, const char *value,
                 const char *expected);
/** Evidence from a JSON value at `path` of `r`'s object. */
void ev_evidence_json(struct sb_result *res, const struct sb_resource *r, const char *path, const char *expected);

/* Gateways */
enum gw_kind { GW_UNKNOWN = 0, GW_EXPRESSROUTE, GW_VPN, GW_OTHER };
enum gw_kind ev_gateway_kind(const struct sb_resource *gw);
/** The VNet id a virtual network gateway's first IP configuration sits in, or NULL (caller frees). */
char *ev_gateway_vnet_id(const struct sb_resource *gw);

/** A gap as one line: "HTTP 403 AuthorizationFailed: message". Caller frees. */
char *ev_gap_text(const struct sb_gap *g);

/** The one result of a resource-bound feature with nothing in scope: not_assessed "the inputs hold no resources"
 *  when the inputs hold none at all, else not_applicable naming `what` and the resource types read. */
void ev_nothing_in_scope(struct eval_ctx *c, const struct sb_feature *f, const char *what);

/** When `r` has no readable properties (no `properties`, no known az CLI property): set `res` not_assessed with the
 *  reason and return true. Rules call it before reading a property whose absence would mean something. */
bool ev_unreadable(struct sb_result *res, const struct sb_resource *r);

/** Gaps that name no resource in the state (subscription / management group / truncation): results not_assessed. */
size_t ev_scope_gaps(struct eval_ctx *c, const struct sb_feature *f, bool diag_only);

/* Rules (eval_rule_*.c). Each adds at least one result for f. */
int rule_ns1_vnet_integration(struct eval_ctx *c, const struct sb_feature *f);
int rule_ns1_nsg_support(struct eval_ctx *c, const struct sb_feature *f);
int rule_im8_key_vault(struct eval_ctx *c, const struct sb_feature *f);
int rule_dp3_transit_encryption(struct eval_ctx *c, const struct sb_feature *f);
int rule_lt4_resource_logs(struct eval_ctx *c, const struct sb_feature *f);
int rule_br1_native_backup(struct eval_ctx *c, const struct sb_feature *f);

/** Parse an Azure Key Vault secret URI. On success fills vault host label and secret name (caller frees). */
int ev_parse_kv_secret_uri(const char *uri, char **vault, char **secret);

#endif
