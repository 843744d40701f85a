# SPDX-License-Identifier: GPL-2.0-only
# timeout: 1200
# driven-by: make reliability
# The durability scenario, 20 rounds.
DURABILITY_ROUNDS=20
. "$(dirname "$0")/durability.sh"
