"""A crash leaves a short log: the traceback, with every secret taken out.

The log holds no local variables (Textual's own crash report shows them, and a key can be
one of them); the known secrets and anything shaped like a key are replaced.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from mcexplorer import __version__
from mcexplorer.core.atomic import SaveError, atomic_write_text
from mcexplorer.core.redact import Scrubber

CRASH_DIR = "crashes"


def crash_dir() -> Path:
    return platformdirs.user_state_path("mcexplorer", appauthor=False) / CRASH_DIR


def describe(error: BaseException, secrets: Iterable[str] = ()) -> str:
    """`KeyError: 'x'`, scrubbed: the one line a crash prints on the terminal."""
    line = traceback.format_exception_only(error)[-1].strip()
    return Scrubber.of(secrets).text(line)


def write_crash_log(
    error: BaseException, secrets: Iterable[str] = (), *, folder: Path | None = None
) -> Path | None:
    """Write the scrubbed traceback to a new file and return its path (None if it could
    not be written: a crash report must never raise)."""
    now = datetime.now(UTC)
    text = f"mcexplorer {__version__} crashed at {now.isoformat(timespec='seconds')}\n\n" + "".join(
        traceback.format_exception(error)
    )
    folder = crash_dir() if folder is None else folder
    stamp = now.strftime("%Y%m%d-%H%M%S")
    for n in range(100):
        path = folder / (f"crash-{stamp}.log" if n == 0 else f"crash-{stamp}-{n}.log")
        try:
            atomic_write_text(path, Scrubber.of(secrets).text(text), overwrite=False)
        except FileExistsError:
            continue
        except SaveError:
            return None
        return path
    return None
