# Runs one command and prints its peak resident set to stderr ("MAXRSS_KIB n", from wait4's
# rusage of exactly that process), so the upload benchmark measures every contender the same
# way, whatever it is written in: python3 bench/peakRss.py CMD ARGS...
import os
import subprocess
import sys

child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
sys.stderr.write(f"\nMAXRSS_KIB {usage.ru_maxrss}\n")
sys.exit(os.waitstatus_to_exitcode(status))
