"""Atomic file saves: a crash or a full disk leaves either the old file or the new one.

The new text goes to a temporary file in the same directory (so `os.replace` is a rename on
one filesystem), is flushed and fsynced, then renamed over the target. A save that must not
replace a file uses a hard link instead, which fails if the name is taken; a save that must
not lose a change made since the file was read checks and writes under a lock file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_WAIT_S = 10.0  # how long a save waits for another one on the same file
LOCK_STALE_S = 60.0  # a lock older than this was left by a process that died


class SaveError(Exception):
    """A save failed; the message names the file and the cause, and the old file is intact."""

    def __init__(self, message: str, errno_code: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno_code


def _describe(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "the filesystem is read-only"
    return exc.strerror or str(exc)


class FileChanged(Exception):
    """The file is not what the caller read: saving would lose someone else's change."""


def atomic_write_text(path: Path, text: str, *, overwrite: bool = True) -> None:
    """Replace `path` with `text` (UTF-8) atomically, or raise SaveError leaving it untouched.
    With `overwrite=False` an existing file is never replaced (FileExistsError), even by a
    save racing this one."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise SaveError(f"Could not save {path}: {_describe(exc)}.", exc.errno) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp_name, path)
        else:
            os.link(tmp_name, path)  # fails if the name exists: no window between check and write
            os.unlink(tmp_name)
    except FileExistsError:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise SaveError(
            f"Could not save {path}: {_describe(exc)}; the previous file is unchanged.", exc.errno
        ) from exc
    _fsync_dir(path.parent)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_of(path: Path) -> str | None:
    """The digest of the file's bytes; None when there is no such file."""
    try:
        return digest(Path(path).read_bytes())
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold `.<name>.lock` beside `path` while checking and writing it, so two saves of one
    file take turns. A lock left by a process that died is taken over after LOCK_STALE_S."""
    lock = Path(path).with_name(f".{Path(path).name}.lock")
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            break
        except FileExistsError:
            with contextlib.suppress(FileNotFoundError):
                if time.time() - lock.stat().st_mtime > LOCK_STALE_S:
                    lock.unlink()
                    continue
            if time.monotonic() > deadline:
                raise SaveError(
                    f"Could not save {path}: another save holds {lock} (remove it if no "
                    "mcexplorer is running)."
                ) from None
            time.sleep(0.01)
        except OSError as exc:
            raise SaveError(f"Could not save {path}: {_describe(exc)}.", exc.errno) from exc
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()


def save_if_unchanged(path: Path, text: str, expected: str | None) -> None:
    """Write `text` only if the file still has the digest `expected` (None: does not exist),
    checked and written as one step under the file's lock; FileChanged otherwise."""
    with file_lock(path):
        if digest_of(path) != expected:
            raise FileChanged(str(path))
        atomic_write_text(path, text)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not every platform lets a directory be opened.
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
