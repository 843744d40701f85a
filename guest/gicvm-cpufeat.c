// SPDX-License-Identifier: GPL-2.0-only
/*
 * gicvm-cpufeat: what CPU features the guest got, for the --pmu and
 * --sve-max-vl scenarios. Prints GUEST-RESULT lines:
 *   pmu_cycles=<CPU cycles counted by a PMU event over a busy loop, or -1>
 *   sve_vl_bytes=<this task's SVE vector length in bytes, or -1>
 */
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_SVE_GET_VL
#define PR_SVE_GET_VL	51
#endif
#define PR_SVE_VL_LEN_MASK	0xffff

static long long count_cycles(void)
{
	struct perf_event_attr attr;
	volatile unsigned long spin = 0;
	long long count = -1;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_HARDWARE;
	attr.size = sizeof(attr);
	attr.config = PERF_COUNT_HW_CPU_CYCLES;
	attr.disabled = 1;
	attr.exclude_kernel = 1;
	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0) {
		perror("gicvm-cpufeat: perf_event_open");
		return -1;
	}
	ioctl(fd, PERF_EVENT_IOC_RESET, 0);
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	for (int i = 0; i < 10000000; i++)
		spin += i;
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	if (read(fd, &count, sizeof(count)) != sizeof(count))
		count = -1;
	close(fd);
	return count;
}

int main(void)
{
	int vl = prctl(PR_SVE_GET_VL);

	printf("GUEST-RESULT pmu_cycles=%lld\n", count_cycles());
	printf("GUEST-RESULT sve_vl_bytes=%d\n", vl < 0 ? -1 : vl & PR_SVE_VL_LEN_MASK);
	return 0;
}
