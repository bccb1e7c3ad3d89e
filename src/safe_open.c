#include "safe_open.h"

#include "err.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Open a listed name for reading only when it is a regular file inside the directory: every
 * component is opened from the directory with O_NOFOLLOW (a symbolic link anywhere on the way is
 * refused, so nothing outside can be reached), the type is checked before opening (a FIFO or a
 * device is never opened), and again after (O_NONBLOCK: a file swapped for a FIFO in between
 * cannot block us).
 */
enum sb_opened sb_open_inside(int *out_fd, int dfd, const char *name, int *err)
{
    *out_fd = -1;
    *err = 0;
    char *copy = sb_xstrdup(name);
    int cur = dfd;
    enum sb_opened rc = SB_OPENED;
    char *comp = copy;
    for (char *slash; (slash = strchr(comp, '/')) != NULL; comp = slash + 1) {
        *slash = '\0';
        int next = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0) {
            *err = errno;
            rc = errno == ENOENT ? SB_OPEN_GONE : errno == ELOOP ? SB_OPEN_SYMLINK : errno == ENOTDIR ? SB_OPEN_NOT_REGULAR : SB_OPEN_ERROR;
            break;
        }
        if (cur != dfd)
            close(cur);
        cur = next;
    }
    struct stat before, after;
    if (rc == SB_OPENED && fstatat(cur, comp, &before, AT_SYMLINK_NOFOLLOW) != 0) {
        *err = errno;
        rc = errno == ENOENT ? SB_OPEN_GONE : SB_OPEN_ERROR;
    }
    if (rc == SB_OPENED && S_ISLNK(before.st_mode))
        rc = SB_OPEN_SYMLINK;
    else if (rc == SB_OPENED && !S_ISREG(before.st_mode))
        rc = SB_OPEN_NOT_REGULAR;
    if (rc == SB_OPENED) {
        int fd = openat(cur, comp, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            *err = errno;
            rc = errno == ENOENT ? SB_OPEN_GONE : errno == ELOOP ? SB_OPEN_SYMLINK : SB_OPEN_ERROR;
        } else if (fstat(fd, &after) != 0 || !S_ISREG(after.st_mode) || after.st_ino != before.st_ino
                   || after.st_dev != before.st_dev) {
            close(fd);
            rc = SB_OPEN_NOT_REGULAR;
        } else {
            *out_fd = fd;
        }
    }
    if (cur != dfd)
        close(cur);
    free(copy);
    return rc;
}

int sb_read_fd(char **out, size_t *out_len, int fd, const char *name, size_t max, struct sb_err *e)
{
    struct sb_buf b = {0};
    char chunk[65536];
    for (;;) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            sb_buf_free(&b);
            return sb_err_set(e, SB_EXIT_VERIFY, "%s: read error: %s", name, strerror(errno));
        }
        if (got == 0)
            break;
        if (b.len + (size_t)got > max) {
            sb_buf_free(&b);
            return sb_err_set(e, SB_EXIT_INPUT, "%s: larger than the %zu-byte limit", name, max);
        }
        sb_buf_add(&b, chunk, (size_t)got);
    }
    *out_len = b.len;
    *out = sb_buf_take(&b);
    return 0;
}

