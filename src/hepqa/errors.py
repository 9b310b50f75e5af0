"""Exceptions raised by hepqa.

Every expected failure is a `HepqaError`: the CLI prints its message on one line and exits with status 1,
without a traceback. Messages follow the form "X must Y, got Z" and name the file, line or key involved.
"""

from __future__ import annotations

__all__ = [
    "AnswerError",
    "CorpusError",
    "EmbeddingError",
    "HepqaError",
    "SiteBuildError",
]


class HepqaError(Exception):
    """Base class of every expected hepqa failure."""


class CorpusError(HepqaError):
    """A corpus file or record is malformed; the message lists each problem with its file and line."""


class EmbeddingError(HepqaError):
    """Embeddings are missing, stale, or were made with another model."""


class AnswerError(HepqaError):
    """An answer, glossary or example spec in `kb/` is invalid or cites something that does not resolve."""


class SiteBuildError(HepqaError):
    """Generating the pages or building the static site failed; the previous site is left untouched."""
