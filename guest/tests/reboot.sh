# Guest side of the reboot scenario: a boot counter in the first sector of
# vda. Reboot (PSCI SYSTEM_RESET) until it reaches 5, then power off.
n=$(dd if=/dev/vda bs=512 count=1 2>/dev/null | tr -dc 0-9)
n=$(( ${n:-0} + 1 ))
printf '%-511s\n' "$n" > /tmp/sector
dd if=/tmp/sector of=/dev/vda bs=512 count=1 conv=fsync 2>/dev/null
echo "GUEST-RESULT boot=$n cpus=$(nproc)"
echo "GUEST-RESULT msi_lines=$(grep -c MSI /proc/interrupts)"
if [ "$n" -lt 6 ]; then
	sync
	reboot -f
fi
