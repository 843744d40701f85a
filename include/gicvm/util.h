/* SPDX-License-Identifier: GPL-2.0-only */
/* Small helpers shared by every part of gicvm: errors, logging, sizes. */
#ifndef GICVM_UTIL_H
#define GICVM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define SZ_4K		0x1000ULL
#define SZ_64K		0x10000ULL
#define SZ_2M		0x200000ULL
#define SZ_1M		0x100000ULL
#define SZ_1G		0x40000000ULL

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

extern enum log_level log_level;

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * This thread's last error line (without "gicvm: "), for an answer to a
 * control client; "" after log_clear_error() until the next one.
 */
const char *log_last_error(void);
void log_clear_error(void);
#define pr_err(...)	log_msg(LOG_ERROR, __VA_ARGS__)
#define pr_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define pr_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

/* What die() exits with: 1, or 125 when gicvm runs a guest command. */
extern int error_exit_status;
/* Print "gicvm: <message>" on stderr and exit: for set-up errors only. */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* The same, with ": strerror(errno)" appended. */
void die_errno(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Read a whole file into a malloc'd buffer of at most @max bytes. */
int read_file(const char *path, size_t max, void **buf, size_t *len);
/* The same from an open file, from its start (pread): it can be read again. */
int read_fd(int fd, size_t max, void **buf, size_t *len);

/*
 * The directory holding @path, opened (O_PATH) so a file there can be
 * removed later by name without opening anything; -1 if it cannot be.
 * path_base(): the name within it.
 */
int open_parent_dir(const char *path);
const char *path_base(const char *path);

/* Write all of @len bytes, retrying short writes and EINTR. */
int write_all(int fd, const void *buf, size_t len);

/*
 * This process's open file descriptors and resident memory (for leak
 * checks; procself.c). proc_self_open() opens the /proc files they read
 * once, before the sandbox, which lets no file be opened later.
 */
int proc_self_open(void);
int count_open_fds(void);
long long resident_kib(void);
/* Of the mapping that holds @addr: its resident KiB, its page size; -1 if none. */
long long mapping_resident_kib(const void *addr);
long long mapping_page_kib(const void *addr);
/*
 * The host's count, over all CPUs, of the interrupt whose action is
 * @action in /proc/interrupts ("vgic": KVM's maintenance interrupt); -1 if
 * there is none. irq_line_count(): one line's, false if not @action's.
 */
long long host_irq_count(const char *action);
bool irq_line_count(const char *line, const char *action, long long *count);

/* Little-endian fields of @size bytes (1..8) in guest-visible byte arrays. */
static inline u64 get_le(const void *p, unsigned int size)
{
	const u8 *b = p;
	u64 v = 0;

	while (size--)
		v = (v << 8) | b[size];
	return v;
}

static inline void put_le(void *p, u64 val, unsigned int size)
{
	u8 *b = p;

	for (unsigned int i = 0; i < size; i++)
		b[i] = val >> (8 * i);
}

static inline u64 le64_to_cpu_p(const void *p)
{
	return get_le(p, 8);
}

static inline u32 le32_to_cpu_p(const void *p)
{
	return get_le(p, 4);
}

/* Strict unsigned parsing: digits only, no overflow, within [min, max]. */
int parse_uint(const char *s, u64 min, u64 max, u64 *out);

/* Whether @word is one of the whitespace-separated words of @s (a command line). */
bool has_word(const char *s, const char *word);

/*
 * A stream socket connected to the unix socket at @path (close-on-exec):
 * its fd, or -1 with errno set (ENAMETOOLONG for a path too long).
 */
int unix_connect(const char *path);
/*
 * A unix socket listening at @path, mode 0600. A dead socket left there (a
 * killed gicvm's) is replaced; a live one (errno EADDRINUSE) or a file that
 * is no socket (EEXIST) is not. -1 with errno.
 */
int unix_listen(const char *path, int backlog);

#endif
