// SPDX-License-Identifier: GPL-2.0-only
/* --restore's command line: the snapshot's machine, with what is given again on top. */
#include <stdlib.h>
#include <string.h>

#include "gicvm/config.h"

#define MAX_SPANS	256

static bool given_now(const struct option_span *now, int n, int code)
{
	for (int i = 0; i < n; i++)
		if (now[i].code == code)
			return true;
	return false;
}

int config_restore_argv(int saved_argc, char **saved, int argc, char **argv,
			int *out_argc, char ***out_argv)
{
	struct option_span *was, *now;
	int nwas, nnow, k = 0;
	char **out;

	was = calloc(2 * MAX_SPANS, sizeof(*was));
	out = calloc(saved_argc + argc + 1, sizeof(*out));
	if (!was || !out) {
		free(was);
		free(out);
		pr_err("out of memory");
		return -1;
	}
	now = was + MAX_SPANS;
	nnow = config_option_spans(argc, argv, now, MAX_SPANS);
	nwas = config_option_spans(saved_argc, saved, was, MAX_SPANS);
	if (nnow < 0 || nwas < 0) {
		pr_err("--restore: %s", nnow < 0 ? "only options may follow it (no command)"
						 : "the snapshot's command line is corrupt");
		free(was);
		free(out);
		return -1;
	}
	out[k++] = argv[0];
	for (int i = 0; i < nwas; i++) {
		if (was[i].one_run || given_now(now, nnow, was[i].code))
			continue;
		memcpy(out + k, saved + was[i].start, was[i].len * sizeof(*out));
		k += was[i].len;
	}
	for (int i = 0; i < nnow; i++) {
		memcpy(out + k, argv + now[i].start, now[i].len * sizeof(*out));
		k += now[i].len;
	}
	out[k] = NULL;
	free(was);
	*out_argc = k;
	*out_argv = out;
	return 0;
}
