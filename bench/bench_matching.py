"""Matching alone: the time `HappeningIndex.refresh` takes over an ingestion's batches,
without the extraction around it. The documents are extracted once (happenings off), each
batch's reports kept as the writer gets them; then every batch is replayed into an empty
store, as the writer clusters them after writing, and the replay is timed: in all, in the
store's updates and in Python's cyclic garbage collections.

    EVKG_CODER=rules python bench/bench_matching.py --documents 3000
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import write_jsonl  # noqa: E402

from graph.happening_store import HappeningIndex, InHand  # noqa: E402
from graph.happenings import Gazetteer  # noqa: E402
from graph.store import OxigraphStore  # noqa: E402
from ingest.pipeline import BATCH_SIZE, Extracted, Ingestor  # noqa: E402
from ingest.readers import read_paths  # noqa: E402


class TimedStore:
    """The store, with the time its updates took."""

    def __init__(self, store: OxigraphStore) -> None:
        self.store = store
        self.update_seconds = 0.0

    def select(self, sparql: str) -> list[dict]:
        return self.store.select(sparql)

    def update(self, sparql: str) -> None:
        started = time.perf_counter()
        self.store.update(sparql)
        self.update_seconds += time.perf_counter() - started


def extracted_batches(corpus: Path, jobs: int, batch_size: int) -> list[dict[str, InHand]]:
    batches: list[dict[str, InHand]] = []

    def keep(written: list[Extracted]) -> None:
        batches.append({i.graph.iri: i.in_hand for i in written if i.graph and i.in_hand})

    store = OxigraphStore(None)
    Ingestor(store, jobs=jobs, batch_size=batch_size, happenings=False, on_written=keep).run(
        read_paths([corpus])
    )
    store.close()
    return batches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2, help="extraction processes")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_jsonl(Path(tmp) / "corpus.jsonl", args.documents, words=args.words)
        batches = extracted_batches(corpus, args.jobs, args.batch_size)

    collecting = [0.0, 0.0]  # seconds in collections, start of the current one

    def on_collection(phase: str, _info: dict) -> None:
        if phase == "start":
            collecting[1] = time.perf_counter()
        else:
            collecting[0] += time.perf_counter() - collecting[1]

    store = TimedStore(OxigraphStore(None))
    index = HappeningIndex(Gazetteer())
    gc.callbacks.append(on_collection)
    started = time.perf_counter()
    for batch in batches:
        index.refresh(store, batch, batch)
    seconds = time.perf_counter() - started
    gc.callbacks.remove(on_collection)
    print(
        f"{args.documents} documents in {len(batches)} batches: {len(index.reports)} reports "
        f"in {len(index.members)} happenings; matching {seconds:.2f} s "
        f"({1000 * seconds / args.documents:.2f} ms a document), of which store updates "
        f"{store.update_seconds:.2f} s, garbage collections {collecting[0]:.2f} s"
    )


if __name__ == "__main__":
    main()
