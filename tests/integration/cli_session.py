"""Runs a command (the mariadb CLI) on a pseudo-terminal, as a DBA at a terminal runs it: the CLI
is then interactive (prompt, its own headings and notes, TAB completion), which it never is with
-e or a pipe. Types each line of stdin once the CLI shows its prompt for it (MARKER, a text the
--prompt given to the CLI contains, seen once per line), with "\\t" typed as a TAB, then prints
the whole transcript with the terminal's escape sequences removed. Standard library only.

Usage: /usr/bin/python3 cli_session.py MARKER COMMAND [ARGS...] < lines
"""
import os
import pty
import re
import select
import sys
import time


def run(marker, argv, lines, timeout=30):
    env = dict(os.environ, TERM='xterm', MYSQL_HISTFILE='/dev/null', MARIADB_HISTFILE='/dev/null')
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(argv[0], argv, env)
    out = bytearray()
    deadline = time.time() + timeout

    def read_some():
        """False once the CLI has exited (or the time is up)."""
        if time.time() > deadline:
            return False
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            return True
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        out.extend(data)
        return bool(data)

    for n, line in enumerate(lines, 1):
        while out.count(marker) < n and read_some():
            pass
        os.write(fd, line.replace('\\t', '\t').encode() + b'\n')
    while read_some():
        pass
    os.waitpid(pid, 0)
    text = re.sub(rb'\x1b(\[[0-9;?]*[A-Za-z]|[()][AB0-2]|[=>])|\x07|\r', b'', bytes(out))
    return text.decode(errors='replace')


if __name__ == '__main__':
    sys.stdout.write(run(sys.argv[1].encode(), sys.argv[2:], sys.stdin.read().splitlines()))
