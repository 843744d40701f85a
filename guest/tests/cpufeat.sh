# Guest side of the --pmu / --sve-max-vl scenario.
echo "GUEST-RESULT pmu_device=$(ls /sys/bus/event_source/devices/ | grep -c pmu)"
echo "GUEST-RESULT sve_default=$(cat /proc/sys/abi/sve_default_vector_length 2>/dev/null || echo -1)"
/bin/gicvm-cpufeat
echo "GUEST-RESULT paca=$(grep -c paca /proc/cpuinfo)"
