"""Atomic, deterministic file writes shared by every stage that writes into `kb/` or a build folder."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

_UMASK = os.umask(0)
os.umask(_UMASK)

__all__ = ["atomic_open", "canonical_json", "sha256_text", "write_json"]


@contextmanager
def atomic_open(path: Path, mode: str = "w", *, gzip_level: int | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file next to `path`; on success it replaces `path` in one `os.replace`.

    On any exception the temporary file is removed and `path` is left exactly as it was, so readers never
    see a half-written file. With `gzip_level`, the stream is gzip-compressed with mtime 0 (reproducible).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as raw:
            if gzip_level is not None:
                with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=gzip_level, mtime=0) as gz:
                    yield _wrap(gz, mode)
            else:
                yield _wrap(raw, mode)
        tmp.chmod(0o666 & ~_UMASK)  # mkstemp creates 0600; give the file the usual permissions
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _wrap(binary: IO[bytes], mode: str) -> IO[Any]:
    import io  # noqa: PLC0415 - only needed for text mode

    if "b" in mode:
        return binary
    return io.TextIOWrapper(binary, encoding="utf-8", newline="\n", write_through=True)


def canonical_json(obj: Any) -> str:
    """JSON with sorted keys and no insignificant whitespace: the form that content hashes are taken of."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_text(text: str) -> str:
    """Hex sha256 of the UTF-8 bytes of `text`."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_json(path: Path, obj: Any) -> None:
    """Write `obj` as indented JSON with sorted keys, atomically."""
    with atomic_open(path) as handle:
        json.dump(obj, handle, sort_keys=True, ensure_ascii=False, indent=1)
        handle.write("\n")
