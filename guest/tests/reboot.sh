# Guest side of the reboot scenarios: a boot counter in the first sector of
# vda. Reboot (PSCI SYSTEM_RESET) until it reaches gicvm.boots=N on the
# command line (4 if not given), then power off.
want=4
for arg in $(cat /proc/cmdline); do
	case $arg in gicvm.boots=*) want=${arg#gicvm.boots=} ;; esac
done
n=$(dd if=/dev/vda bs=512 count=1 2>/dev/null | tr -dc 0-9)
n=$(( ${n:-0} + 1 ))
printf '%-511s\n' "$n" > /tmp/sector
dd if=/tmp/sector of=/dev/vda bs=512 count=1 conv=fsync 2>/dev/null
echo "GUEST-RESULT boot=$n cpus=$(nproc)"
echo "GUEST-RESULT msi_lines=$(grep -c MSI /proc/interrupts)"
if [ "$n" -lt "$want" ]; then
	sync
	reboot -f
fi
