"""`evkg cluster`: how to start a Dask scheduler and workers for `evkg ingest --cluster`;
with `--check`, which workers a running scheduler has and whether they can extract."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingest.settings import env_name, get_settings

# Settings a worker must share with the client: they make the extractor version.
SHARED = ("coder", "spacy_model", "ontology_dir")
SHARED_ENV = tuple(env_name(name) for name in SHARED)
MEMORY = "~400 MB"  # the extractor loaded takes ~240 MB, Dask the rest


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "cluster",
        help="how to start a Dask scheduler and workers for `evkg ingest --cluster`",
        description=(
            "Print the commands that start a Dask scheduler and workers for this evkg, and "
            "the environment the workers need. With --check, list the workers of a running "
            "scheduler and their extractor version."
        ),
    )
    parser.add_argument(
        "--check",
        metavar="ADDRESS",
        nargs="?",
        const="",
        help="scheduler to ask (default: $EVKG_DASK_SCHEDULER)",
    )
    parser.set_defaults(func=run)


def instructions() -> str:
    from ingest.rdf import extractor_version

    bin_dir = Path(sys.executable).parent
    dask = bin_dir / "dask"
    evkg = bin_dir / "evkg"
    settings = get_settings()
    env = {env_name(n): str(v) for n in SHARED if (v := getattr(settings, n)) is not None}
    env_line = " ".join(f"{k}={v}" for k, v in env.items())
    return f"""\
evkg on a Dask cluster (extractor version {extractor_version()})

1. A scheduler, on one machine (workers and clients connect to its port 8786):

     {dask} scheduler --host 0.0.0.0 --port 8786

2. Workers, on each machine that extracts, with this evkg installed (the same version,
   vocabularies, dictionaries and spaCy model): one process a core, one thread each
   (extraction holds Python's lock), {MEMORY} of memory a process:

     {env_line} {dask} worker tcp://SCHEDULER:8786 --nworkers $(nproc) --nthreads 1

   Every worker needs the client's {", ".join(SHARED_ENV)} (here: {env_line}):
   a worker whose extractor version differs is refused when an ingestion starts.
   With a remote store the workers write into it themselves: they must reach its URL,
   with EVKG_STORE_USER and EVKG_STORE_PASSWORD in their environment if it needs them.
   When they see the client's files (shared storage, same paths) they read them, else
   the client ships the texts.

3. Ingest from any machine that reaches the scheduler:

     {evkg} ingest --cluster tcp://SCHEDULER:8786 --store oxigraph-server:http://STORE:7878 PATH...

   (or set EVKG_DASK_SCHEDULER=tcp://SCHEDULER:8786). With the embedded store
   (oxigraph:PATH) this process writes what the workers extract.

   {evkg} cluster --check tcp://SCHEDULER:8786   lists the workers and their versions.
"""


def check(address: str) -> int:
    from distributed import Client

    from ingest.rdf import extractor_version

    try:
        client = Client(address, timeout=30, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        print(f"evkg cluster: cannot reach the scheduler at {address}: {exc}", file=sys.stderr)
        return 2
    with client:
        try:
            versions = client.run(_worker_version)
        except Exception as exc:  # noqa: BLE001 - a worker without evkg, for one
            print(f"evkg cluster: the workers cannot run evkg: {exc!r}", file=sys.stderr)
            return 1
        threads = client.nthreads()
    mine = extractor_version()
    print(f"scheduler {address}: {len(versions)} workers, {sum(threads.values())} threads")
    bad = 0
    for worker, version in sorted(versions.items()):
        same = version == mine
        bad += not same
        mark = "ok" if same else f"differs from this client's {mine}"
        print(f"  {worker}  threads {threads.get(worker, 0)}  extractor {version}  {mark}")
    if not versions:
        print("evkg cluster: no workers", file=sys.stderr)
        return 1
    return 1 if bad else 0


def _worker_version() -> str:
    from ingest.rdf import extractor_version

    return extractor_version()


def run(args: argparse.Namespace) -> int:
    if args.check is None:
        print(instructions(), end="")
        return 0
    address = args.check or get_settings().dask_scheduler
    if not address:
        print("evkg cluster: --check needs ADDRESS or EVKG_DASK_SCHEDULER", file=sys.stderr)
        return 2
    return check(address)
