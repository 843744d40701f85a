// SPDX-License-Identifier: GPL-2.0-only
/* The snapshot file's container and --restore's command line. */
#include <stdlib.h>
#include <string.h>

#include "gicvm/config.h"
#include "gicvm/snapfile.h"
#include "harness.h"

static void make_file(struct snap_writer *w)
{
	struct snap_header h = {
		.gic_type = 4, .nr_cpus = 2, .ram_size = 256 << 20, .features = SNAP_FEAT_SVE,
	};
	char *argv[] = { "run", "-c", "2", "--gic", "v3-its", "-d", "disk.img" };
	struct state s;

	strcpy(h.gicvm_version, "v1.2-3-gabcdef12");	/* 16: the most it keeps */
	snap_begin(w, &h);
	state_init(&s);
	snap_put_argv(&s, 7, argv);
	snap_add(w, "CONF", 0, &s);
	state_free(&s);
	for (u32 i = 0; i < 2; i++) {
		state_init(&s);
		state_put(&s, 0x1000 + i, 3);		/* a length that needs padding */
		snap_add(w, "VCPU", i, &s);
		state_free(&s);
	}
	CHECK_EQ(snap_finish(w), 0);
}

static void t_round_trip(void)
{
	struct snap_writer w;
	struct snap_image img;
	const struct snap_section *sec;
	char why[160], **argv;
	int argc;

	make_file(&w);
	CHECK_EQ(snap_parse(w.out.buf, w.out.len, &img, why, sizeof(why)), 0);
	CHECK_EQ(img.h.nr_cpus, 2);
	CHECK_EQ(img.h.gic_type, 4);
	CHECK_EQ(img.h.ram_size, 256 << 20);
	CHECK_EQ(img.h.features, SNAP_FEAT_SVE);
	CHECK(!strcmp(img.h.gicvm_version, "v1.2-3-gabcdef12"));
	CHECK_EQ(img.nr, 3);
	sec = snap_find(&img, "VCPU", 1);
	CHECK(sec && sec->len == 3 && get_le(sec->data, 3) == 0x1001);
	CHECK(!snap_find(&img, "VCPU", 2));
	sec = snap_find(&img, "CONF", 0);
	CHECK(sec && !snap_get_argv(sec, &argc, &argv));
	CHECK_EQ(argc, 7);
	CHECK(!strcmp(argv[0], "run") && !strcmp(argv[6], "disk.img") && !argv[7]);
	free(argv);
	snap_image_free(&img);
	state_free(&w.out);
}

/* Every truncation and every changed byte is refused, with a reason. */
static void t_refusals(void)
{
	struct snap_writer w;
	struct snap_image img;
	char why[160];

	make_file(&w);
	for (size_t len = 0; len < w.out.len; len++) {
		why[0] = 0;
		CHECK_EQ(snap_parse(w.out.buf, len, &img, why, sizeof(why)), -1);
		CHECK(why[0]);
	}
	for (size_t i = 0; i < w.out.len; i++) {
		w.out.buf[i] ^= 0x10;
		CHECK_EQ(snap_parse(w.out.buf, w.out.len, &img, why, sizeof(why)), -1);
		w.out.buf[i] ^= 0x10;
	}
	/* Another format version says which. */
	put_le(w.out.buf + 8, 2, 4);
	CHECK_EQ(snap_parse(w.out.buf, w.out.len, &img, why, sizeof(why)), -1);
	CHECK(strstr(why, "version 2"));
	state_free(&w.out);
}

static void t_argv_refusals(void)
{
	struct snap_section sec = { "CONF", 0, NULL, 0 };
	struct state s;
	char **argv;
	int argc;

	/* Not NUL-terminated, and more strings than there are. */
	state_init(&s);
	state_put_tag(&s, "ARGV");
	state_put(&s, 1, 4);
	state_put_bytes(&s, "run", 3);
	sec.data = s.buf;
	sec.len = s.len;
	CHECK_EQ(snap_get_argv(&sec, &argc, &argv), -1);
	state_put(&s, 0, 1);
	state_put(&s, 'x', 1);	/* a byte after the last string */
	sec.data = s.buf;
	sec.len = s.len;
	CHECK_EQ(snap_get_argv(&sec, &argc, &argv), -1);
	state_free(&s);
}

static bool has(char **argv, int argc, const char *a, const char *b)
{
	for (int i = 0; i + 1 < argc; i++)
		if (!strcmp(argv[i], a) && !strcmp(argv[i + 1], b))
			return true;
	return false;
}

static int count(char **argv, int argc, const char *a)
{
	int n = 0;

	for (int i = 0; i < argc; i++)
		n += !strcmp(argv[i], a);
	return n;
}

/* Options given now replace the saved ones of their kind; one run's options do not carry. */
static void t_restore_argv(void)
{
	char *saved[] = { "run", "-c", "2", "-m", "128", "--name", "orig", "--json-summary",
			  "s.json", "-d", "a.img", "-d", "b.img", "--gic", "v3", "--timeout", "5" };
	char *now[] = { "run", "--restore", "snap", "-d", "a2.img", "--name", "clone1" };
	char *bad_now[] = { "run", "--restore", "snap", "--", "true" };
	char **out;
	int n;
	struct vm_config cfg;

	CHECK_EQ(config_restore_argv(ARRAY_SIZE(saved), saved, ARRAY_SIZE(now), now, &n, &out), 0);
	CHECK(!strcmp(out[0], "run"));
	CHECK(has(out, n, "-c", "2") && has(out, n, "-m", "128") && has(out, n, "--gic", "v3"));
	CHECK(has(out, n, "-d", "a2.img") && count(out, n, "-d") == 1);
	CHECK(has(out, n, "--name", "clone1") && count(out, n, "--name") == 1);
	CHECK(!count(out, n, "--json-summary") && !count(out, n, "--timeout"));
	CHECK(has(out, n, "--restore", "snap"));
	CHECK_EQ(config_parse_run(&cfg, n, out), CONFIG_OK);
	CHECK(cfg.restore && !strcmp(cfg.restore, "snap") && cfg.nr_cpus == 2);
	free(out);

	stderr_capture_begin();
	CHECK_EQ(config_restore_argv(ARRAY_SIZE(saved), saved, ARRAY_SIZE(bad_now), bad_now, &n,
				     &out), -1);
	CHECK(strstr(stderr_capture_end(), "only options"));
}

UNIT_TESTS(TEST(t_round_trip), TEST(t_refusals), TEST(t_argv_refusals), TEST(t_restore_argv));
