# Guest side of the gdb scenario: a BRK of the guest's own must reach it as
# SIGTRAP while gdb is attached; then stay up long enough for gdb to
# interrupt and detach.
/bin/gicvm-brk
echo "GUEST-RESULT cpus=$(nproc)"
sleep 30
