"""`python -m bot` = `photofinish run`; with arguments, the same CLI as `photofinish`."""

from __future__ import annotations

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["run"]))
