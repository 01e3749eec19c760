"""Reading documents from disk: `.txt`, `.md`, `.html` and JSON Lines, one at a time.

Readers yield `SourceDocument`s lazily so a corpus of any size streams through in flat
memory. A record that cannot be read yields a `ReadFailure` (with why) instead of stopping
the run. A folder's `metadata.jsonl` (lines of `{"file", "title", "published", "source",
"url"}`) supplies metadata for the files beside it; folders skip it and `README*` files.
"""

from __future__ import annotations

import glob
import json
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from ingest.model import SourceDocument

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
METADATA_FILE = "metadata.jsonl"

# Where pages commonly state their publication date, most specific first.
_DATE_META = (
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "date"),
    ("name", "dc.date"),
    ("name", "DC.date.issued"),
    ("name", "pubdate"),
    ("property", "og:published_time"),
)
_BLOCK_TAGS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "tr",
    "section",
    "article",
    "dd",
    "dt",
    "figcaption",
    "table",
    "ul",
    "ol",
)
_BLOCKS = ("script", "style", "noscript", "nav", "footer", "header", "aside", "form", "template")


@dataclass(frozen=True)
class ReadFailure:
    """A document that could not be read: where, and why."""

    where: str
    reason: str


def parse_date(value: object) -> date | None:
    """An ISO date (or the date part of a timestamp); None when absent or unreadable."""
    if not value or not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named by `paths`: files as given, folders walked in order, globs expanded."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and _is_document(child):
                    yield child
        elif path.is_file():
            yield path
        elif any(ch in str(raw) for ch in "*?["):
            matches = sorted(glob.glob(str(raw), recursive=True))
            if not matches:
                raise FileNotFoundError(f"no files match {raw}")
            yield from (Path(m) for m in matches if Path(m).is_file() and _is_document(Path(m)))
        else:
            raise FileNotFoundError(f"no such file or folder: {raw}")


def _is_document(path: Path) -> bool:
    name = path.name
    return (
        path.suffix.lower() in SUFFIXES
        and name != METADATA_FILE
        and not name.upper().startswith("README")
        and not name.startswith(".")
    )


def read_paths(paths: Iterable[str | Path]) -> Iterator[SourceDocument | ReadFailure]:
    """Every document under `paths`, in a stable order."""
    metadata: dict[Path, dict[str, dict[str, Any]]] = {}
    for path in expand(paths):
        folder = path.parent.resolve()
        if folder not in metadata:
            metadata[folder] = _folder_metadata(folder)
        yield from read_file(path, metadata[folder].get(path.name))


def _folder_metadata(folder: Path) -> dict[str, dict[str, Any]]:
    sidecar = folder / METADATA_FILE
    try:
        found = sidecar.stat()
    except OSError:
        return {}
    if not stat.S_ISREG(found.st_mode):
        return {}
    return _sidecar(sidecar, (found.st_ino, found.st_mtime_ns, found.st_size))


@lru_cache(maxsize=4)
def _sidecar(sidecar: Path, version: tuple[int, int, int]) -> dict[str, dict[str, Any]]:
    """A metadata.jsonl's records by file, read once while it is unchanged (a cluster's
    worker reads a folder's files a few at a time, task after task). Not to be modified."""
    out: dict[str, dict[str, Any]] = {}
    with open(sidecar, "rb") as handle:
        for line in handle:  # a line that is not UTF-8 or not JSON is skipped, not fatal
            try:
                record = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue
            if isinstance(record, dict) and isinstance(record.get("file"), str):
                out[record["file"]] = record
    return out


def read_file(
    path: Path, meta: dict[str, Any] | None = None
) -> Iterator[SourceDocument | ReadFailure]:
    """The document(s) in one file; `meta` (from metadata.jsonl) wins over the page's own."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield ReadFailure(str(path), f"unsupported file type {suffix or '(none)'}")
        return
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(path)
        return
    try:
        raw = path.read_bytes()
        content = raw.decode("utf-8")
    except UnicodeDecodeError:
        yield ReadFailure(str(path), "not UTF-8 text")
        return
    except OSError as exc:
        yield ReadFailure(str(path), exc.strerror or str(exc))
        return
    if suffix in HTML_SUFFIXES:
        text, title, published, site = html_text(content)
    else:
        text, title, published, site = content, None, None, None
    meta = meta or {}
    if not text.strip():
        yield ReadFailure(str(path), "no text")
        return
    yield SourceDocument(
        text=text,
        file=path.name,
        url=meta.get("url") or None,
        title=meta.get("title") or title,
        published=parse_date(meta.get("published")) or published,
        source=meta.get("source") or site,
    )


def read_jsonl(path: Path) -> Iterator[SourceDocument | ReadFailure]:
    """One document per line: `{"text", "title", "published", "url"}`; `text` is required.

    Without a URL a record's identity is `FILE#LINE`, so it stays stable across runs.
    """
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 (closed by the with below)
    except OSError as exc:
        yield ReadFailure(str(path), exc.strerror or str(exc))
        return
    with handle:
        n = 0
        while True:
            n += 1
            try:
                line = handle.readline()
            except UnicodeDecodeError:
                yield ReadFailure(f"{path}:{n}", "not UTF-8 text")
                return
            if not line:
                return
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield ReadFailure(where, f"invalid JSON ({exc.msg})")
                continue
            if not isinstance(record, dict):
                yield ReadFailure(where, "a line must be a JSON object")
                continue
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                yield ReadFailure(where, 'no "text"')
                continue
            url = record.get("url") if isinstance(record.get("url"), str) else None
            title = record.get("title") if isinstance(record.get("title"), str) else None
            source = record.get("source") if isinstance(record.get("source"), str) else None
            yield SourceDocument(
                text=text,
                file=None if url else f"{path.name}#{n}",
                url=url or None,
                title=title,
                published=parse_date(record.get("published")),
                source=source,
            )


def html_text(html: str) -> tuple[str, str | None, date | None, str | None]:
    """Visible text of a page (one paragraph a block), its title, date and site name."""
    soup = BeautifulSoup(html, "html.parser")
    title = _meta(soup, ("property", "og:title")) or (
        soup.title.get_text(" ", strip=True) if soup.title else None
    )
    published = None
    for attr, name in _DATE_META:
        published = parse_date(_meta(soup, (attr, name)))
        if published:
            break
    if published is None:
        tag = soup.find("time", attrs={"datetime": True})
        published = parse_date(tag.get("datetime")) if tag else None
    site = _meta(soup, ("property", "og:site_name"))
    for tag in soup(_BLOCKS):
        tag.decompose()
    body = soup.find("article") or soup.body or soup
    if soup.title:
        soup.title.decompose()
    for tag in body.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    for br in body.find_all("br"):
        br.replace_with("\n")
    blocks = [b.strip() for b in body.get_text().split("\n")]
    paragraphs = [" ".join(b.split()) for b in blocks if b]
    h1 = soup.find("h1")
    if title is None and h1 is not None:
        title = h1.get_text(" ", strip=True)
    return "\n\n".join(paragraphs), title or None, published, site


def _meta(soup: BeautifulSoup, key: tuple[str, str]) -> str | None:
    attr, name = key
    tag = soup.find("meta", attrs={attr: name})
    content = tag.get("content") if tag else None
    return content.strip() if isinstance(content, str) and content.strip() else None
