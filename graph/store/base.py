"""What every store offers, whether Oxigraph in this process or a SPARQL server elsewhere."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, Protocol, runtime_checkable

import pyoxigraph as ox

from graph.sparql import Solutions, check_iri, select_rows

PutStatus = Literal["new", "unchanged", "replaced"]


QueryResult = ox.QuerySolutions | Solutions | bool | Iterator[ox.Triple]


def rdf_bytes(items: Iterable[ox.Triple] | Iterable[ox.Quad], fmt: ox.RdfFormat) -> bytes:
    """`items` written in `fmt` (Oxigraph returns the bytes when given no output)."""
    data = ox.serialize(items, format=fmt)
    if data is None:  # only with an output to write to
        raise TypeError("pyoxigraph.serialize wrote to an output instead of returning bytes")
    return data


# every document graph's content hash: what `content_version` digests
VERSION_QUERY = "SELECT ?g ?h WHERE { GRAPH ?g { ?g evkg:contentHash ?h } }"


def content_version(source: Any) -> str:
    """A digest of every document graph's content hash (`source` has `select`): it changes
    whenever a document is added, replaced or removed. One row a document: a remote store
    stamps its writes instead (`SparqlStore.version`) and uses this only without a stamp."""
    pairs = sorted((str(r["g"]), str(r["h"])) for r in source.select(VERSION_QUERY))
    return hashlib.sha1(repr(pairs).encode()).hexdigest()[:16]


class StoreError(RuntimeError):
    """The store refused or failed an operation; the message says why."""


class StoreBusyError(StoreError):
    """The embedded store is held by another process."""


class TruncatedResultsError(StoreError):
    """The server cut the results short (Virtuoso's row cap) and the answer would be wrong."""


@dataclass(frozen=True)
class DocumentGraph:
    """One named graph ready to write: its IRI, the hash that says which version it is, and
    its triples as N-Triples (the cheapest form to ship between processes and to a server)."""

    iri: str
    content_hash: str
    ntriples: bytes
    # True when Oxigraph wrote `ntriples`, or each of its terms one triple a line (see
    # `from_triples`, and `ingest.rdf.to_ntriples` for bulk ingestion): N-Quads are then one
    # substitution away, which the embedded store's bulk loader reads without building a
    # Python object per triple. Carrying only one form halves what workers ship; making the
    # N-Quads in the workers instead gave no more documents/s (bench/RESULTS.md).
    canonical: bool = False

    @classmethod
    def from_triples(
        cls, iri: str, content_hash: str, triples: Sequence[ox.Triple]
    ) -> DocumentGraph:
        """Serialise `triples` (which record `content_hash`) as N-Triples, with Oxigraph."""
        check_iri(iri)
        return cls(iri, content_hash, rdf_bytes(triples, ox.RdfFormat.N_TRIPLES), True)

    def as_nquads(self) -> bytes:
        """The triples as N-Quads in graph `iri`.

        Oxigraph writes N-Triples one triple a line, each ending in " .\n", a sequence no
        term can hold (newlines in literals are escaped; IRIs have no spaces): naming the
        graph before each of those makes the N-Quads without parsing. Other N-Triples
        (comments, other spacing) are parsed and written again.
        """
        check_iri(self.iri)  # it goes into the text as it is
        if self.canonical:
            return self.ntriples.replace(b" .\n", f" <{self.iri}> .\n".encode())
        graph = ox.NamedNode(self.iri)
        parsed = ox.parse(self.ntriples, ox.RdfFormat.N_TRIPLES)
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in parsed]
        return rdf_bytes(quads, ox.RdfFormat.N_QUADS)


@runtime_checkable
class GraphStore(Protocol):
    """The graph store interface; see docs/ARCHITECTURE.md ("Store interface")."""

    def put_documents(
        self, docs: Sequence[DocumentGraph], *, bulk: bool = False
    ) -> list[PutStatus]: ...

    def content_hashes(self, iris: Iterable[str]) -> dict[str, str]: ...

    def remove_graph(self, iri: str) -> bool: ...

    def load(
        self, source: str | Path | bytes, graph_iri: str, format: str | None = None
    ) -> PutStatus: ...

    def graphs(self) -> list[str]: ...

    def graph_size(self, iri: str) -> int: ...

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> QueryResult: ...

    def select(self, sparql: str) -> list[dict[str, Any]]:
        """A SELECT as a list of dicts of plain Python values."""
        return select_rows(self.query(sparql))

    def query_serialized(
        self,
        sparql: str,
        media_type: str | None = None,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> tuple[Iterator[bytes], str]: ...

    def update(self, sparql: str) -> None: ...

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat, graph: str | None = None) -> None: ...

    def close(self) -> None: ...
