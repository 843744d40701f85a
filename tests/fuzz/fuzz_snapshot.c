// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the snapshot reader (`gicvm run --restore`'s first
 * step). Any input must be refused with a reason or parsed into sections
 * that lie inside it; a parsed configuration section must give back
 * NUL-terminated strings inside it, and merging that command line with a
 * restore's must not crash.
 */
#include <stdlib.h>
#include <string.h>

#include "gicvm/config.h"
#include "gicvm/snapfile.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check_argv(const struct snap_image *img)
{
	const struct snap_section *conf = snap_find(img, "CONF", 0);
	char *now[] = { "run", "--restore", "dir", "--name", "fuzz" }, **argv, **merged;
	int argc, n;

	if (!conf || snap_get_argv(conf, &argc, &argv))
		return;
	for (int i = 0; i < argc; i++)
		if ((const u8 *)argv[i] < conf->data ||
		    (const u8 *)argv[i] + strlen(argv[i]) >= conf->data + conf->len)
			abort();
	if (argc > 0 && !config_restore_argv(argc, argv, 5, now, &n, &merged))
		free(merged);
	free(argv);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct snap_image img;
	char why[160] = "";

	if (snap_parse(data, size, &img, why, sizeof(why))) {
		if (!why[0])
			abort();	/* a refusal always says why */
		return 0;
	}
	for (u32 i = 0; i < img.nr; i++)
		if (img.sec[i].data < data || img.sec[i].len > size ||
		    img.sec[i].data + img.sec[i].len > data + size)
			abort();
	check_argv(&img);
	snap_image_free(&img);
	return 0;
}
