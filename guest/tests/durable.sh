# Guest side of the durability scenario: records and FLUSHes on vda until
# the host kills gicvm (gicvm.round=N on the command line names the round).
round=0
for arg in $(cat /proc/cmdline); do
	case $arg in gicvm.round=*) round=${arg#gicvm.round=} ;; esac
done
gicvm-durable /dev/vda "$round" 4096
