#!/usr/bin/env python3
"""Command line: `python build.py [build|check|serve|new] ...` (see README)."""

import sys

from site_builder.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
