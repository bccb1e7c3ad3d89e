#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void vset(struct sb_err *e, int code, const char *fmt, va_list ap)
{
    e->code = code;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    /* Messages are one line by contract: fold any newline an external text brought in. */
    for (char *p = e->msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

int sb_err_set(struct sb_err *e, int code, const char *fmt, ...)
{
    if (!e || e->code != 0)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vset(e, code, fmt, ap);
    va_end(ap);
    return -1;
}

int sb_err_reset(struct sb_err *e, int code, const char *fmt, ...)
{
    if (!e)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vset(e, code, fmt, ap);
    va_end(ap);
    return -1;
}

void sb_err_clear(struct sb_err *e)
{
    if (e) {
        e->code = 0;
        e->msg[0] = '\0';
    }
}
