/* SPDX-License-Identifier: GPL-2.0-only */
/* A tiny unit-test harness: each test binary lists its tests with UNIT_TESTS(). */
#ifndef GICVM_UNIT_HARNESS_H
#define GICVM_UNIT_HARNESS_H

#include <stdio.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

extern const struct unit_test unit_tests[];

void unit_fail(const char *file, int line, const char *what);

#define CHECK(cond) do { \
		if (!(cond)) \
			unit_fail(__FILE__, __LINE__, #cond); \
	} while (0)

#define CHECK_EQ(a, b) do { \
		unsigned long long _a = (a), _b = (b); \
		if (_a != _b) { \
			char _m[256]; \
			snprintf(_m, sizeof(_m), "%.100s == %.100s (%#llx != %#llx)", #a, #b, _a, _b); \
			unit_fail(__FILE__, __LINE__, _m); \
		} \
	} while (0)

#define TEST(fn)	{ #fn, fn }
#define UNIT_TESTS(...)	const struct unit_test unit_tests[] = { __VA_ARGS__, { NULL, NULL } }

/* Capture what the code under test prints on stderr (its error messages). */
void stderr_capture_begin(void);
/* Stop capturing; returns the text, valid until the next capture. */
const char *stderr_capture_end(void);

/* A file under a fresh temporary directory holding @len bytes of @data. */
const char *unit_temp_file(const char *name, const void *data, size_t len);

#endif
