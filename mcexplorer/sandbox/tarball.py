"""Batch results packed like the real archives: gzipped tar of JSON arrays, plus an empty file."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from typing import Any

RESULTS_PER_FILE = 500


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0  # fixed, so the same results always give the same bytes
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def pack_results(batch_id: str, results: list[dict[str, Any]]) -> bytes:
    """`<id>/1.json`, `<id>/2.json`, ... (at most RESULTS_PER_FILE each) and one empty file."""
    buffer = io.BytesIO()
    chunks = [results[i : i + RESULTS_PER_FILE] for i in range(0, len(results), RESULTS_PER_FILE)]
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.USTAR_FORMAT) as tar,
    ):
        for number, chunk in enumerate(chunks, start=1):
            _add(tar, f"{batch_id}/{number}.json", json.dumps(chunk).encode())
        # Real archives sometimes hold an empty file; readers must tolerate it.
        _add(tar, f"{batch_id}/{len(chunks) + 1}.json", b"")
    return buffer.getvalue()
