# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# Guest RAM in huge pages: --hugetlbfs DIR (a file on the hugetlbfs mounted
# there) and --hugepages (a huge-page memfd). The guest boots on 2 MiB pages
# (--json-summary's ram_page_kib, read from gicvm's own smaps), and the
# host's huge pages are back when it ends. A directory that is no hugetlbfs,
# a size that is no whole number of huge pages and a host without enough
# free ones are each refused with one line before any guest runs.
. "$(dirname "$0")/lib.sh"
mkdir -p huge
mount -t hugetlbfs none huge || fail "cannot mount a hugetlbfs"
trap 'umount huge 2>/dev/null; echo 0 > /proc/sys/vm/nr_hugepages' EXIT
echo 80 > /proc/sys/vm/nr_hugepages
free_pages() { sed -n 's/^HugePages_Free: *//p' /proc/meminfo; }
[ "$(free_pages)" = 80 ] || fail "the host has $(free_pages) free huge pages, not 80"

expect_error "--hugetlbfs on a directory of tmpfs" "not a hugetlbfs mount" \
	run -k "$GUEST_IMAGE" --hugetlbfs /tmp
expect_error "-m 129 in 2 MiB pages" "not a whole number of 2048 KiB huge pages" \
	run -k "$GUEST_IMAGE" -m 129 --hugetlbfs huge
expect_error "more huge pages than the host has" "cannot reserve 256 MiB of huge pages" \
	run -k "$GUEST_IMAGE" -m 256 --hugepages
echo "ok: the three refusals"

for how in "--hugetlbfs $PWD/huge" --hugepages; do
	boot_agent 2 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" -m 128 $how --json-summary s.json
	[ "$(json_get ram_page_kib s.json)" = 2048 ] ||
		fail "$how: guest RAM in $(json_get ram_page_kib s.json) KiB pages, not 2048"
	[ "$(free_pages)" = 80 ] || fail "$how: $(free_pages) huge pages free after the run, not 80"
	echo "ok: $how: 128 MiB of guest RAM in 2 MiB pages, all given back"
done
