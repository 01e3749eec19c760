"""Extraction, the rule coder beside the parse coder: speed on one core, memory, ingestion.

Extraction alone (the default): generated ~500-word articles (bench/corpus.py) and the seed
documents (seeds/), extracted in this one process after a warm-up, with each coder in turn
(`ingest.extract.extract(doc, coder=...)`), several passes whose order alternates. Speeds
are per CPU-second of this process (`time.process_time`), that is per core: on a shared
machine the wall clock also counts the time other work held the core (both are printed).
Then one instrumented pass per coder tells where the time goes (stages timed with
`time.perf_counter` by wrappers put around the names `ingest.extract` calls; the parse is
the components `ingest.parser.parse_many` runs, timed one sentence at a time), with the
share of sentences the parse coder parses; and a fresh process per coder reports its memory (its
own `VmHWM`: `ru_maxrss` is carried over `exec` from the parent, so it is printed too but
not used).

    python bench/bench_extract.py --documents 200 --passes 4

Ingestion (`--ingest N`): `evkg ingest -j 2` of N generated articles (JSON Lines) into a
temporary embedded store, with EVKG_CODER=rules and EVKG_CODER=parse alternately, for
`--rounds` rounds; documents/s as evkg reports them, the command's wall time, CPU a
document (all its processes, sampled from /proc) and each process's peak memory (`VmHWM`,
sampled from /proc while it runs).

    python bench/bench_extract.py --ingest 1000 --rounds 2
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import documents, write_jsonl  # noqa: E402
from procs import descendants, stat_fields  # noqa: E402

from ingest.extract import extract  # noqa: E402
from ingest.model import SourceDocument  # noqa: E402
from ingest.readers import read_paths  # noqa: E402
from ingest.text import layout, nlp  # noqa: E402

# The module, not the function `ingest` exports under the same name.
extract_module = sys.modules["ingest.extract"]

CODERS = ("rules", "parse")
WARM_UP = SourceDocument(text="Iran warned the United States.", file="warm-up")


# -- the corpora --------------------------------------------------------------------------


def generated(count: int, words: int) -> list[SourceDocument]:
    return [
        SourceDocument(
            text=record["text"],
            url=record["url"],
            title=record["title"],
            published=date.fromisoformat(record["published"]),
        )
        for record in documents(count, words=words)
    ]


def seeds() -> list[SourceDocument]:
    return [d for d in read_paths([ROOT / "seeds"]) if isinstance(d, SourceDocument)]


def measure_text(docs: list[SourceDocument]) -> tuple[int, int]:
    """Words (whitespace-separated, the whole text) and sentences (those the extractor
    reads: the article's prose paragraphs, split as `extract` splits them)."""
    words = sum(len(d.text.split()) for d in docs)
    sentences = 0
    for doc in docs:
        paragraphs = layout(doc.text).paragraphs
        for parsed in nlp().pipe(p.text for p in paragraphs):
            sentences += sum(1 for _ in parsed.sents)
    return words, sentences


# -- speed --------------------------------------------------------------------------------


def one_pass(docs: list[SourceDocument], coder: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, events) of extracting every document once."""
    wall, cpu = time.perf_counter(), time.process_time()
    events = sum(len(extract(doc, coder=coder).events) for doc in docs)
    return time.perf_counter() - wall, time.process_time() - cpu, events


def speed(sets: dict[str, list[SourceDocument]], passes: int) -> dict:
    """Every set with each coder, `passes` times; the coders' order flips every pass."""
    runs: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for n in range(passes):
        order = CODERS if n % 2 == 0 else CODERS[::-1]
        for coder in order:
            for name, docs in sets.items():
                runs[name, coder].append(one_pass(docs, coder))
                wall, cpu, events = runs[name, coder][-1]
                print(
                    f"  pass {n + 1} {coder:5} {name:9} {cpu:7.2f} s CPU {wall:7.2f} s wall "
                    f"{events} events; load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
    return runs


# -- where the time goes ------------------------------------------------------------------


class Stages:
    """Seconds (perf_counter) per stage, summed over a pass."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def timed(self, stage: str, function: Callable) -> Callable:
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - started
                self.calls[stage] += 1

        return wrapper

    def timed_iter(self, stage: str, items: Iterator) -> Iterator:
        """Time each step of a lazy iterator (spaCy's `pipe` works batch by batch)."""
        while True:
            started = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                self.seconds[stage] += time.perf_counter() - started
                return
            self.seconds[stage] += time.perf_counter() - started
            self.calls[stage] += 1
            yield item


class Proxy:
    """An object whose method `method` is timed; every other attribute is the object's."""

    def __init__(self, target: object, method: str, stage: str, stages: Stages) -> None:
        self._target = target
        setattr(self, method, stages.timed(stage, getattr(target, method)))

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._target, name)


class Instrumented:
    """Wrap the stages `ingest.extract.extract` calls by name; restore them on exit. The
    parse is `ingest.parser.parse_many`'s components, timed one sentence at a time, and its
    sentences kept (their words and spaces) to time the same parse in batches after."""

    NAMES = (
        "layout",
        "nlp",
        "linker",
        "place_finder",
        "DateContext",
        "parse_many",
        "code_parsed",
        "code_sentence",
    )

    def __init__(self) -> None:
        self.stages = Stages()
        self.parsed: list[tuple[list[str], list[bool]]] = []
        self._saved: dict[str, object] = {}

    def __enter__(self) -> Instrumented:
        m, s = extract_module, self.stages
        self._saved = {name: getattr(m, name) for name in self.NAMES}
        saved = self._saved
        language, actor_linker, places = saved["nlp"](), saved["linker"](), saved["place_finder"]()

        class Language:
            def pipe(self, texts):  # type: ignore[no-untyped-def]
                return s.timed_iter("tokenise, split sentences", language.pipe(texts))

        timed_language = Language()
        timed_linker = Proxy(actor_linker, "find", "link actors", s)
        timed_places = Proxy(places, "find", "find places", s)
        m.layout = s.timed("layout", saved["layout"])
        m.nlp = lambda: timed_language
        m.linker = lambda: timed_linker
        m.place_finder = lambda: timed_places
        dates = saved["DateContext"]
        m.DateContext = lambda published: Proxy(dates(published), "sentence", "dates", s)
        m.parse_many = self._parse_many
        m.code_parsed = s.timed("code (coding.code_parsed)", saved["code_parsed"])
        m.code_sentence = s.timed("code (rules.code_sentence)", saved["code_sentence"])
        return self

    def __exit__(self, *exc: object) -> None:
        for name, value in self._saved.items():
            setattr(extract_module, name, value)

    def _parse_many(self, sents):  # type: ignore[no-untyped-def]
        """`ingest.parser.parse_many`, one sentence and one component at a time (the same
        Docs as the batch makes), so each component's share shows."""
        from spacy.tokens import Doc

        from ingest.parser import model

        s = self.stages
        language = model()
        docs = []
        for sent in sents:
            started = time.perf_counter()
            words = [t.text for t in sent]
            spaces = [bool(t.whitespace_) for t in sent]
            doc = Doc(language.vocab, words=words, spaces=spaces)
            s.seconds["parse: make the Doc"] += time.perf_counter() - started
            s.calls["parse: make the Doc"] += 1
            for name, component in language.pipeline:
                started = time.perf_counter()
                doc = component(doc)
                s.seconds[f"parse: {name}"] += time.perf_counter() - started
            self.parsed.append((words, spaces))
            docs.append(doc)
        return docs


def events_of(docs: list[SourceDocument], coder: str) -> list[tuple]:
    return [
        (e.code, e.trigger.start, e.source and e.source.iri, e.target and e.target.iri)
        for doc in docs
        for e in extract(doc, coder=coder).events
    ]


def breakdown(docs: list[SourceDocument], coder: str) -> dict:
    """One instrumented pass: seconds per stage, sentences linked and parsed, and (parse
    coder) the same sentences parsed in batches by `model().pipe` for reference."""
    plain = events_of(docs, coder)
    with Instrumented() as probe:
        wall, cpu = time.perf_counter(), time.process_time()
        timed = events_of(docs, coder)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if timed != plain:
        raise SystemExit(f"{coder}: the instrumented pass coded other events than the plain one")
    out = {
        "wall": wall,
        "cpu": cpu,
        "seconds": dict(probe.stages.seconds),
        "sentences": probe.stages.calls["link actors"],
        "parsed": probe.stages.calls["parse: make the Doc"],
        "parsed_tokens": sum(len(w) for w, _ in probe.parsed),
    }
    if probe.parsed:
        from spacy.tokens import Doc

        from ingest.parser import model

        language = model()
        batch = [Doc(language.vocab, words=w, spaces=s) for w, s in probe.parsed]
        started = time.perf_counter()
        for _ in language.pipe(batch):
            pass
        out["batched_parse"] = time.perf_counter() - started
    return out


# -- memory -------------------------------------------------------------------------------


def status_kb(pid: int | str = "self") -> dict[str, int]:
    out = {}
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    return out


def rss_child(coder: str, count: int, words: int) -> None:
    """In a fresh process: memory once imported, once the coder is loaded (a warm-up
    document), and at its peak after extracting `count` generated documents and the seeds."""
    imported = status_kb()["VmRSS"]
    extract(WARM_UP, coder=coder)
    gc.freeze()  # as the ingestion workers do
    loaded = status_kb()["VmRSS"]
    for doc in generated(count, words) + seeds():
        extract(doc, coder=coder)
    final = status_kb()
    print(
        json.dumps(
            {
                "coder": coder,
                "imported_mb": imported / 1024,
                "loaded_mb": loaded / 1024,
                "rss_mb": final["VmRSS"] / 1024,
                "peak_mb": final["VmHWM"] / 1024,
                "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def memory(rounds: int, count: int, words: int) -> list[dict]:
    out = []
    for n in range(rounds):
        for coder in CODERS if n % 2 == 0 else CODERS[::-1]:
            command = [sys.executable, __file__, "--rss-child", coder]
            command += ["--memory-documents", str(count), "--words", str(words)]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            out.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"  memory {coder}: {out[-1]}", flush=True)
    return out


# -- ingestion ----------------------------------------------------------------------------


def process_table() -> dict[int, tuple[int, float, str]]:
    """pid -> (parent, CPU seconds, command line) of every process."""
    ticks = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid, fields in stat_fields().items():
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        out[pid] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks, cmdline)
    return out


def watch(process: subprocess.Popen, interval: float) -> dict:
    """Sample the process tree until `process` ends: each process's role, peak memory
    (VmHWM) and last CPU time."""
    roles: dict[int, str] = {}
    peaks: dict[int, float] = {}
    cpu: dict[int, float] = {}
    while process.poll() is None:
        table = process_table()
        tree = descendants(process.pid, {pid: parent for pid, (parent, _, _) in table.items()})
        for pid in tree:
            parent, seconds, cmdline = table.get(pid, (0, 0.0, ""))
            if pid not in roles:
                if pid == process.pid:
                    roles[pid] = "writer"
                elif "forkserver" in cmdline and parent == process.pid:
                    roles[pid] = "forkserver"
                elif "resource_tracker" in cmdline:
                    roles[pid] = "tracker"
                elif roles.get(parent) == "forkserver":
                    roles[pid] = "worker"
                else:
                    roles[pid] = "other"
            with contextlib.suppress(OSError, KeyError):  # ended meanwhile
                peaks[pid] = max(peaks.get(pid, 0.0), status_kb(pid)["VmHWM"] / 1024)
            cpu[pid] = max(cpu.get(pid, 0.0), seconds)
        time.sleep(interval)
    return {"roles": roles, "peaks": peaks, "cpu": cpu}


def evkg_command() -> list[str]:
    """`evkg`, run from the tree this script is in (PYTHONPATH set by the caller)."""
    return [sys.executable, "-m", "app.cli"]


def read_lines(stream, lines: list[tuple[float, str]]) -> None:  # type: ignore[no-untyped-def]
    for line in stream:
        lines.append((time.perf_counter(), line))


def ingestion(
    count: int, words: int, rounds: int, jobs: int, interval: float, batch: int
) -> list[dict]:
    """`evkg ingest -v` (a line per document, printed once its batch is written) with each
    coder in turn. Besides evkg's own documents/s, which count the workers' start (loading
    vocabularies and, for the parse coder, the model), the rate from the end of the first
    batch's write to the end of the last: the workers were already running."""
    out = []
    with tempfile.TemporaryDirectory(prefix="evkg-bench-") as tmp:
        corpus = write_jsonl(Path(tmp) / "corpus.jsonl", count, words=words)
        for n in range(rounds):
            for coder in CODERS if n % 2 == 0 else CODERS[::-1]:
                store = Path(tmp) / f"store-{coder}-{n}"
                command = evkg_command() + ["ingest", str(corpus), "-j", str(jobs), "-v"]
                command += ["--batch-size", str(batch), "--store", f"oxigraph:{store}"]
                path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
                env = dict(os.environ, EVKG_CODER=coder, PYTHONPATH=path)
                load = os.getloadavg()[0]
                started = time.perf_counter()
                process = subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                lines: list[tuple[float, str]] = []
                reader = threading.Thread(target=read_lines, args=(process.stdout, lines))
                reader.start()
                seen = watch(process, interval)
                reader.join()
                stderr = process.stderr.read() if process.stderr else ""
                process.wait()
                wall = time.perf_counter() - started
                stdout = "".join(line for _, line in lines)
                if process.returncode != 0:
                    raise SystemExit(f"{' '.join(command)} failed:\n{stdout}\n{stderr}")
                done = [t for t, line in lines if line.startswith("new ")]
                rate = re.search(r"\(([\d.]+) documents/s\)", stdout)
                roles, peaks, cpu = seen["roles"], seen["peaks"], seen["cpu"]
                workers = [p for p, r in roles.items() if r == "worker"]
                result = {
                    "coder": coder,
                    "round": n + 1,
                    "new": len(done),
                    "docs_per_s": float(rate.group(1)) if rate else 0.0,
                    "after_first_batch": (len(done) - batch) / (done[-1] - done[batch - 1])
                    if len(done) > batch
                    else 0.0,
                    "first_batch_s": done[batch - 1] - started if len(done) >= batch else 0.0,
                    "wall": wall,
                    "events": int(re.search(r"events: (\d+)", stdout).group(1)),
                    "cpu_ms_per_doc": 1000 * sum(cpu.values()) / count,
                    "workers_cpu_ms_per_doc": 1000 * sum(cpu[p] for p in workers) / count,
                    "workers_mb": sorted(peaks.get(p, 0.0) for p in workers),
                    "writer_mb": max(
                        (peaks[p] for p, r in roles.items() if r == "writer"), default=0.0
                    ),
                    "load": (load, os.getloadavg()[0]),
                }
                out.append(result)
                print(f"  ingest {json.dumps(result)}", flush=True)
                shutil.rmtree(store, ignore_errors=True)
    return out


# -- report -------------------------------------------------------------------------------


def fmt_range(values: list[float], digits: int = 0) -> str:
    return f"{min(values):,.{digits}f}-{max(values):,.{digits}f}"


def report_speed(sets: dict, counts: dict, runs: dict) -> None:
    print("\nExtraction alone, one process; per core = per CPU-second (best, range):")
    print(
        "| corpus | coder | sentences/s a core | words/s a core | documents/s a core "
        "| wall: sentences/s | events |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, docs in sets.items():
        words, sentences = counts[name]
        best: dict[str, float] = {}
        for coder in CODERS:
            cpus = [cpu for _, cpu, _ in runs[name, coder]]
            walls = [wall for wall, _, _ in runs[name, coder]]
            best[coder] = min(cpus)
            per_sentence = fmt_range([sentences / c for c in cpus])
            print(
                f"| {name} ({len(docs)} documents, {sentences:,} sentences, {words:,} words) "
                f"| {coder} | {sentences / min(cpus):,.0f} ({per_sentence}) "
                f"| {words / min(cpus):,.0f} ({fmt_range([words / c for c in cpus])}) "
                f"| {len(docs) / min(cpus):,.1f} "
                f"| {sentences / min(walls):,.0f} ({fmt_range([sentences / w for w in walls])}) "
                f"| {runs[name, coder][0][2]:,} |"
            )
        print(f"| {name} | rules / parse | {best['parse'] / best['rules']:.1f}x | | | | |")


def report_breakdown(name: str, coder: str, result: dict, docs: int) -> None:
    total = result["wall"]
    sentences, parsed = result["sentences"], result["parsed"]
    share = f"; parsed {parsed:,} of {sentences:,} sentences ({100 * parsed / sentences:.0f}%)"
    print(
        f"\nWhere the time goes: {coder} coder, {name}, one instrumented pass "
        f"({total:.2f} s wall, {result['cpu']:.2f} s CPU, {1000 * total / docs:.1f} ms "
        f"a document{share if coder == 'parse' else ''})"
    )
    print("| stage | ms a document | share |")
    print("| --- | --- | --- |")
    stages = dict(result["seconds"])
    stages["other (the loop, events, wrappers)"] = total - sum(stages.values())
    for stage, seconds in stages.items():
        print(f"| {stage} | {1000 * seconds / docs:.2f} | {100 * seconds / total:.1f}% |")
    if parsed:
        one_by_one = sum(v for k, v in result["seconds"].items() if k.startswith("parse:"))
        print(
            f"parse: {1000 * one_by_one / parsed:.2f} ms a sentence one by one "
            f"({result['parsed_tokens'] / parsed:.1f} tokens); the same sentences in batches "
            f"(model().pipe): {1000 * result['batched_parse'] / parsed:.2f} ms a sentence"
        )


def report_memory(results: list[dict]) -> None:
    print("\nMemory of a process that loaded a coder (MB; range over its processes):")
    print("| coder | imported | loaded (warm-up) | peak (VmHWM) | ru_maxrss |")
    print("| --- | --- | --- | --- | --- |")
    for coder in CODERS:
        mine = [r for r in results if r["coder"] == coder]
        if not mine:
            continue
        cells = [
            fmt_range([r[key] for r in mine])
            for key in ("imported_mb", "loaded_mb", "peak_mb", "ru_maxrss_mb")
        ]
        print(f"| {coder} | {' | '.join(cells)} |")


def report_ingestion(results: list[dict], count: int, jobs: int) -> None:
    print(f"\nIngestion, {count:,} documents, {jobs} processes (MB are peaks, VmHWM):")
    print(
        "| round | coder | documents/s (evkg) | after the first batch | first batch written "
        "| wall s | CPU a document (workers) | events | workers MB | writer MB | load |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        workers = " / ".join(f"{mb:.0f}" for mb in r["workers_mb"])
        print(
            f"| {r['round']} | {r['coder']} | {r['docs_per_s']:.1f} "
            f"| {r['after_first_batch']:.1f} | {r['first_batch_s']:.0f} s | {r['wall']:.0f} "
            f"| {r['cpu_ms_per_doc']:.0f} ms ({r['workers_cpu_ms_per_doc']:.0f}) "
            f"| {r['events']:,} | {workers} | {r['writer_mb']:.0f} "
            f"| {r['load'][0]:.1f}-{r['load'][1]:.1f} |"
        )
    for n in sorted({r["round"] for r in results}):
        pair = {r["coder"]: r for r in results if r["round"] == n}
        if len(pair) == 2:
            rules, parse = pair["rules"], pair["parse"]
            print(
                f"round {n}: rules / parse = {rules['docs_per_s'] / parse['docs_per_s']:.1f}x "
                f"documents/s (evkg), "
                f"{rules['after_first_batch'] / max(parse['after_first_batch'], 1e-9):.1f}x "
                "after the first batch"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200, help="generated documents")
    parser.add_argument("--words", type=int, default=500, help="words a generated document")
    parser.add_argument("--passes", type=int, default=4, help="timed passes per coder")
    parser.add_argument(
        "--seed-repeats", type=int, default=10, help="the seeds are read this many times a pass"
    )
    parser.add_argument(
        "--memory-documents", type=int, default=50, help="documents a memory process extracts"
    )
    parser.add_argument("--memory-rounds", type=int, default=2)
    parser.add_argument("--ingest", type=int, metavar="N", help="time `evkg ingest` instead")
    parser.add_argument("--rounds", type=int, default=2, help="ingestion rounds")
    parser.add_argument("--jobs", type=int, default=2, help="ingestion processes")
    parser.add_argument("--batch-size", type=int, default=256, help="documents a store write")
    parser.add_argument("--interval", type=float, default=0.25, help="/proc sampling, seconds")
    parser.add_argument("--rss-child", choices=CODERS, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.rss_child:
        rss_child(args.rss_child, args.memory_documents, args.words)
        return
    print(f"load average at the start: {os.getloadavg()}", flush=True)
    if args.ingest:
        results = ingestion(
            args.ingest, args.words, args.rounds, args.jobs, args.interval, args.batch_size
        )
        report_ingestion(results, args.ingest, args.jobs)
        print(f"load average at the end: {os.getloadavg()}")
        return

    # Memory first, while this process is small (the children's figures are their own).
    mem = memory(args.memory_rounds, args.memory_documents, args.words)
    sets = {
        "generated": generated(args.documents, args.words),
        "seeds": seeds() * args.seed_repeats,
    }
    counts = {name: measure_text(docs) for name, docs in sets.items()}
    for coder in CODERS:
        extract(WARM_UP, coder=coder)
    gc.freeze()  # as the ingestion workers do after their warm-up
    runs = speed(sets, args.passes)
    details = {
        (name, coder): breakdown(docs, coder) for coder in CODERS for name, docs in sets.items()
    }
    report_speed(sets, counts, runs)
    for (name, coder), result in details.items():
        report_breakdown(name, coder, result, len(sets[name]))
    report_memory(mem)
    print(f"\nload average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
