/**
 * @file safe_open.h
 * @brief Open and read files of a directory someone else handed over (verify): only regular files
 * inside it, no symbolic link followed on the way, and nothing that could block (FIFO, device).
 */
#ifndef SB_SAFE_OPEN_H
#define SB_SAFE_OPEN_H

#include <stddef.h>

struct sb_err;

/** What sb_open_inside found. */
enum sb_opened {
    SB_OPENED,           /**< *out_fd is a regular file, open for reading */
    SB_OPEN_GONE,        /**< no such file (or a directory on the way is missing) */
    SB_OPEN_SYMLINK,     /**< the name, or a directory on the way, is a symbolic link */
    SB_OPEN_NOT_REGULAR, /**< a FIFO, device, socket or directory (never opened) */
    SB_OPEN_ERROR        /**< anything else; *err holds errno */
};

/**
 * Open `name` (relative, '/'-separated; the caller has refused "..", absolute and empty
 * components) below the directory `dfd`, for reading, when it is a regular file inside it.
 */
enum sb_opened sb_open_inside(int *out_fd, int dfd, const char *name, int *err);

/**
 * Read an open file to its end (at most `max` bytes: SB_EXIT_INPUT beyond) into a NUL-terminated
 * buffer. `name` is only for messages. Caller frees *out.
 */
int sb_read_fd(char **out, size_t *out_len, int fd, const char *name, size_t max, struct sb_err *e);

#endif
