"""The `newsdesk` console script.

Loading the command line takes about half a second (click, the store, the daemon). A Ctrl-C
in that time used to end in a KeyboardInterrupt traceback, because the script's own
`from jobs.cli import main` runs outside every handler. Here the import is inside one: the
user gets one line and exit code 130, as a shell reports an interrupt. Once the commands
run, click and the crawler handle Ctrl-C themselves.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from jobs.cli import main as cli
    except KeyboardInterrupt:
        sys.stderr.write("newsdesk: interrupted while starting; nothing was done\n")
        sys.exit(130)
    cli()
