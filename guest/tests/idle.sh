# A guest that does nothing for gicvm.idle=SECONDS (3), so the host can
# look at the running gicvm (its threads' seccomp mode and capabilities).
secs=3
for arg in $(cat /proc/cmdline); do
	case $arg in gicvm.idle=*) secs=${arg#gicvm.idle=} ;; esac
done
sleep "$secs"
