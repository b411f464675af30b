# Runs one command and prints its peak resident set and its CPU time (user + system) to stderr
# ("MAXRSS_KIB n", "CPU_S s", from wait4's rusage of exactly that process), so the upload
# benchmark measures every contender the same way, whatever it is written in:
# python3 bench/peakRss.py CMD ARGS...
import os
import subprocess
import sys

child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
sys.stderr.write(f"\nMAXRSS_KIB {usage.ru_maxrss}\nCPU_S {usage.ru_utime + usage.ru_stime:.3f}\n")
sys.exit(os.waitstatus_to_exitcode(status))
