# A job-control shell of one command, for the e2e tests: it does what bash or
# zsh does for a command typed at the prompt, and nothing else, so a test can
# see what the app leaves on a user's terminal.
#
# The command runs as a foreground job in a process group of its own (the
# group a terminal sends Ctrl-C's SIGINT and a hang-up's SIGHUP to). When the
# job's process ends, the shell takes the terminal back at once, as a real
# shell does, even if processes the job started still run; it prints
# "[exited N]" or "[killed by signal N]", waits for a newline
# from the test, then prints `stty -a`: the terminal's modes as the app left
# them. Unlike bash, it does not repair the modes of a job killed by a signal.
import os
import signal
import subprocess
import sys

TTY = sys.stdin.fileno()

# A shell must not be stopped for taking back the terminal from the background.
signal.signal(signal.SIGTTOU, signal.SIG_IGN)


def foreground_job():
    """In the child, before exec: a group of its own, in the terminal's foreground."""
    os.setpgid(0, 0)
    os.tcsetpgrp(TTY, os.getpgrp())
    signal.signal(signal.SIGTTOU, signal.SIG_DFL)


job = subprocess.Popen(sys.argv[1:], preexec_fn=foreground_job)
code = job.wait()
os.tcsetpgrp(TTY, os.getpgrp())
# Told apart (bash's $? would say 128+n for both): an app that exits 143 after
# stopping its programs is not one that SIGTERM's default action killed.
status = f"[killed by signal {-code}]" if code < 0 else f"[exited {code}]"
os.write(1, f"{status}\r\n".encode())

line = b""
while b"\n" not in line and b"\r" not in line:
    chunk = os.read(TTY, 64)
    if not chunk:
        break
    line += chunk
subprocess.run(["stty", "-a"], check=False)
