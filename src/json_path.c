/* Lenient reading of ARM JSON: Azure sends missing, null and "" alike. */
#include "state.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const cJSON *object_get(const cJSON *obj, const char *key, size_t keylen)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, obj)
    {
        if (it->string && strlen(it->string) == keylen && memcmp(it->string, key, keylen) == 0)
            return it;
    }
    /* ARG and hand-made exports occasionally differ in key case; ids and types are case-insensitive anyway. */
    cJSON_ArrayForEach(it, obj)
    {
        if (it->string && strlen(it->string) == keylen && strncasecmp(it->string, key, keylen) == 0)
            return it;
    }
    return NULL;
}

const cJSON *sb_json_at(const cJSON *root, const char *path)
{
    const cJSON *cur = root;
    const char *p = path;
    while (cur && *p) {
        if (*p == '[') {
            char *end;
            long idx = strtol(p + 1, &end, 10);
            if (*end != ']' || idx < 0 || !cJSON_IsArray(cur))
                return NULL;
            cur = cJSON_GetArrayItem(cur, (int)idx);
            p = end + 1;
        } else {
            if (*p == '.')
                p++;
            size_t n = strcspn(p, ".[");
            cur = object_get(cur, p, n);
            p += n;
        }
    }
    return cJSON_IsNull(cur) ? NULL : cur;
}

const char *sb_json_str(const cJSON *root, const char *path)
{
    const cJSON *v = sb_json_at(root, path);
    return cJSON_IsString(v) && v->valuestring && *v->valuestring ? v->valuestring : NULL;
}

int sb_json_bool(const cJSON *root, const char *path)
{
    const cJSON *v = sb_json_at(root, path);
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v) ? 1 : 0;
    if (cJSON_IsString(v) && v->valuestring) {
        if (strcasecmp(v->valuestring, "true") == 0)
            return 1;
        if (strcasecmp(v->valuestring, "false") == 0)
            return 0;
    }
    return -1;
}

char *sb_json_text(const cJSON *v)
{
    if (!v || cJSON_IsNull(v))
        return sb_xstrdup("(absent)");
    if (cJSON_IsString(v))
        return sb_xstrdup(v->valuestring && *v->valuestring ? v->valuestring : "(absent)");
    if (cJSON_IsBool(v))
        return sb_xstrdup(cJSON_IsTrue(v) ? "true" : "false");
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d == (double)(long long)d && d > -9e15 && d < 9e15)
            return sb_xasprintf("%lld", (long long)d);
        return sb_xasprintf("%.17g", d);
    }
    char *s = cJSON_PrintUnformatted(v);
    char *r = sb_xstrdup(s ? s : "(unprintable)");
    cJSON_free(s);
    return r;
}

void sb_id_parts(const char *id, char **subscription, char **resource_group, char **name)
{
    if (subscription)
        *subscription = NULL;
    if (resource_group)
        *resource_group = NULL;
    if (name)
        *name = NULL;
    if (!id)
        return;
    const char *p = id;
    while (*p) {
        while (*p == '/')
            p++;
        size_t klen = strcspn(p, "/");
        const char *val = p + klen;
        if (*val != '/')
            break;
        val++;
        size_t vlen = strcspn(val, "/");
        if (subscription && !*subscription && klen == 13 && strncasecmp(p, "subscriptions", 13) == 0)
            *subscription = sb_xstrndup(val, vlen);
        else if (resource_group && !*resource_group && klen == 14 && strncasecmp(p, "resourceGroups", 14) == 0)
            *resource_group = sb_xstrndup(val, vlen);
        p = val + vlen;
    }
    if (name) {
        size_t l = strlen(id);
        while (l && id[l - 1] == '/')
            l--;
        size_t s = l;
        while (s && id[s - 1] != '/')
            s--;
        if (l > s)
            *name = sb_xstrndup(id + s, l - s);
    }
}

const char *sb_id_last_providers(const char *id)
{
    const char *prov = NULL;
    for (const char *p = id; (p = strchr(p, '/')); p++)
        if (strncasecmp(p, "/providers/", 11) == 0)
            prov = p;
    return prov;
}

/* Locate "/providers/microsoft.insights/diagnosticsettings/" case-insensitively. */
static const char *find_diag_marker(const char *id)
{
    static const char marker[] = "/providers/microsoft.insights/diagnosticsettings/";
    size_t ml = sizeof marker - 1;
    for (const char *p = strchr(id, '/'); p; p = strchr(p + 1, '/'))
        if (strncasecmp(p, marker, ml) == 0)
            return p;
    return NULL;
}

char *sb_id_parent(const char *id)
{
    if (!id)
        return NULL;
    const char *m = find_diag_marker(id);
    if (m)
        return m > id ? sb_xstrndup(id, (size_t)(m - id)) : NULL;
    /* A nested ARM child: ".../providers/NS/type/name/childType/childName". */
    const char *prov = sb_id_last_providers(id);
    if (!prov)
        return NULL;
    /* Count segments after "/providers/": NS, type, name, [childType, childName]... */
    const char *seg = prov + 11;
    int nseg = 0;
    const char *last_two = NULL;
    for (const char *p = seg; *p;) {
        size_t l = strcspn(p, "/");
        nseg++;
        if (nseg >= 4 && (nseg % 2) == 0)
            last_two = p - 1; /* the '/' before a child type */
        p += l;
        if (*p == '/')
            p++;
    }
    if (nseg < 5 || (nseg % 2) == 0 || !last_two)
        return NULL;
    return sb_xstrndup(id, (size_t)(last_two - id));
}
