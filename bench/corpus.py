"""A varied synthetic news corpus for benchmarks and crash tests, from templates.

Actors come from the gazetteer (`ontology/actors.ttl`), so the extractor links them; verbs,
places and dates vary per sentence. Each document has about 500 words. The same seed gives
the same corpus.

    python bench/corpus.py OUT.jsonl --documents 10000
"""

from __future__ import annotations

import argparse
import html
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FALLBACK_ACTORS = ["Iran", "Iraq", "the United States", "Hezbollah", "the Pentagon", "Baghdad"]
PLACES = [
    "Baghdad",
    "Basra",
    "Erbil",
    "Mosul",
    "Tehran",
    "Kirkuk",
    "Najaf",
    "Anbar province",
    "the Green Zone",
    "the Strait of Hormuz",
    "the Gulf",
    "Damascus",
    "Beirut",
    "Karbala",
]
VERBS = [
    "accused",
    "warned",
    "attacked",
    "met with",
    "criticised",
    "praised",
    "threatened",
    "condemned",
    "fired rockets at",
    "negotiated with",
    "imposed sanctions on",
    "thanked",
    "urged",
    "demanded that",
    "arrested members of",
    "shelled positions of",
    "signed an agreement with",
    "rejected the proposal of",
    "accepted aid from",
    "expelled diplomats of",
    "called for talks with",
    "blamed",
]
OPENERS = [
    "Officials said on {day} that",
    "According to a statement released {day},",
    "In {place},",
    "Late on {day},",
    "Witnesses in {place} reported that",
    "A spokesman confirmed that",
    "",
]
FILLER = [
    "The move drew a sharp response from regional observers, who said tensions had been "
    "building for weeks.",
    "Analysts cautioned that the situation remained fluid and that further escalation could "
    "not be ruled out.",
    "No casualties were immediately reported, although local hospitals were placed on alert.",
    "The statement did not give further details about the timing or the scale of the operation.",
    "Diplomats at the United Nations said they were following the developments closely.",
    "Residents described long queues at checkpoints and a heavy security presence in the streets.",
]


@lru_cache(maxsize=1)
def gazetteer_actors() -> list[str]:
    """Preferred labels from the gazetteer (the fallback list if it is not there yet)."""
    path = ROOT / "ontology" / "actors.ttl"
    if not path.is_file():
        return FALLBACK_ACTORS
    import rdflib

    graph = rdflib.Graph().parse(path, format="turtle")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    labels = sorted({str(o) for o in graph.objects(None, skos.prefLabel)})
    return labels or FALLBACK_ACTORS


def document(rng: random.Random, n: int, words: int = 500) -> dict:
    """One article: a title, a date, a URL and about `words` words of sentences."""
    actors = gazetteer_actors()
    published = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 5 * 365))
    cast = rng.sample(actors, k=min(len(actors), rng.randint(3, 7)))
    sentences: list[str] = []
    count = 0
    while count < words:
        if rng.random() < 0.25:
            sentence = rng.choice(FILLER)
        else:
            day = (published - timedelta(days=rng.randrange(0, 4))).strftime("%B %-d")
            opener = rng.choice(OPENERS).format(day=day, place=rng.choice(PLACES))
            source, target = rng.sample(cast, 2) if len(cast) > 1 else (cast[0], cast[0])
            clause = f"{source} {rng.choice(VERBS)} {target} in {rng.choice(PLACES)}"
            sentence = f"{opener} {clause}.".strip()
            sentence = sentence[0].upper() + sentence[1:]
        sentences.append(sentence)
        count += len(sentence.split())
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    source, target = cast[0], cast[1 % len(cast)]
    return {
        "title": f"{source} and {target}: report {n}",
        "published": published.isoformat(),
        "url": f"https://news.example.org/{published:%Y/%m}/{n:06d}",
        "text": "\n\n".join(paragraphs),
    }


def documents(count: int, seed: int = 7, words: int = 500) -> Iterator[dict]:
    rng = random.Random(seed)
    for n in range(count):
        yield document(rng, n, words)


def write_jsonl(path: Path, count: int, seed: int = 7, words: int = 500) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        for record in documents(count, seed, words):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def write_pages(path: Path, count: int, seed: int = 7, words: int = 500) -> Path:
    """The documents of `write_jsonl` as web pages in the folder `path` (a paragraph a
    `<p>`, inside a page's head and navigation), their title, date and URL in its
    metadata.jsonl, so the same documents with the same IRIs."""
    path.mkdir(parents=True, exist_ok=True)
    with open(path / "metadata.jsonl", "w", encoding="utf-8") as meta:
        for n, record in enumerate(documents(count, seed, words)):
            name = f"{n:06d}.html"
            body = "".join(f"<p>{html.escape(p)}</p>\n" for p in record.pop("text").split("\n\n"))
            (path / name).write_text(
                f"<!doctype html><html><head><title>{html.escape(record['title'])}</title>"
                '<meta charset="utf-8"></head><body><nav><a href="/">Home</a> | World</nav>'
                f"<article>\n{body}</article>"
                "<footer>Example News</footer></body></html>",
                encoding="utf-8",
            )
            meta.write(json.dumps({"file": name, **record}, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--words", type=int, default=500)
    args = parser.parse_args()
    write_jsonl(args.out, args.documents, args.seed, args.words)


if __name__ == "__main__":
    main()
