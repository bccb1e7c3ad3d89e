/**
 * @file report_json.h
 * @brief The report as a cJSON tree (the report.json contract); used by render_json (and by tests).
 */
#ifndef SB_REPORT_JSON_H
#define SB_REPORT_JSON_H

#include <cjson/cJSON.h>

#include "report.h"

/** Caller owns the tree (cJSON_Delete). */
cJSON *report_to_json(const struct sb_report *r);

#endif
