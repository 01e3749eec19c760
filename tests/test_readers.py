"""Document readers: every supported format, folder metadata, and bad input."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from ingest.model import SourceDocument
from ingest.readers import ReadFailure, html_text, read_paths

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

PAGE = """<!doctype html><html><head>
<title>Fallback title</title>
<meta property="og:title" content="Rockets hit base near Baghdad">
<meta property="article:published_time" content="2020-01-08T03:15:00Z">
<meta property="og:site_name" content="Example News">
<style>.x { color: red }</style><script>var tracking = "Iran attacked";</script>
</head><body><nav>Home | World</nav>
<article><h1>Rockets hit base</h1>
<p>Iran <b>fired</b> missiles at the <a href="/ain">Ain al-Asad</a> air base.</p>
<p>The United States said<br>no one was hurt.</p></article>
<footer>Copyright</footer></body></html>"""


def docs(items: list) -> list[SourceDocument]:
    return [d for d in items if isinstance(d, SourceDocument)]


def test_html_strips_tags_keeps_sentences_and_reads_metadata() -> None:
    text, title, published, site = html_text(PAGE)
    assert title == "Rockets hit base near Baghdad"
    assert published == date(2020, 1, 8)
    assert site == "Example News"
    assert "Iran fired missiles at the Ain al-Asad air base." in text
    assert "tracking" not in text and "color" not in text
    assert "Home" not in text and "Copyright" not in text
    assert "<" not in text


def test_html_date_from_time_element_and_title_fallbacks() -> None:
    text, title, published, _ = html_text(
        "<html><body><h1>Talks resume</h1><time datetime='2019-02-12'>Feb 12</time>"
        "<p>Iraq met Iran.</p></body></html>"
    )
    assert title == "Talks resume"
    assert published == date(2019, 2, 12)
    assert "Iraq met Iran." in text


def test_folder_reads_txt_md_html_and_skips_readme(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Iran warned Iraq.")
    (tmp_path / "b.md").write_text("# Note\n\nIraq thanked Iran.")
    (tmp_path / "c.html").write_text(PAGE)
    (tmp_path / "README.md").write_text("About this folder")
    (tmp_path / "d.pdf").write_bytes(b"%PDF")
    read = docs(list(read_paths([tmp_path])))
    assert [d.file for d in read] == ["a.txt", "b.md", "c.html"]
    assert read[2].title == "Rockets hit base near Baghdad"
    assert read[2].published == date(2020, 1, 8)
    assert read[0].identity == "a.txt"


def test_seed_folder_uses_its_metadata() -> None:
    read = list(read_paths([SEEDS]))
    assert all(isinstance(d, SourceDocument) for d in read)
    assert len(read) == 2
    by_file = {d.file: d for d in docs(read)}
    seed = by_file["002_b35e7bfbbd023063.txt"]
    assert seed.published == date(2020, 5, 13)
    assert seed.source == "The Hill"
    assert seed.title and seed.title.startswith("Watchdog")


def test_a_metadata_line_that_is_not_utf8_or_json_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Iran warned Iraq.")
    (tmp_path / "b.txt").write_text("Iraq thanked Iran.")
    record = json.dumps({"file": "b.txt", "title": "B"}).encode()
    (tmp_path / "metadata.jsonl").write_bytes(b"\xff\xfe not text\n{not json\n" + record)
    read = docs(list(read_paths([tmp_path])))
    assert [(d.file, d.title) for d in read] == [("a.txt", None), ("b.txt", "B")]


def test_a_changed_metadata_file_is_read_again(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Iran warned Iraq.")
    meta = tmp_path / "metadata.jsonl"

    def title() -> str | None:
        return docs(list(read_paths([tmp_path / "a.txt"])))[0].title

    meta.write_text(json.dumps({"file": "a.txt", "title": "One"}))
    assert title() == "One"
    meta.write_text(json.dumps({"file": "a.txt", "title": "Two"}))  # the same size
    os.utime(meta, ns=(meta.stat().st_atime_ns, meta.stat().st_mtime_ns + 10**9))
    assert title() == "Two"
    meta.write_text(json.dumps({"file": "a.txt", "title": "Three"}))
    assert title() == "Three"
    meta.unlink()
    assert title() is None


def test_jsonl_records_and_their_failures(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps(
            {
                "text": "Iran warned Iraq.",
                "title": "T",
                "published": "2020-01-03",
                "url": "https://example.org/1",
            }
        ),
        json.dumps({"text": "Iraq thanked Iran."}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps(["a list"]),
        "",
        json.dumps({"text": "Bad date.", "published": "someday"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    read = list(read_paths([path]))
    good = docs(read)
    failures = [r for r in read if isinstance(r, ReadFailure)]
    assert [d.text for d in good] == ["Iran warned Iraq.", "Iraq thanked Iran.", "Bad date."]
    assert good[0].identity == "https://example.org/1"
    assert good[0].published == date(2020, 1, 3)
    assert good[1].identity == "news.jsonl#2"
    assert good[2].published is None
    assert [(f.where.rsplit(":", 1)[1], f.reason) for f in failures] == [
        ("3", "invalid JSON (Expecting property name enclosed in double quotes)"),
        ("4", 'no "text"'),
        ("5", "a line must be a JSON object"),
    ]


def test_globs_missing_paths_and_undecodable_files(tmp_path: Path) -> None:
    (tmp_path / "x1.txt").write_text("Iran warned Iraq.")
    (tmp_path / "x2.txt").write_bytes(b"\xff\xfe\x00bad")
    (tmp_path / "y.txt").write_text("   ")
    read = list(read_paths([str(tmp_path / "x*.txt"), tmp_path / "y.txt"]))
    assert [type(r).__name__ for r in read] == ["SourceDocument", "ReadFailure", "ReadFailure"]
    assert read[1].reason == "not UTF-8 text"
    assert read[2].reason == "no text"
    with pytest.raises(FileNotFoundError, match="no such file"):
        list(read_paths([tmp_path / "missing.txt"]))
    with pytest.raises(FileNotFoundError, match="no files match"):
        list(read_paths([str(tmp_path / "z*.txt")]))
