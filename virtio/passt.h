/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-mode networking through Debian's passt, for virtio-net's
 * -n mode=user: no tap, no root. passt runs as its own unprivileged
 * process and speaks QEMU's stream protocol on a unix socket: each Ethernet
 * frame preceded by its length, 4 bytes big-endian. gicvm either starts
 * passt on one end of a socket pair (--fd), or connects to the socket of a
 * passt the user started (passt -s PATH).
 */
#ifndef GICVM_PASST_H
#define GICVM_PASST_H

#include <sys/types.h>
#include <sys/uio.h>

#include "gicvm/util.h"

/* The longest frame passt sends or takes (its MTU, 65520, plus a header). */
#define PASST_MAX_FRAME		65536
#define PASST_RX_BUF		(2 * (4 + PASST_MAX_FRAME))

struct passt {
	int fd;
	pid_t pid;		/* the passt gicvm started; 0 if the user's */
	size_t rx_start, rx_end;	/* buffered bytes of rx[] */
	u8 rx[PASST_RX_BUF];
	u8 tx[4 + PASST_MAX_FRAME];
};

/* Start passt (@socket_path NULL) or connect to it: 0, or -1 said why. */
int passt_open(struct passt *ps, const char *socket_path);

/*
 * Send the frame in @iov after its first @skip bytes: 0 (sent, or dropped
 * because passt's socket is full), or -1 if passt is gone.
 */
int passt_send(struct passt *ps, const struct iovec *iov, unsigned int n, size_t skip);

/*
 * The next whole frame passt sent: its length (and *frame), 0 if none is
 * whole yet and nothing more can be read now, -1 if passt is gone or broke
 * the protocol. passt_consume() when done with it.
 */
ssize_t passt_next_frame(struct passt *ps, const u8 **frame);
void passt_consume(struct passt *ps, size_t len);

/* Say that passt is gone (call once). */
void passt_report_gone(struct passt *ps);

#endif
