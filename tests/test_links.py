"""Link check over the site built from the shipped kb/: every internal link and anchor resolves to a file and
an id in the site; external links go only to arXiv and DOI resolvers."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from hepqa._markup import ALLOWED_LINK_PREFIXES

EXTERNAL_HOSTS = {urlsplit(p).hostname for p in ALLOWED_LINK_PREFIXES}  # the hosts authored text may link to


class _Links(HTMLParser):
    """Collects (tag, attribute, URL) of every link-like attribute and every id/name a fragment can target."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in ("href", "src") or (tag == "object" and name == "data"):
                self.links.append((tag, name, value))


@pytest.fixture(scope="module")
def parsed(real_site: Path) -> dict[Path, _Links]:
    out = {}
    for page in sorted(real_site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        out[page] = parser
    return out


def _problems(site: Path, parsed: dict[Path, _Links]) -> tuple[list[str], int, int]:
    problems, internal, external = [], 0, 0
    for page, links in parsed.items():
        where = page.relative_to(site)
        for tag, attr, url in links.links:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                external += 1
                if parts.scheme != "https" or parts.hostname not in EXTERNAL_HOSTS:
                    problems.append(f"{where}: <{tag} {attr}> goes outside arXiv and DOI: {url}")
                continue
            internal += 1
            # Root-relative paths ("/assets/…", used by the 404 page, which a server shows at any URL) are
            # relative to the site root.
            base = site if parts.path.startswith("/") else page.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if site.resolve() not in (target, *target.parents):
                problems.append(f"{where}: {url} leaves the site")
            elif not target.is_file():
                problems.append(f"{where}: {url} points to a missing file")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[site / target.relative_to(site.resolve())].ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{where}: {url}: no id {parts.fragment!r} in {target.name}")
    return problems, internal, external


def test_every_link_resolves_and_external_links_go_to_arxiv_or_doi(real_site: Path, parsed) -> None:
    assert EXTERNAL_HOSTS == {"arxiv.org", "doi.org"}
    problems, internal, external = _problems(real_site, parsed)
    assert problems == []
    # The check saw the site's real link graph: cross-page links, in-page anchors, and arXiv links.
    assert internal > 1000 and external > 500  # noqa: PLR2004


def test_the_check_catches_broken_links(real_site: Path, parsed) -> None:
    """The same check over a copy with one dangling anchor, one missing page and one foreign host fails on
    exactly those three."""
    page = real_site / "answers" / "nda-competing-scales.html"
    bad = _Links()
    bad.feed('<a href="#src-999">x</a><a href="../answers/nope.html">y</a><a href="https://example.com/">z</a>')
    broken = dict(parsed)
    broken[page] = bad
    problems, _, _ = _problems(real_site, broken)
    assert len(problems) == 3  # noqa: PLR2004
    assert "no id 'src-999'" in problems[0] and "missing file" in problems[1] and "outside" in problems[2]
