"""The default store: Oxigraph on disk, queried by its own SPARQL engine in this process.

Oxigraph (RocksDB) is owned by one process at a time: the API server and a CLI command
cannot both open the same directory. A document is either fully in or fully out, even if
the process is killed mid-write:

- an ordinary write is one Oxigraph transaction;
- a bulk write (`put_documents(..., bulk=True)`, used by bulk ingestion) loads new graphs
  with Oxigraph's bulk loader, which is 2-3x faster and keeps memory flat where a
  transaction of the same size grows by about 0.5 MB per document, but is not atomic. So
  it first lists the graphs it is about to write in a journal file in the store's folder
  (`JOURNAL`, replaced atomically), and deletes the file when they are all in. Opening the
  store drops every graph the journal lists: the leftovers of a killed bulk write.

The journal is a file, not a record in the store: a transaction before each bulk load
makes RocksDB flush its memtable into the files the load then overlaps, which cost about
7% of the writer's CPU.

A SPARQL update is run by a worker process on a checkpoint of the store, which then becomes
the store (`adopt`), so the engine never runs an update in the server's process. The
folders are swapped by two renames; opening the store finishes or undoes a swap that a
kill cut short (`REPLACED`).
"""

from __future__ import annotations

import io
import os
import shutil
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from graph.sparql import (
    CONTENT_HASH,
    GRAPH_MEDIA,
    RESULT_MEDIA,
    QuerySyntaxError,
    UpdateFailed,
    check_iri,
    query_form,
    result_media,
    select_rows,
)
from graph.store.base import (
    DocumentGraph,
    GraphStore,
    PutStatus,
    QueryResult,
    StoreBusyError,
    StoreError,
)
from graph.store.gate import Gate, gated
from graph.store.loading import parse_for_graph
from graph.store.union import union_triples
from ontology.namespaces import EVKG, EXPORT_PREFIXES, GRAPH, PREFIXES

_HASH = ox.NamedNode(CONTENT_HASH)
JOURNAL = "evkg-pending-writes"  # in the store's folder: one graph IRI a line
JOURNAL_DRAFT = f"{JOURNAL}.draft"  # the next journal while it is written
REPLACED = ".replaced"  # the store's folder while an updated copy takes its place
# Where earlier versions recorded pending graphs, inside the store; still read on opening.
PENDING_GRAPH = f"{GRAPH}pending-writes"
_PENDING_GRAPH = ox.NamedNode(PENDING_GRAPH)
_PENDING = ox.NamedNode(f"{EVKG}pendingWrite")


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """The value of an object evkg wrote itself: an IRI or a literal, never a quoted triple."""
    if isinstance(term, ox.Triple):
        raise StoreError(f"unexpected quoted triple {term} in evkg's own records")
    return term.value


class OxigraphStore(GraphStore):
    """Embedded Oxigraph; `path=None` keeps everything in memory."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            else:
                _finish_swap(self.path)
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreBusyError(
                    f"the store at {self.path} is open in another process (the embedded "
                    "Oxigraph store is single-process: stop the API server or the other "
                    "command, or use a remote store with EVKG_STORE=sparql:...)"
                ) from exc
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc
        self._write_lock = threading.Lock()
        self.gate = Gate()  # the engine's uses against a swap of its folder (`adopt`)
        # An in-memory store does not outlive its process: it needs no journal.
        self._journal = self.path / JOURNAL if self.path is not None else None
        self.recovered = self._drop_unfinished_writes()

    def _drop_unfinished_writes(self) -> list[str]:
        """Remove the graphs of a bulk write that was killed before it finished."""
        pending = self._journal_entries()
        records = self._store.quads_for_pattern(_PENDING_GRAPH, _PENDING, None, _PENDING_GRAPH)
        pending += [v for v in (_value(quad.object) for quad in records) if v not in pending]
        if pending or self._store.contains_named_graph(_PENDING_GRAPH):
            self._drop_graphs(pending)
        self._clear_journal()  # also one naming nothing valid, or a draft a kill cut short
        return pending

    def _drop_graphs(self, iris: Iterable[str]) -> None:
        """Drop these graphs, and any record of them an earlier version kept, in one update."""
        drops = " ".join(f"DROP SILENT GRAPH <{check_iri(iri)}> ;" for iri in iris)
        self._store.update(f"{drops} DROP SILENT GRAPH <{PENDING_GRAPH}>")

    def _journal_entries(self) -> list[str]:
        """The graph IRIs the journal lists (it is renamed into place whole, so it names every
        graph of its batch; a line that is no IRI is skipped)."""
        if self._journal is None or not self._journal.exists():
            return []
        lines = self._journal.read_text("utf-8", errors="replace").splitlines()
        entries = []
        for line in dict.fromkeys(lines):
            try:
                entries.append(check_iri(line))
            except ValueError:
                continue
        return entries

    def _write_journal(self, iris: Iterable[str]) -> None:
        """List `iris` as pending, durably and all at once (write aside, then rename)."""
        if self._journal is None:
            return
        draft = self._journal.with_name(JOURNAL_DRAFT)
        with open(draft, "w", encoding="utf-8") as handle:
            handle.writelines(f"{iri}\n" for iri in iris)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(draft, self._journal)
        _fsync_folder(self._journal.parent)

    def _clear_journal(self) -> None:
        if self._journal is not None:
            self._journal.unlink(missing_ok=True)
            self._journal.with_name(JOURNAL_DRAFT).unlink(missing_ok=True)

    def __repr__(self) -> str:
        return f"OxigraphStore({str(self.path) if self.path else ':memory:'})"

    # -- documents ---------------------------------------------------------------------

    @gated
    def content_hashes(self, iris: Iterable[str]) -> dict[str, str]:
        """The stored evkg:contentHash of each graph that exists (missing ones are left out)."""
        out = {}
        for iri in iris:
            node = ox.NamedNode(check_iri(iri))
            for quad in self._store.quads_for_pattern(node, _HASH, None, node):
                out[iri] = _value(quad.object)
                break
        return out

    @gated
    def put_documents(
        self, docs: Sequence[DocumentGraph], *, bulk: bool = False
    ) -> list[PutStatus]:
        """Write a batch: new graphs added, changed graphs replaced, each all or nothing.

        Without `bulk` the whole batch is one transaction (readers see all of it or none);
        with it, new graphs go through the bulk loader (see the module's docstring).
        """
        with self._write_lock:
            stored = self.content_hashes(d.iri for d in docs)
            statuses: list[PutStatus] = []
            seen: dict[str, str] = {}
            changed: list[DocumentGraph] = []
            for doc in docs:
                before = seen.get(doc.iri, stored.get(doc.iri))
                if before == doc.content_hash:
                    statuses.append("unchanged")
                    continue
                statuses.append("new" if before is None else "replaced")
                seen[doc.iri] = doc.content_hash
                changed.append(doc)
            if not changed:
                return statuses
            latest = {d.iri: d for d in changed}  # the last version of an IRI in the batch wins
            fresh = [d for d in latest.values() if d.iri not in stored]
            replaced = [d for d in latest.values() if d.iri in stored]
            try:
                if fresh and bulk:
                    self._bulk_insert(fresh)
                elif fresh:  # one transaction; quads go in directly, no SPARQL text to parse
                    self._store.extend(_quads(fresh))
                if replaced:  # dropping and re-inserting in one update is atomic
                    self._store.update(_replace_update(replaced))
            except SyntaxError as exc:
                raise StoreError(f"invalid RDF in batch: {exc}") from exc
            except OSError as exc:
                raise StoreError(f"write failed: {exc}") from exc
            return statuses

    def _bulk_insert(self, docs: Sequence[DocumentGraph]) -> None:
        """Journal the graphs about to be written, bulk-load them, then clear the journal."""
        data = b"".join(d.as_nquads() for d in docs)
        # Oxigraph wrote canonical N-Quads from terms it checked when they were made (and the
        # graph IRI is checked), so the loader may skip checking every IRI again (~3%).
        lenient = all(d.canonical for d in docs)
        self._write_journal(d.iri for d in docs)
        try:
            self._store.bulk_load(data, ox.RdfFormat.N_QUADS, lenient=lenient)
        except (SyntaxError, OSError):
            self._drop_graphs([d.iri for d in docs])  # whatever part of the batch got in
            self._clear_journal()
            raise
        self._clear_journal()

    @gated
    def remove_graph(self, iri: str) -> bool:
        """Drop a named graph; False if there was none."""
        node = ox.NamedNode(check_iri(iri))
        with self._write_lock:
            if not self._store.contains_named_graph(node):
                return False
            self._store.update(f"DROP GRAPH <{iri}>")
            return True

    @gated
    def load(
        self, source: str | Path | bytes, graph_iri: str, format: str | None = None
    ) -> PutStatus:
        """Load an RDF file into one named graph, replacing what it held before."""
        return self.put_documents([parse_for_graph(source, graph_iri, format)])[0]

    @gated
    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    @gated
    def graph_size(self, iri: str) -> int:
        node = ox.NamedNode(check_iri(iri))
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, node))

    def document_graphs(self) -> Iterator[DocumentGraph]:
        """Each named graph as it would be written again, its hash the one it records (its
        IRI when it records none): for copying the store into another one."""
        for iri in self.graphs():
            node = ox.NamedNode(iri)
            with self.gate.use():
                quads = self._store.quads_for_pattern(None, None, None, node)
                triples = [q.triple for q in quads]
            hashes = [
                t.object.value
                for t in triples
                if t.subject == node and t.predicate == _HASH and isinstance(t.object, ox.Literal)
            ]
            yield DocumentGraph.from_triples(iri, hashes[0] if hashes else iri, triples)

    @gated
    def select(self, sparql: str) -> list[dict[str, Any]]:
        """A SELECT as a list of dicts of plain Python values, read whole behind the gate."""
        return select_rows(self.query(sparql))

    # -- SPARQL ------------------------------------------------------------------------

    @gated
    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> QueryResult:
        """Run a query on Oxigraph's engine; the default graph is the union of all graphs."""
        result = self._raw_query(sparql, default_graph_uris, named_graph_uris)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return result

    def _raw_query(
        self,
        sparql: str,
        default_graph_uris: Sequence[str] | None,
        named_graph_uris: Sequence[str] | None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        kwargs: dict[str, Any] = {}
        if default_graph_uris:
            kwargs["default_graph"] = [ox.NamedNode(check_iri(g)) for g in default_graph_uris]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graph_uris:
            kwargs["named_graphs"] = [ox.NamedNode(check_iri(g)) for g in named_graph_uris]
        try:
            result = self._store.query(sparql, prefixes=PREFIXES, **kwargs)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        except OSError as exc:
            raise StoreError(f"query failed: {exc}") from exc
        return result

    @gated
    def query_serialized(
        self,
        sparql: str,
        media_type: str | None = None,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> tuple[Iterator[bytes], str]:
        """Results encoded by Oxigraph itself, in `media_type` (a sensible default if None)."""
        form = query_form(sparql)
        media = result_media(form, media_type)
        result = self._raw_query(sparql, default_graph_uris, named_graph_uris)
        buffer = io.BytesIO()
        if isinstance(result, ox.QueryTriples):  # CONSTRUCT, DESCRIBE
            ox.serialize(result, buffer, GRAPH_MEDIA[media], prefixes=PREFIXES)
        else:
            result.serialize(buffer, RESULT_MEDIA[media])
        data = buffer.getvalue()
        return iter([data[i : i + 65536] for i in range(0, len(data), 65536)] or [b""]), media

    @gated
    def update(self, sparql: str) -> None:
        with self._write_lock:
            try:
                self._store.update(sparql, prefixes=PREFIXES)
            except SyntaxError as exc:
                raise QuerySyntaxError(str(exc)) from exc
            except OSError as exc:
                raise StoreError(f"update failed: {exc}") from exc
            except RuntimeError as exc:  # the engine's refusal; one update is one transaction
                raise UpdateFailed(str(exc)) from exc

    # -- export ------------------------------------------------------------------------

    @gated
    def dump(self, out: IO[bytes], fmt: ox.RdfFormat, graph: str | None = None) -> None:
        """Stream the store (or one graph) to `out`; triple formats get the union of graphs."""
        store = self._store
        if graph is not None:
            node = ox.NamedNode(check_iri(graph))
            if not store.contains_named_graph(node):
                raise StoreError(f"no graph {graph} in the store")
            if fmt.supports_datasets:
                quads = store.quads_for_pattern(None, None, None, node)
                ox.serialize(quads, out, fmt, prefixes=EXPORT_PREFIXES)
            else:
                store.dump(out, fmt, from_graph=node, prefixes=EXPORT_PREFIXES)
        elif fmt.supports_datasets:
            store.dump(out, fmt, prefixes=EXPORT_PREFIXES)
        else:
            _write_union(store, out, fmt)

    @gated
    def snapshot(self, target: str | Path) -> None:
        """A read-only copy of the store as it is now, in `target` (a new folder): a RocksDB
        checkpoint of hard links, cheap, openable with `pyoxigraph.Store.read_only`."""
        if self.path is None:
            raise StoreError("an in-memory store has no snapshot on disk")
        self.flush()
        self._store.backup(str(target))

    def adopt(self, folder: str | Path) -> bool:
        """Make `folder`, a checkpoint of this store (`snapshot`) that an update was then run
        on in another process, the store: what the update wrote is in, without running it
        here. The caller holds off every other write from the checkpoint to the end (the
        server's write lock), or those writes would be lost; reads in this process wait
        for the few milliseconds of the swap (`gate`), and the swap for the reads under
        way, so no read meets a closed store and the old engine is closed before its folder
        moves. The old folder is renamed aside, the copy renamed into place, then the old
        one removed; a kill in between leaves the old store whole or the new one in place
        (`_finish_swap`). False, the store unchanged, where the folders cannot be renamed
        (another file system, a folder that may not move)."""
        if self.path is None:
            raise StoreError("an in-memory store has no folder to replace")
        folder = Path(folder)
        if not folder.is_dir():
            raise StoreError(f"no store to adopt at {folder}")
        aside = self.path.with_name(self.path.name + REPLACED)
        with self._write_lock, self.gate.swap():
            self._store.flush()
            del self._store  # the last reference: RocksDB closes, its background work done
            try:
                os.rename(self.path, aside)  # a folder that may not move: the store stays
                try:
                    os.rename(folder, self.path)  # fails across file systems
                except OSError:
                    os.rename(aside, self.path)
                    raise
            except OSError:
                return False
            finally:
                self._store = ox.Store(str(self.path))  # the new store, or the old one back
            _fsync_folder(self.path.parent)
            shutil.rmtree(aside, ignore_errors=True)
            return True

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def close(self) -> None:
        """Release the store (RocksDB closes when the last reference goes)."""
        if getattr(self, "_store", None) is not None:
            self.flush()
            del self._store
            self._store = None  # type: ignore[assignment]


def dump_snapshot_union(folder: str | Path, out: IO[bytes], fmt: ox.RdfFormat) -> None:
    """The union of the graphs of a snapshot (`OxigraphStore.snapshot`) as the one graph
    of `fmt` (TriG included: the union is a default graph), streamed to `out`. The snapshot
    does not change, so a dump that takes minutes still shows one state of the store."""
    store = ox.Store.read_only(str(folder))
    try:
        _write_union(store, out, fmt)
    finally:
        del store  # closed before the snapshot may be removed


def _write_union(store: ox.Store, out: IO[bytes], fmt: ox.RdfFormat) -> None:
    """Every triple of the union of `store`'s graphs once, in flat memory (`union_triples`)."""
    ox.serialize(union_triples(store), out, fmt, prefixes=EXPORT_PREFIXES)


def _finish_swap(path: Path) -> None:
    """Settle an `adopt` a kill interrupted: with the store's folder gone (killed between the
    renames) the old one goes back, the update not made; with both there (killed before the
    old one was removed) the new one stays."""
    aside = path.with_name(path.name + REPLACED)
    if not aside.exists():
        return
    if path.exists():
        shutil.rmtree(aside, ignore_errors=True)
    else:
        os.rename(aside, path)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _quads(docs: Iterable[DocumentGraph]) -> list[ox.Quad]:
    """The documents' triples as quads of their own named graphs."""
    return list(ox.parse(b"".join(d.as_nquads() for d in docs), ox.RdfFormat.N_QUADS))


def _replace_update(docs: Iterable[DocumentGraph]) -> str:
    """One SPARQL update dropping and re-inserting each graph: atomic in Oxigraph."""
    docs = list(docs)
    drops = " ".join(f"DROP SILENT GRAPH <{check_iri(d.iri)}> ;" for d in docs)
    body = " ".join(f"GRAPH <{d.iri}> {{ {d.ntriples.decode('utf-8')} }}" for d in docs)
    return f"{drops} INSERT DATA {{ {body} }}"
