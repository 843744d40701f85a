// SPDX-License-Identifier: GPL-2.0-only
/*
 * gicvm-agent: runs inside a guest and reports what the guest sees, in lines
 * the test harness greps for, then powers the guest off.
 *
 *   gicvm-agent: cpus=<online vCPUs> gic=<chip name> timer_delta=<arch timer
 *   interrupts taken over 300 ms, all CPUs> uart_irqs=<8250 interrupts so far>
 *   ipi_min=<fewest IPIs (SGIs) any CPU has taken> msi=<virtio interrupt lines
 *   that are MSIs> msi_chip=<the irqchip of the first one, or none>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* Sum every CPU's count on the /proc/interrupts line that names @what. */
static long long irq_count(const char *what, char *chip, size_t chiplen)
{
	char line[1024];
	long long total = -1;
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');

		if (!p || !strstr(line, what))
			continue;
		total = 0;
		for (p++;;) {
			char *end;
			long long v = strtoll(p, &end, 10);

			if (end == p)
				break;
			total += v;
			p = end;
		}
		/* What follows the counts is the irqchip's name, e.g. "GICv3". */
		if (chip && sscanf(p, " %63s", chip) != 1)
			chip[0] = 0;
		(void)chiplen;
		break;
	}
	fclose(f);
	return total;
}

/* The fewest IPIs any online CPU has received (the sum of the IPI rows). */
static long long ipi_min(long cpus)
{
	long long per_cpu[512] = { 0 }, min = -1;
	char line[4096];
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f || cpus > 512)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " ");

		if (strncmp(p, "IPI", 3) || !(p = strchr(p, ':')))
			continue;
		p++;
		for (long c = 0; c < cpus; c++) {
			char *end;

			per_cpu[c] += strtoll(p, &end, 10);
			p = end;
		}
	}
	fclose(f);
	for (long c = 0; c < cpus; c++)
		if (min < 0 || per_cpu[c] < min)
			min = per_cpu[c];
	return min;
}

/* virtio interrupt lines delivered as MSIs, and the first one's chip. */
static int msi_lines(long cpus, char *chip, size_t chiplen)
{
	char line[4096];
	int n = 0;
	FILE *f = fopen("/proc/interrupts", "r");

	snprintf(chip, chiplen, "none");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');

		if (!p || !strstr(line, "virtio") || !strstr(line, "MSI"))
			continue;
		if (!n++) {
			p++;
			for (long c = 0; c < cpus; c++)
				strtoll(p, &p, 10);
			if (sscanf(p, " %63s", chip) != 1)
				snprintf(chip, chiplen, "?");
		}
	}
	fclose(f);
	return n;
}

int main(void)
{
	struct timespec wait = { 0, 300 * 1000 * 1000 };
	char chip[64] = "none", msi_chip[64];
	long long before, after, uart;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	before = irq_count("arch_timer", chip, sizeof(chip));
	nanosleep(&wait, NULL);
	after = irq_count("arch_timer", NULL, 0);

	/* Write something through the tty first: it goes out on THRE interrupts. */
	printf("gicvm-agent: reporting\n");
	fflush(stdout);
	/* Sent means interrupt-driven: count only once the line is out. */
	tcdrain(STDOUT_FILENO);
	uart = irq_count("ttyS0", NULL, 0);
	printf("gicvm-agent: cpus=%ld gic=%s timer_delta=%lld uart_irqs=%lld", cpus, chip,
	       before < 0 || after < 0 ? -1 : after - before, uart);
	printf(" ipi_min=%lld msi=%d", ipi_min(cpus), msi_lines(cpus, msi_chip, sizeof(msi_chip)));
	printf(" msi_chip=%s\n", msi_chip);
	fflush(stdout);
	/* Power-off does not wait for the tty: let the UART send it all first. */
	tcdrain(STDOUT_FILENO);
	sync();
	reboot(RB_POWER_OFF);
	perror("gicvm-agent: reboot");
	return 1;
}
