"""Reading arXiv OAI-PMH `ListRecords` responses in the `arXiv` metadata format, streamed.

One harvested page looks like

    <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"> ... <ListRecords>
      <record>
        <header><identifier>oai:arXiv.org:0704.0001</identifier><datestamp>2008-11-13</datestamp>...</header>
        <metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>0704.0001</id><created>2007-04-02</created>
          <authors><author><keyname>Balázs</keyname><forenames>C.</forenames></author>...</authors>
          <title>...</title><categories>hep-ph hep-ex</categories><doi>...</doi><journal-ref>...</journal-ref>
          <abstract>...</abstract></arXiv></metadata>
      </record> ... <resumptionToken .../></ListRecords></OAI-PMH>

The parser is expat (`xml.parsers.expat`) driven directly rather than `ElementTree.iterparse`, because only
expat reports the line of each `<record>` start tag, which every error message names. The file is fed in
1 MiB chunks and each record is yielded as soon as it closes, so memory does not grow with the file.
`created` is the v1 submission date (`Record.date`); the header `datestamp` (last metadata change) is
`Record.updated`. A record whose header says `status="deleted"`, or whose metadata is in another format,
is reported rather than ingested.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat

from pydantic import ValidationError

from hepqa.corpus._formats import LineError, _open_binary, explain
from hepqa.corpus._record import Record

__all__ = ["ARXIV_NS", "OAI_NS", "read_oai"]

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
ARXIV_NS = "http://arxiv.org/OAI/arXiv/"
_CHUNK = 1 << 20
_FIELDS = {"id", "created", "updated", "title", "categories", "doi", "journal-ref", "abstract"}
_NAME_PARTS = ("forenames", "keyname", "suffix")


class _RecordCollector:
    """expat handlers that turn each `<record>` element into a `Record` or a `LineError`."""

    def __init__(self, path: Path, parser: Any) -> None:
        self.path, self.parser = path, parser
        self.done: list[Record | LineError] = []
        self.line = 0
        self.header: dict[str, str] = {}
        self.fields: dict[str, str] = {}
        self.authors: list[dict[str, str]] = []
        self.metadata_format: str | None = None
        self.text: list[str] | None = None
        self.in_record = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        if ns == OAI_NS and local == "record":
            self.in_record, self.line = True, self.parser.CurrentLineNumber
            self.header, self.fields, self.authors, self.metadata_format = {}, {}, [], None
        elif ns == OAI_NS and local == "header" and self.in_record:
            self.header["status"] = attrs.get("status", "")
        elif ns == OAI_NS and local == "error":
            self.line, self.header = self.parser.CurrentLineNumber, {"error": attrs.get("code", "unknown")}
            self.text = []
        elif not self.in_record:
            return
        elif ns == OAI_NS and local in {"identifier", "datestamp"}:
            self.text = []
        elif self.metadata_format is None and ns != OAI_NS:
            self.metadata_format = ns or local
        elif ns == ARXIV_NS and local == "author":
            self.authors.append({})
        elif ns == ARXIV_NS and (local in _FIELDS or (local in _NAME_PARTS and self.authors)):
            self.text = []

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def end(self, name: str) -> None:
        ns, _, local = name.rpartition(" ")
        text = "".join(self.text).strip() if self.text is not None else ""
        self.text = None
        if ns == OAI_NS and local == "error":
            self.done.append(LineError(self.path, self.line, f"OAI-PMH error {self.header['error']}: {text}"))
        elif not self.in_record:
            return
        elif ns == OAI_NS and local == "record":
            self.in_record = False
            self.done.append(self._finish())
        elif ns == OAI_NS and local in {"identifier", "datestamp"}:
            self.header[local] = text
        elif ns == ARXIV_NS and local in _NAME_PARTS and self.authors:
            self.authors[-1][local] = text
        elif ns == ARXIV_NS and local in _FIELDS:
            self.fields[local] = text

    def _finish(self) -> Record | LineError:
        rid = self.fields.get("id") or self.header.get("identifier", "").removeprefix("oai:arXiv.org:") or "?"
        where = f"record {rid}: "
        if self.header.get("status") == "deleted":
            return LineError(self.path, self.line, f"{where}marked deleted in the OAI header; not ingested")
        if self.metadata_format != ARXIV_NS:
            got = self.metadata_format or "no <metadata>"
            msg = f"{where}metadata must be in the arXiv format (metadataPrefix=arXiv, {ARXIV_NS}), got {got}"
            return LineError(self.path, self.line, msg)
        categories = self.fields.get("categories", "").split()
        obj = {
            "id": self.fields.get("id"),
            "title": self.fields.get("title"),
            "abstract": self.fields.get("abstract"),
            "authors": [" ".join(a[p] for p in _NAME_PARTS if a.get(p)) for a in self.authors],
            "categories": categories,
            "primary_category": categories[0] if categories else None,
            "date": self.fields.get("created"),
            "updated": self.header.get("datestamp") or self.fields.get("updated") or None,
            "doi": self.fields.get("doi") or None,
            "journal_ref": self.fields.get("journal-ref") or None,
            "source": "arxiv-oai-pmh",
        }
        try:
            return Record.model_validate(obj)
        except ValidationError as exc:
            return LineError(self.path, self.line, where + explain(exc))


def read_oai(path: Path) -> Iterator[Record | LineError]:
    """Yield each `<record>` of the OAI-PMH file `path` as a `Record` or a `LineError` (line of `<record>`).

    A file that stops being well-formed XML, or whose gzip stream is truncated, yields a final
    `LineError` at the line where parsing stopped; the records before it are yielded as usual.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    collector = _RecordCollector(path, parser)
    parser.StartElementHandler = collector.start
    parser.EndElementHandler = collector.end
    parser.CharacterDataHandler = collector.chars
    parser.buffer_text = True
    try:
        with _open_binary(path) as handle:
            while chunk := handle.read(_CHUNK):
                parser.Parse(chunk, False)
                yield from collector.done
                collector.done.clear()
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        yield from collector.done
        msg = f"XML is not well-formed ({expat.ErrorString(exc.code)}, column {exc.offset + 1}); nothing after this was read"
        yield LineError(path, exc.lineno, msg)
        return
    except (EOFError, OSError, zlib.error) as exc:
        yield from collector.done
        yield LineError(path, parser.CurrentLineNumber, f"file is truncated or corrupt ({exc}); nothing after this was read")
        return
    yield from collector.done
