# SPDX-License-Identifier: GPL-2.0-only
# timeout: 3000
# driven-by: make reliability
# The asan scenario with 200 boots in one gicvm under ASan/LSan.
ASAN_BOOTS=200
. "$(dirname "$0")/asan.sh"
