// SPDX-License-Identifier: GPL-2.0-only
/* `gicvm run` command-line parsing: accepted forms and every rejection. */
#include <string.h>

#include "gicvm/config.h"
#include "arm/gdb.h"
#include "gicvm/device.h"
#include "harness.h"
#include "virtio/blk.h"
#include "virtio/fs.h"
#include "virtio/net.h"
#include "virtio/rng.h"
#include "virtio/vsock.h"

#define ARGV(...) ((char *[]){ "run", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "run", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(cfg, ...) config_parse_run(cfg, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

/* What the device kinds' own options left in @cfg. */
#define DISKS(cfg)	((const struct blk_config *)device_config(cfg, &virtio_blk_device))
#define NET(cfg)	((const struct net_config *)device_config(cfg, &virtio_net_device))
#define VSOCK_CID(cfg)	(((const struct vsock_config *)device_config(cfg, &virtio_vsock_device))->cid)
#define RNG_ON(cfg)	(((const struct rng_config *)device_config(cfg, &virtio_rng_device))->enabled)

static void defaults(void)
{
	struct vm_config cfg;
	char *argv[] = { "run", NULL };

	CHECK_EQ(config_parse_run(&cfg, 1, argv), CONFIG_OK);
	CHECK_EQ(cfg.nr_cpus, 1);
	CHECK_EQ(cfg.mem_mib, CONFIG_DEFAULT_MEM_MIB);
	CHECK_EQ(cfg.gic, GIC_AUTO);
	CHECK_EQ(cfg.transport, TRANSPORT_AUTO);
	CHECK_EQ(cfg.reboot, REBOOT_RESTART);
	CHECK(cfg.default_guest);
	CHECK(!cfg.kernel && !cfg.initrd && !cfg.params);
}

/* kvmtool's -m: a bare number is MiB; B, K, M, G, T and P in either case. */
static void mem_sizes(void)
{
	static const struct { const char *arg; u64 mib; } sizes[] = {
		{ "512", 512 }, { "512M", 512 }, { "512m", 512 }, { "1G", 1024 }, { "1g", 1024 },
		{ "6144", 6144 }, { "2097152K", 2048 }, { "1048576b", 1 }, { "1T", 1 << 20 },
		{ "1p", 1ULL << 30 },
	};
	struct vm_config cfg;

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		CHECK_EQ(PARSE(&cfg, "-m", (char *)sizes[i].arg), CONFIG_OK);
		CHECK_EQ(cfg.mem_mib, sizes[i].mib);
	}
	CHECK_EQ(PARSE(&cfg, "--mem=1G"), CONFIG_OK);
	CHECK_EQ(cfg.mem_mib, 1024);
}

static void short_and_long_forms(void)
{
	struct vm_config cfg;

	CHECK_EQ(PARSE(&cfg, "-k", "Image", "-i", "initrd", "-p", "console=ttyS0 quiet",
		       "-c", "4", "-m", "512", "--gic", "v3"), CONFIG_OK);
	CHECK(!strcmp(cfg.kernel, "Image") && !strcmp(cfg.initrd, "initrd"));
	CHECK(!strcmp(cfg.params, "console=ttyS0 quiet"));
	CHECK_EQ(cfg.nr_cpus, 4);
	CHECK_EQ(cfg.mem_mib, 512);
	CHECK(!cfg.default_guest);

	CHECK_EQ(PARSE(&cfg, "--kernel=K", "--initrd", "I", "--params=a=b", "--cpus=2",
		       "--mem", "1024", "--gic=v3"), CONFIG_OK);
	CHECK(!strcmp(cfg.kernel, "K") && !strcmp(cfg.initrd, "I"));
	CHECK(!strcmp(cfg.params, "a=b"));
	CHECK_EQ(cfg.nr_cpus, 2);
	CHECK_EQ(cfg.mem_mib, 1024);
}

/* Each bad command line is refused with one line that names the problem. */
static void expect_error(const char *why, const char *expect, int argc, char **argv)
{
	struct vm_config cfg;
	const char *err;

	stderr_capture_begin();
	CHECK_EQ(config_parse_run(&cfg, argc, argv), CONFIG_ERROR);
	err = stderr_capture_end();
	if (!strstr(err, expect)) {
		printf("    %s: stderr was: %s", why, err);
		CHECK(strstr(err, expect));
	}
	CHECK(strchr(err, '\n') == err + strlen(err) - 1);	/* exactly one line */
}

#define EXPECT_ERROR(expect, ...) \
	expect_error(#__VA_ARGS__, expect, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void rejects_bad_values(void)
{
	EXPECT_ERROR("--cpus wants", "-c", "0");
	EXPECT_ERROR("--cpus wants", "-c", "-1");
	EXPECT_ERROR("--cpus wants", "-c", "2x");
	EXPECT_ERROR("--cpus wants", "--cpus=");
	EXPECT_ERROR("--cpus wants", "-c", "99999999999999999999999");
	EXPECT_ERROR("Invalid RAM size: 0", "-m", "0");
	EXPECT_ERROR("Invalid RAM size: 0G", "-m", "0G");
	EXPECT_ERROR("Invalid memory specifier: lots", "-m", "lots");
	EXPECT_ERROR("Invalid memory specifier:  64", "-m", " 64");
	EXPECT_ERROR("Invalid memory specifier: 1GB", "-m", "1GB");
	EXPECT_ERROR("Invalid memory specifier: -1", "-m", "-1");
	EXPECT_ERROR("Memory too large: 18446744073709551616", "-m", "18446744073709551616");
	EXPECT_ERROR("Memory too large: 16777216P", "-m", "16777216P");
	EXPECT_ERROR("Memory too large: 2000000T", "-m", "2000000T");
	EXPECT_ERROR("--mem wants a whole number of MiB, not 1500K", "-m", "1500K");
	EXPECT_ERROR("gicvm places guest RAM itself", "-m", "512M@0x40000000");
	EXPECT_ERROR("--gic 'v9' is not supported", "--gic", "v9");
	EXPECT_ERROR("--loglevel wants", "--loglevel", "loud");
}

static void rejects_bad_shape(void)
{
	EXPECT_ERROR("unknown option '--bogus'", "--bogus");
	EXPECT_ERROR("unknown option '-z'", "-z");
	EXPECT_ERROR("option '-k' needs a value", "-k");
	EXPECT_ERROR("option '--kernel' needs a value", "--kernel");
	EXPECT_ERROR("unexpected argument 'Image'", "Image");
}

static void help(void)
{
	struct vm_config cfg;
	FILE *saved = stdout;

	stdout = fopen("/dev/null", "w");
	CHECK_EQ(PARSE(&cfg, "--help"), CONFIG_HELP);
	fclose(stdout);
	stdout = saved;
}

static void parse_uint_bounds(void)
{
	u64 v;

	CHECK(!parse_uint("7", 1, 7, &v) && v == 7);
	CHECK(parse_uint("8", 1, 7, &v));
	CHECK(parse_uint("0", 1, 7, &v));
	CHECK(parse_uint("+3", 0, 7, &v));
	CHECK(parse_uint("", 0, 7, &v));
	CHECK(parse_uint(NULL, 0, 7, &v));
	CHECK(!parse_uint("18446744073709551615", 0, UINT64_MAX, &v) && v == UINT64_MAX);
}

static void kvmtool_options(void)
{
	struct vm_config cfg;

	CHECK_EQ(PARSE(&cfg, "--irqchip=gicv3", "--virtio-transport", "mmio", "--nodefaults",
		       "--pmu", "--sve-max-vl=256", "--name", "ci-vm", "--dump-dtb", "x.dtb",
		       "--timeout", "30", "--json-summary=s.json", "--vcpu-affinity", "0-1,3",
		       "--console", "virtio", "--rng", "-d", "a.img,ro,direct", "--disk=b.img",
		       "-n", "mode=tap,tapif=tap7,guest_mac=52:54:00:aa:bb:cc"), CONFIG_OK);
	CHECK_EQ(cfg.gic, GIC_V3);
	CHECK_EQ(cfg.transport, TRANSPORT_MMIO);
	CHECK(cfg.nodefaults && cfg.pmu && RNG_ON(&cfg));
	CHECK_EQ(cfg.sve_max_vl, 256);
	CHECK(!strcmp(cfg.name, "ci-vm") && !strcmp(cfg.dump_dtb, "x.dtb"));
	CHECK_EQ(cfg.timeout, 30);
	CHECK(!strcmp(cfg.json_summary, "s.json"));
	CHECK(cfg.has_affinity && CPU_ISSET(0, &cfg.affinity) && CPU_ISSET(1, &cfg.affinity) &&
	      !CPU_ISSET(2, &cfg.affinity) && CPU_ISSET(3, &cfg.affinity));
	CHECK_EQ(cfg.console, CONSOLE_VIRTIO);
	CHECK_EQ(DISKS(&cfg)->nr_disks, 2);
	CHECK(!strcmp(DISKS(&cfg)->disks[0].path, "a.img") && DISKS(&cfg)->disks[0].readonly &&
	      DISKS(&cfg)->disks[0].direct);
	CHECK(!strcmp(DISKS(&cfg)->disks[1].path, "b.img") && !DISKS(&cfg)->disks[1].readonly);
	CHECK_EQ(NET(&cfg)->mode, NET_TAP);
	CHECK(!strcmp(NET(&cfg)->tapif, "tap7") && NET(&cfg)->mac_set && NET(&cfg)->mac[5] == 0xcc);
	CHECK_EQ(PARSE(&cfg, "--gic", "v2m", "--virtio-transport=pci", "--reboot", "exit"), CONFIG_OK);
	CHECK_EQ(cfg.gic, GIC_V2M);
	CHECK_EQ(cfg.transport, TRANSPORT_PCI);
	CHECK_EQ(cfg.reboot, REBOOT_EXIT);
	CHECK(!cfg.irq_inject_ioctl);
	CHECK(!cfg.no_sandbox);
	CHECK_EQ(PARSE(&cfg, "--no-sandbox"), CONFIG_OK);
	CHECK(cfg.no_sandbox);
	CHECK(!cfg.tty);
	CHECK_EQ(PARSE(&cfg, "--tty", "0"), CONFIG_OK);
	CHECK(cfg.tty);
	CHECK_EQ(PARSE(&cfg, "--kaslr-seed", "18446744073709551615", "--force-pci",
		       "--override-bad-firmware-cntfrq", "24000000", "-f", "fw.bin",
		       "--firmware-address", "0x80200000"), CONFIG_OK);
	CHECK_EQ(cfg.kaslr_seed, UINT64_MAX);
	CHECK_EQ(cfg.transport, TRANSPORT_PCI);
	CHECK_EQ(cfg.timer_frequency, 24000000);
	CHECK_EQ(cfg.fw_address, 0x80200000);
	EXPECT_ERROR("--kaslr-seed wants a number", "--kaslr-seed", "0");
	EXPECT_ERROR("--override-bad-firmware-cntfrq wants a frequency", "--override-bad-firmware-cntfrq",
		     "4294967296");
	EXPECT_ERROR("--firmware-address wants a 4 KiB aligned address in guest RAM",
		     "-f", "fw.bin", "--firmware-address", "0x80000010");
	EXPECT_ERROR("--firmware-address wants", "-f", "fw.bin", "--firmware-address", "0x1000");
	EXPECT_ERROR("--firmware-address 0x90000000 is beyond guest RAM (-m 256)",
		     "-f", "fw.bin", "--firmware-address", "0x90000000");
	EXPECT_ERROR("--firmware-address needs -f", "--firmware-address", "0x80200000");
	/* The sandbox scenario's probes, by the names sandbox_probe.c knows. */
	CHECK_EQ(PARSE(&cfg, "--sandbox-test"), CONFIG_OK);
	CHECK(!strcmp(cfg.sandbox_test, "socket"));
	CHECK_EQ(PARSE(&cfg, "--sandbox-test=vcpu-tiocsti"), CONFIG_OK);
	EXPECT_ERROR("--sandbox-test wants socket, tiocsti", "--sandbox-test=vcpu-bogus");
	EXPECT_ERROR("--sandbox-test wants socket, tiocsti", "--sandbox-test=vcpu-");
	CHECK_EQ(PARSE(&cfg, "--aarch32", "-k", "zImage", "-m", "2G"), CONFIG_OK);
	CHECK(cfg.aarch32);
	EXPECT_ERROR("--aarch32: -m 2049: a 32-bit guest's RAM ends at 4 GiB (-m 2048 at most)",
		     "--aarch32", "-m", "2049");
	EXPECT_ERROR("--aarch32 boots a 32-bit kernel (-k zImage): not with -f, --rootfs, a command, "
		     "--gdb or --sve-max-vl", "--aarch32", "--sve-max-vl", "256");
	EXPECT_ERROR("--tty 1: gicvm's guest has one terminal, its console: --tty 0", "--tty", "1");
	EXPECT_ERROR("--tty 0 and --console-log: the console's output goes to one of them",
		     "--tty", "0", "--console-log", "c.log");
	CHECK_EQ(PARSE(&cfg, "--no-seccomp"), CONFIG_OK);
	CHECK(cfg.no_sandbox);
	CHECK_EQ(PARSE(&cfg, "--irq-inject", "ioctl"), CONFIG_OK);
	CHECK(cfg.irq_inject_ioctl);
}

static void rejects_bad_device_options(void)
{
	EXPECT_ERROR("--virtio-transport wants mmio or pci, not 'isa'", "--virtio-transport", "isa");
	EXPECT_ERROR("--reboot wants restart or exit, not 'never'", "--reboot", "never");
	EXPECT_ERROR("--irq-inject wants irqfd or ioctl, not 'line'", "--irq-inject", "line");
	EXPECT_ERROR("--gic 'v4' is not supported", "--gic", "v4");
	EXPECT_ERROR("--sve-max-vl wants", "--sve-max-vl", "200");
	EXPECT_ERROR("--sve-max-vl wants", "--sve-max-vl", "4096");
	EXPECT_ERROR("--name wants", "--name", "../evil");
	EXPECT_ERROR("--timeout wants", "--timeout", "0");
	EXPECT_ERROR("--vcpu-affinity wants", "--vcpu-affinity", "3-1");
	EXPECT_ERROR("--vcpu-affinity wants", "--vcpu-affinity", "0,,x");
	EXPECT_ERROR("--disk wants", "-d", ",ro");
	EXPECT_ERROR("--disk wants", "-d", "a.img,rw");
	EXPECT_ERROR("--network wants", "-n", "mode=user,vhost=on");	/* vhost needs a tap */
	EXPECT_ERROR("--network wants", "-n", "mode=user,tapif=tap0");
	EXPECT_ERROR("--network wants", "-n", "mode=tap,socket=/run/passt.sock");
	EXPECT_ERROR("--network wants", "-n", "mode=tap,vhost=yes");
	EXPECT_ERROR("--network wants", "-n", "mode=user,socket=");
	EXPECT_ERROR("--vsock wants", "--vsock", "2");		/* the host's CID */
	EXPECT_ERROR("--vsock wants", "--vsock", "0");
	EXPECT_ERROR("--vsock wants", "--vsock", "4294967295");	/* VMADDR_CID_ANY */
	EXPECT_ERROR("--vsock wants", "--vsock", "3x");
	EXPECT_ERROR("--network wants", "-n", "tapif=x");		/* no mode */
	EXPECT_ERROR("--network wants", "-n", "mode=tap,guest_mac=01:00:00:00:00:01");	/* multicast */
	EXPECT_ERROR("--network wants", "-n", "mode=tap,tapif=averyveryverylongname");
	EXPECT_ERROR("--console wants", "--console", "vga");
	EXPECT_ERROR("--gdb-wait needs --gdb", "--gdb-wait");
	EXPECT_ERROR("contradict each other", "--sve-max-vl", "256", "--disable-sve");
}

static void backend_options(void)
{
	struct vm_config cfg;

	CHECK_EQ(PARSE(&cfg, "-n", "mode=tap,vhost=on", "--vsock", "3"), CONFIG_OK);
	CHECK(NET(&cfg)->mode == NET_TAP && NET(&cfg)->vhost);
	CHECK_EQ(VSOCK_CID(&cfg), 3);
	CHECK_EQ(PARSE(&cfg, "-n", "mode=tap,vhost=off", "--vsock=4294967294"), CONFIG_OK);
	CHECK(!NET(&cfg)->vhost);
	CHECK_EQ(VSOCK_CID(&cfg), 4294967294ULL);
	CHECK_EQ(PARSE(&cfg, "-n", "mode=user"), CONFIG_OK);
	CHECK(NET(&cfg)->mode == NET_USER && !NET(&cfg)->socket[0]);
	CHECK_EQ(PARSE(&cfg, "-n", "mode=user,socket=/run/p.sock"), CONFIG_OK);
	CHECK(!strcmp(NET(&cfg)->socket, "/run/p.sock"));
	CHECK_EQ(PARSE(&cfg, "-k", "Image"), CONFIG_OK);
	CHECK(!VSOCK_CID(&cfg) && NET(&cfg)->mode == NET_NONE && !RNG_ON(&cfg) &&
	      !DISKS(&cfg)->nr_disks);
}

static void fs_options(void)
{
	struct vm_config cfg;
	const struct fs_config *fs;

	CHECK_EQ(PARSE(&cfg, "--fs", "/srv/a", "--fs", "/srv/b,tag=b,ro",
		       "--fs-socket", "/run/vfs.sock,tag=c"), CONFIG_OK);
	fs = device_config(&cfg, &virtio_fs_device);
	CHECK_EQ(fs->nr_shares, 3);
	CHECK(!strcmp(fs->shares[0].dir, "/srv/a") && !strcmp(fs->shares[0].tag, FS_DEFAULT_TAG) &&
	      !fs->shares[0].readonly && !fs->shares[0].socket[0]);
	CHECK(!strcmp(fs->shares[1].tag, "b") && fs->shares[1].readonly);
	CHECK(!strcmp(fs->shares[2].socket, "/run/vfs.sock") && !fs->shares[2].dir[0]);
	EXPECT_ERROR("--fs wants", "--fs", "/a", "--fs", "/b");		/* one tag twice */
	EXPECT_ERROR("--fs wants", "--fs", "/a,tag=");
	EXPECT_ERROR("--fs wants", "--fs", "/a,rw");
	EXPECT_ERROR("--fs wants", "--fs", "/a,tag=0123456789012345678901234567890123456");
	EXPECT_ERROR("--fs-socket wants", "--fs-socket", "/s,ro");	/* the backend decides */
	EXPECT_ERROR("--9p wants nothing", "--9p", "/srv,hostfs");
}

/* --rootfs is a read-only share under its own tag, once. */
static void rootfs_option(void)
{
	struct vm_config cfg;
	const struct fs_config *fs;

	CHECK_EQ(PARSE(&cfg, "--rootfs", "/", "--fs", "/srv/a"), CONFIG_OK);
	fs = device_config(&cfg, &virtio_fs_device);
	CHECK_EQ(fs->nr_shares, 2);
	CHECK(fs->shares[0].root && fs->shares[0].readonly && !strcmp(fs->shares[0].tag, FS_ROOT_TAG));
	CHECK(!fs->shares[1].root && !fs->shares[1].readonly);
	EXPECT_ERROR("--rootfs wants", "--rootfs", "/", "--rootfs", "/srv");
	EXPECT_ERROR("--rootfs wants", "--rootfs", "/,tag=x");
}

/* "--" ends gicvm's options: the rest, options or not, is the guest's command. */
static void guest_command(void)
{
	char *argv[] = { "run", "-c", "2", "--", "sh", "-c", "exit 42", NULL };
	char *script[] = { "run", "--sandbox", "t.sh", NULL };
	struct vm_config cfg;

	/* cfg.command points into argv: keep it alive while looking. */
	CHECK_EQ(config_parse_run(&cfg, 7, argv), CONFIG_OK);
	CHECK_EQ(cfg.nr_cpus, 2);
	CHECK_EQ(cfg.command_argc, 3);
	CHECK(!strcmp(cfg.command[0], "sh") && !strcmp(cfg.command[1], "-c") &&
	      !strcmp(cfg.command[2], "exit 42"));
	CHECK_EQ(cfg.reboot, REBOOT_EXIT);	/* a reset ends the command's run */
	CHECK_EQ(PARSE(&cfg, "-p", "--", "-c", "1"), CONFIG_OK);	/* a value, not the end */
	CHECK(!cfg.command && !strcmp(cfg.params, "--"));
	CHECK_EQ(config_parse_run(&cfg, 3, script), CONFIG_OK);
	CHECK(cfg.command_argc == 2 && !strcmp(cfg.command[0], "/bin/sh") &&
	      !strcmp(cfg.command[1], "t.sh"));
	CHECK_EQ(PARSE(&cfg, "-c", "1"), CONFIG_OK);
	CHECK(!cfg.command && cfg.reboot == REBOOT_RESTART);
	EXPECT_ERROR("-- wants a command", "-c", "1", "--");
	EXPECT_ERROR("give one of them", "--sandbox", "t.sh", "--", "true");
	EXPECT_ERROR("unexpected argument 'true'", "-c", "1", "true");
}

/* Nine disks: the ninth is refused by virtio-blk's own option. */
static void disk_limit(void)
{
	EXPECT_ERROR("--disk wants PATH[,ro][,direct] (at most 8 disks), not 'i'", "-d", "a",
		     "-d", "b", "-d", "c", "-d", "d", "-d", "e", "-d", "f", "-d", "g", "-d", "h",
		     "-d", "i");
}

/*
 * Every device kind's option reaches the parser (config.c refuses one that
 * shares a name with another option, and then parses nothing) and has its
 * lines in --help: a new device is its file and a line in the table.
 */
static void device_options_are_the_devices(void)
{
	struct vm_config cfg;
	unsigned int nr = 0;

	for (size_t i = 0; i < nr_device_types; i++) {
		for (const struct device_option *o = device_types[i]->options; o && o->name; o++) {
			char arg[40];

			snprintf(arg, sizeof(arg), "--%s", o->name);
			stderr_capture_begin();
			config_parse_run(&cfg, 3, (char *[]){ "run", arg, "x", NULL });
			CHECK(!strstr(stderr_capture_end(), "unknown option"));
			CHECK(o->help && o->help[strlen(o->help) - 1] == '\n' && strstr(o->help, arg));
			CHECK(o->wants && o->parse);
			nr++;
		}
	}
	CHECK(nr >= 4);		/* disk, network, rng, vsock at least */
}

/* kvmtool's options gicvm does not take: one line saying why, never "unknown". */
static void kvmtool_options_say_why(void)
{
	static const char *const refused[][2] = {
		{ "--flash", "flash.img" }, { "--tty", "1" },
		{ "--virtio-legacy", NULL },
		{ "--9p", "/srv,tag" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
		struct vm_config cfg;
		char *argv[] = { "run", (char *)refused[i][0], (char *)refused[i][1], NULL };
		const char *err;

		stderr_capture_begin();
		CHECK_EQ(config_parse_run(&cfg, refused[i][1] ? 3 : 2, argv), CONFIG_ERROR);
		err = stderr_capture_end();
		if (!strstr(err, refused[i][0]) || strstr(err, "unknown option"))
			printf("    %s: %s", refused[i][0], err);
		CHECK(strstr(err, refused[i][0]) && !strstr(err, "unknown option"));
		CHECK(strchr(err, '\n') == err + strlen(err) - 1);
	}
}

/* kvmtool's options gicvm now takes: --balloon, --hugetlbfs (and --hugepages), --debug-mmio, -f, --no-dhcp. */
static void kvmtool_options_taken(void)
{
	struct vm_config cfg;

	CHECK_EQ(PARSE(&cfg, "--balloon"), CONFIG_OK);
	CHECK_EQ(PARSE(&cfg, "--debug-mmio"), CONFIG_OK);
	CHECK(cfg.debug_mmio);
	CHECK_EQ(PARSE(&cfg, "--debug-single-step"), CONFIG_OK);
	CHECK(cfg.debug_single_step);
	CHECK_EQ(PARSE(&cfg, "--debug-single-step", "--gdb", "unix:/tmp/g"), CONFIG_ERROR);
	CHECK_EQ(PARSE(&cfg, "-f", "fw.bin"), CONFIG_OK);
	CHECK(!strcmp(cfg.firmware, "fw.bin") && !cfg.default_guest);
	CHECK_EQ(PARSE(&cfg, "--firmware=fw.bin", "-k", "Image"), CONFIG_ERROR);
	char params[64];

	CHECK_EQ(PARSE(&cfg, "-n", "mode=user"), CONFIG_OK);
	devices_boot_params(&cfg, true, params, sizeof(params));
	CHECK(!strcmp(params, "ip=dhcp "));	/* gicvm's own init: DHCP at boot */
	devices_boot_params(&cfg, false, params, sizeof(params));
	CHECK(!strcmp(params, ""));		/* the user's initramfs decides */
	CHECK_EQ(PARSE(&cfg, "--no-dhcp", "-n", "mode=user"), CONFIG_OK);
	devices_boot_params(&cfg, true, params, sizeof(params));
	CHECK(!strcmp(params, ""));
	CHECK_EQ(PARSE(&cfg, "--hugetlbfs", "/dev/hugepages"), CONFIG_OK);
	CHECK(!strcmp(cfg.hugetlbfs, "/dev/hugepages") && !cfg.hugepages);
	CHECK_EQ(PARSE(&cfg, "--hugepages"), CONFIG_OK);
	CHECK(cfg.hugepages && !cfg.hugetlbfs);
	CHECK_EQ(PARSE(&cfg, "--hugepages", "--hugetlbfs", "/dev/hugepages"), CONFIG_ERROR);
	CHECK_EQ(PARSE(&cfg, "--hugetlbfs", ""), CONFIG_ERROR);
	/* --nested, and --e2h0 which is a kind of it; AArch64 and GICv3 only. */
	CHECK_EQ(PARSE(&cfg, "--nested"), CONFIG_OK);
	CHECK(cfg.nested && !cfg.e2h0);
	CHECK_EQ(PARSE(&cfg, "--e2h0"), CONFIG_OK);
	CHECK(cfg.nested && cfg.e2h0);
	CHECK_EQ(PARSE(&cfg, "--nested", "--gic", "v3-its"), CONFIG_OK);
	CHECK_EQ(PARSE(&cfg, "--nested", "--gic", "v2m"), CONFIG_ERROR);
	CHECK_EQ(PARSE(&cfg, "--nested", "--aarch32", "-k", "zImage"), CONFIG_ERROR);
	CHECK_EQ(PARSE(&cfg, "--restore", "snap", "--e2h0"), CONFIG_ERROR);
}

static void gdb_options(void)
{
	struct vm_config cfg;
	char long_path[200];

	CHECK_EQ(PARSE(&cfg, "--gdb", "unix:/run/g.sock", "--gdb-wait"), CONFIG_OK);
	CHECK(!strcmp(cfg.gdb, "unix:/run/g.sock") && cfg.gdb_wait);
	CHECK_EQ(PARSE(&cfg, "--gdb", "./g.sock"), CONFIG_OK);
	CHECK_EQ(PARSE(&cfg, "--gdb=tcp:0.0.0.0:1234"), CONFIG_OK);
	CHECK(!strcmp(cfg.gdb, "tcp:0.0.0.0:1234") && !cfg.gdb_wait);
	CHECK_EQ(PARSE(&cfg, "--gdb", "tcp:1234"), CONFIG_OK);
	/* TCP only by name: a bare port is refused, saying what each form means. */
	CHECK_EQ(PARSE(&cfg, "--gdb", "1234"), CONFIG_ERROR);
	CHECK_EQ(PARSE(&cfg, "--gdb", "tcp:99999"), CONFIG_ERROR);
	CHECK_EQ(PARSE(&cfg, "--gdb", "tcp:host.example:1234"), CONFIG_ERROR);
	CHECK_EQ(PARSE(&cfg, "--gdb", "unix:"), CONFIG_ERROR);
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = 0;
	CHECK_EQ(PARSE(&cfg, "--gdb", long_path), CONFIG_ERROR);
	CHECK(gdb_where_error("1234") && strstr(gdb_where_error("1234"), "unix:PATH"));
}

UNIT_TESTS(TEST(defaults), TEST(mem_sizes), TEST(short_and_long_forms), TEST(rejects_bad_values),
	   TEST(rejects_bad_shape), TEST(help), TEST(parse_uint_bounds), TEST(kvmtool_options),
	   TEST(rejects_bad_device_options), TEST(backend_options), TEST(disk_limit), TEST(fs_options),
	   TEST(device_options_are_the_devices), TEST(kvmtool_options_say_why),
	   TEST(kvmtool_options_taken), TEST(gdb_options),
	   TEST(rootfs_option), TEST(guest_command));
