"""Extraction speed on one core: documents and sentences per second.

Generates a corpus of varied ~500-word articles (bench/corpus.py), warms the vocabularies
up, then extracts every document in this one process. Run:

    .venv/bin/python bench/bench_extract.py --documents 1000
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import documents  # noqa: E402
from ingest import SourceDocument, extract  # noqa: E402
from ingest.text import layout, nlp  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--words", type=int, default=500)
    args = parser.parse_args()

    corpus = [
        SourceDocument(
            text=record["text"],
            url=record["url"],
            title=record["title"],
            published=date.fromisoformat(record["published"]),
        )
        for record in documents(args.documents, words=args.words)
    ]
    extract(corpus[0])  # load vocabularies and matchers once, as a worker does

    words = sum(len(d.text.split()) for d in corpus)
    sentences = sum(
        len(list(nlp()(p.text).sents)) for d in corpus for p in layout(d.text).paragraphs
    )

    started = time.perf_counter()
    events = sum(len(extract(document).events) for document in corpus)
    seconds = time.perf_counter() - started

    print(f"documents          {len(corpus)}")
    print(f"words per document {words / len(corpus):.0f}")
    print(f"events             {events}")
    print(f"seconds            {seconds:.2f}")
    print(f"documents/s        {len(corpus) / seconds:.1f}  (one core)")
    print(f"sentences/s        {sentences / seconds:.0f}")
    print(f"words/s            {words / seconds:.0f}")


if __name__ == "__main__":
    main()
