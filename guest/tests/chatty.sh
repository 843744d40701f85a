# A megabyte to the console (console-tty: nobody reads it).
head -c 1048576 /dev/zero | tr '\0' x
echo
