/**
 * @file baseline.h
 * @brief A service security baseline as data (templates/baselines/<id>.json), loaded and validated.
 *
 * Ownership: baseline_load() returns a tree the caller frees with baseline_free(); every pointer
 * inside (controls, features, policies, strings) is borrowed from it and lives as long as it.
 */
#ifndef SB_BASELINE_H
#define SB_BASELINE_H

#include <stddef.h>
#include <stdio.h>

struct sb_err;

/** The baseline's three-valued columns: "True", "False", "Not Applicable". */
enum sb_tri { SB_TRI_FALSE = 0, SB_TRI_TRUE = 1, SB_TRI_NA = 2 };

/** Configuration Responsibility: "Microsoft", "Customer", "Shared", "Not Applicable". */
enum sb_resp { SB_RESP_MICROSOFT = 0, SB_RESP_CUSTOMER, SB_RESP_SHARED, SB_RESP_NA };

/** An Azure Policy definition the baseline lists for a feature. */
struct sb_policy {
    char *name;          /**< display name, exactly as in the baseline */
    char *description;
    char *effects;       /**< e.g. "AuditIfNotExists, Disabled" */
    char *version;       /**< e.g. "3.0.0" */
    char *definition_id; /**< optional: /providers/Microsoft.Authorization/policyDefinitions/<guid>, or NULL */
};

struct sb_control;

struct sb_feature {
    const struct sb_control *control; /**< back pointer */
    char *name;          /**< exactly as in the baseline, e.g. "Network Security Group Support" */
    char *description;
    enum sb_tri supported;
    enum sb_tri enabled_by_default;
    enum sb_resp responsibility;
    char *notes;         /**< "Feature notes" / "Note:" text, or NULL */
    char *guidance;      /**< "Configuration Guidance" text */
    char *reference;     /**< "Reference:" text, or NULL */
    char *rule;          /**< evaluator rule id (see eval.h), or NULL: supported features without a
                              rule get a `manual` result, unsupported ones `not_applicable` */
    struct sb_policy *policies;
    size_t npolicies;
    /* Links (validated absolute https URLs), last so positional initialisers stay valid: */
    char *learn_more_url; /**< where the description's "Learn more." points, or NULL */
    char *reference_url;  /**< the page the "Reference:" text names, or NULL (never without a reference) */
};

struct sb_control {
    char *id;            /**< "NS-1" */
    char *domain;        /**< "Network security" */
    char *title;         /**< "Establish network segmentation boundaries" */
    struct sb_feature *features;
    size_t nfeatures;
    char *domain_url;    /**< the benchmark's page for the domain (https URL), or NULL */
};

struct sb_profile_attr {
    char *name;          /**< "Product Category" */
    char *value;         /**< "Hybrid/Multi-Cloud, Networking" */
};

struct sb_baseline {
    char *id;            /**< "expressroute" (stable id used in finding ids) */
    char *service;       /**< "ExpressRoute" */
    char *title;         /**< "Azure security baseline for ExpressRoute" */
    char *mcsb_version;  /**< "1.0" */
    char *source;        /**< where the baseline text comes from (URL or document name) */
    char *sha256;        /**< hash of the baseline file as loaded */
    char *path;          /**< the file it was loaded from */
    struct sb_profile_attr *profile;
    size_t nprofile;
    struct sb_control *controls;
    size_t ncontrols;
};

/**
 * Load and validate a baseline file. Unknown keys, missing fields, wrong types, bad enum
 * values and duplicate control ids or feature names are errors (exit code 3) naming the file
 * and the JSON path, e.g. "b.json: controls[2].features[0].supported: expected one of True, False, Not Applicable".
 */
int baseline_load(struct sb_baseline **out, const char *path, struct sb_err *e);
void baseline_free(struct sb_baseline *b);

/**
 * Why `url` is not a link the reports may make clickable (an absolute https URL of printable
 * ASCII with a plain host, at most 2000 characters), or NULL when it is. The link fields are
 * checked with it on loading; `source` is free text and is linked only when it passes.
 */
const char *baseline_url_problem(const char *url);

/** Total number of features over all controls. */
size_t baseline_feature_count(const struct sb_baseline *b);
const struct sb_control *baseline_find_control(const struct sb_baseline *b, const char *id);
const struct sb_feature *baseline_find_feature(const struct sb_baseline *b, const char *control_id,
                                               const char *feature_name);

const char *sb_tri_str(enum sb_tri v);   /**< "True", "False", "Not Applicable" */
const char *sb_resp_str(enum sb_resp v); /**< "Microsoft", "Customer", "Shared", "Not Applicable" */

/** `mcsb-audit baseline show`: the responsibility matrix as an aligned text table. */
int baseline_print_matrix(const struct sb_baseline *b, FILE *f);

#endif
