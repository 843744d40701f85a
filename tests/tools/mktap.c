// SPDX-License-Identifier: GPL-2.0-only
/*
 * mktap NAME UID: make a persistent tap (with the virtio-net header, as
 * gicvm opens it) that UID may attach to without CAP_NET_ADMIN, as an
 * administrator would with "ip tuntap add NAME mode tap user UID vnet_hdr"
 * (busybox's ip has no tuntap).
 */
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int fd;

	if (argc != 3 || strlen(argv[1]) >= IFNAMSIZ) {
		fprintf(stderr, "usage: mktap NAME UID\n");
		return 2;
	}
	strcpy(ifr.ifr_name, argv[1]);
	fd = open("/dev/net/tun", O_RDWR);
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) ||
	    ioctl(fd, TUNSETOWNER, (unsigned long)atoi(argv[2])) || ioctl(fd, TUNSETPERSIST, 1UL)) {
		perror("mktap");
		return 1;
	}
	return 0;
}
