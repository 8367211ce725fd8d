"""What dealcoach writes is readable by its own user only: the data directory 0700, its
files (the SQLite database with internal notes and sealed tokens, the log, briefings,
the spool) 0600.

The process umask makes every new file and directory private; `secure_data_dir`
tightens a data directory (and what is in it) that an older version left 0755/0644.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_files() -> None:
    """New files 0600 and directories 0700 for the rest of this process."""
    os.umask(0o077)


def secure_data_dir(path: Path) -> None:
    """Create the data directory 0700, and make what it holds private."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    path.chmod(PRIVATE_DIR)
    for child in path.rglob("*"):
        if child.is_symlink():
            continue
        child.chmod(PRIVATE_DIR if child.is_dir() else PRIVATE_FILE)
