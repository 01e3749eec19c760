"""Any SPARQL 1.1 store over HTTP: the Protocol for query and update, the Graph Store
Protocol to replace a document's graph with one PUT.

The service keeps no state of its own here, so several service processes can share one
server behind a load balancer. Answers are parsed with pyoxigraph, so callers get the same
result types as from the embedded store.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, NamedTuple

import httpx
import pyoxigraph as ox

from graph.config import RemoteConfig
from graph.sparql import (
    CONTENT_HASH,
    GRAPH_MEDIA,
    RESULT_MEDIA,
    QuerySyntaxError,
    Solutions,
    batches,
    check_iri,
    query_form,
    result_media,
    split_prologue,
    variable_names,
)
from graph.store.base import (
    DocumentGraph,
    GraphStore,
    PutStatus,
    QueryResult,
    StoreError,
    TruncatedResultsError,
    content_version,
)
from graph.store.loading import parse_for_graph
from graph.store.vocab import GRAPH_BASE
from ontology.namespaces import EVKG, EXPORT_PREFIXES, PREFIXES

PAGE = 5000  # rows per page when this module pages on its own (below Virtuoso's 10,000 cap)
# Virtuoso refuses a query with more than 4,094 values in a list ("SP030 Too many
# arguments"); other servers take the embedded store's chunks.
VIRTUOSO_VALUES = 2000
# A stamp every write through evkg replaces, so a reader learns whether the store changed
# from one small query instead of reading every document graph's content hash; beside it,
# how many writes were stamped, so a writer can tell whether any but its own came between.
VERSION_GRAPH = f"{GRAPH_BASE}store-version"
_VERSION = f"{EVKG}storeVersion"
_WRITES = f"{EVKG}storeWrites"
SORT_KEY_BYTES = 1500  # of the values a query's rows are ordered by to page them
_ORDERED = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


class Stamp(NamedTuple):
    """A remote store's version: the mark its latest write through evkg left, and the
    number of writes stamped so far (None for a store versioned by its content hashes)."""

    mark: str
    writes: int | None


class SparqlStore(GraphStore):
    """A remote SPARQL 1.1 store (Oxigraph server, Virtuoso, or any other)."""

    pages_itself = True  # a listing's page is cut in the query (graph.sparql.pages_itself)

    def __init__(self, config: RemoteConfig, timeout: float = 120.0) -> None:
        self.config = config
        auth: httpx.Auth | None = None
        if config.user is not None:
            password = config.password or ""
            auth = (
                httpx.DigestAuth(config.user, password)
                if config.auth == "digest"
                else httpx.BasicAuth(config.user, password)
            )
        self._auth = auth
        self._http = httpx.Client(timeout=timeout)
        self.stamped = 0  # the writes this object stamped (`Stamp.writes` counts everyone's)
        # how SELECT and ASK answers are asked for: Virtuoso writes its JSON results several
        # times slower than its XML ones (0.66-0.89 s against 0.34-0.54 s for 1,242 rows of
        # eleven terms), and its TSV is not the standard's
        self.results_media = "application/sparql-results+json"
        if config.flavour == "virtuoso":
            # most values one VALUES list may hold (graph.sparql.values_limit reads it)
            self.max_values = VIRTUOSO_VALUES
            self.results_media = "application/sparql-results+xml"

    def __repr__(self) -> str:
        return f"SparqlStore({self.config.query_url})"

    # -- HTTP --------------------------------------------------------------------------

    def _query_auth(self) -> httpx.Auth | None:
        # Virtuoso's /sparql is open; elsewhere, credentials given apply to every request.
        return None if self.config.flavour == "virtuoso" else self._auth

    def _send_query(
        self,
        sparql: str,
        accept: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        stream: bool = False,
    ) -> httpx.Response:
        """POST the query form-encoded (Virtuoso never answers application/sparql-query)."""
        form: list[tuple[str, str]] = [("query", _with_prefixes(sparql))]
        form += [("default-graph-uri", check_iri(g)) for g in default_graph_uris or ()]
        form += [("named-graph-uri", check_iri(g)) for g in named_graph_uris or ()]
        if self.config.flavour == "oxigraph" and not default_graph_uris and not named_graph_uris:
            form.append(("union-default-graph", ""))
        request = self._http.build_request(
            "POST", self.config.query_url, data=dict_list(form), headers={"Accept": accept}
        )
        try:
            response = self._http.send(request, auth=self._query_auth(), stream=stream)
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach {self.config.query_url}: {exc}") from exc
        if response.status_code >= 400:
            body = response.read().decode("utf-8", "replace")[:500]
            response.close()
            if response.status_code == 400 or "syntax" in body.lower():
                raise QuerySyntaxError(f"the store rejected the query: {body.strip()}")
            raise StoreError(f"query failed ({response.status_code}): {body.strip()}")
        return response

    def _results(
        self,
        sparql: str,
        default_graph_uris: Sequence[str] | None,
        named_graph_uris: Sequence[str] | None,
    ) -> tuple[httpx.Response, ox.QuerySolutions | ox.QueryBoolean]:
        """A SELECT's or ASK's answer, asked for in `results_media` and parsed; the response
        beside it for its headers."""
        media = self.results_media
        response = self._send_query(sparql, media, default_graph_uris, named_graph_uris)
        return response, ox.parse_query_results(response.content, RESULT_MEDIA[media])

    def _send_update(self, sparql: str) -> None:
        try:
            response = self._http.post(
                self.config.update_url,
                data={"update": _with_prefixes(sparql)},
                auth=self._auth or httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach {self.config.update_url}: {exc}") from exc
        _raise_for(response, "update")

    def _max_rows(self, response: httpx.Response) -> int | None:
        header = response.headers.get("X-SPARQL-MaxRows")
        if header and header.strip().isdigit():
            return int(header)
        return self.config.max_rows

    # -- documents ---------------------------------------------------------------------

    def content_hashes(self, iris: Iterable[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        iris = [check_iri(i) for i in iris]
        for part in batches(iris, 200):
            values = " ".join(f"<{i}>" for i in part)
            found = self.select(
                f"SELECT ?g ?h WHERE {{ VALUES ?g {{ {values} }} "
                f"GRAPH ?g {{ ?g <{CONTENT_HASH}> ?h }} }}"
            )
            out.update({row["g"]: str(row["h"]) for row in found})
        return out

    def put_documents(
        self, docs: Sequence[DocumentGraph], *, bulk: bool = False
    ) -> list[PutStatus]:
        """Each changed document replaces its graph in one request (a GSP PUT); `bulk`
        changes nothing here: each request is already as cheap as the server makes it."""
        stored = self.content_hashes({d.iri for d in docs})
        statuses: list[PutStatus] = []
        for doc in docs:
            before = stored.get(doc.iri)
            if before == doc.content_hash:
                statuses.append("unchanged")
                continue
            self._replace(doc)
            stored[doc.iri] = doc.content_hash
            statuses.append("new" if before is None else "replaced")
        if any(status != "unchanged" for status in statuses):
            self._stamp()
        return statuses

    def _stamp(self) -> None:
        """Record a new store version (after the write, so a reader that saw the old stamp
        rebuilds after it; one that reads between sees the written data under the old
        stamp until the new one lands, a moment later), counting the write in the same
        update: one transaction on the server, so writers' counts do not interleave."""
        graph, mark = f"<{VERSION_GRAPH}>", uuid.uuid4().hex
        # an aggregate gives one row on an empty graph where Virtuoso's OPTIONAL gives none
        self._send_update(
            f"DELETE {{ GRAPH {graph} {{ {graph} <{_VERSION}> ?v . {graph} <{_WRITES}> ?n }} }} "
            f'INSERT {{ GRAPH {graph} {{ {graph} <{_VERSION}> "{mark}" . '
            f"{graph} <{_WRITES}> ?next }} }} WHERE {{ {{ SELECT (MAX(?w) AS ?n) "
            f"(SAMPLE(?x) AS ?v) WHERE {{ GRAPH {graph} {{ {graph} <{_VERSION}> ?x "
            f"OPTIONAL {{ {graph} <{_WRITES}> ?w }} }} }} }} BIND(COALESCE(?n, 0) + 1 AS ?next) }}"
        )
        self.stamped += 1

    def version(self) -> Stamp:
        """What changes whenever the store does through evkg: the stamp each write leaves,
        one small query. A store no evkg service has written since (no stamp yet) is
        versioned by its document graphs' content hashes instead."""
        graph = f"<{VERSION_GRAPH}>"
        found = self.select(
            f"SELECT ?v ?n WHERE {{ GRAPH {graph} {{ {graph} <{_VERSION}> ?v "
            f"OPTIONAL {{ {graph} <{_WRITES}> ?n }} }} }}"
        )
        if found and "v" in found[0]:
            writes = found[0].get("n")
            return Stamp(str(found[0]["v"]), writes if isinstance(writes, int) else None)
        return Stamp(f"content:{content_version(self)}", None)

    def _replace(self, doc: DocumentGraph) -> None:
        check_iri(doc.iri)
        if self.config.store_url is None:
            self._send_update(
                f"DROP SILENT GRAPH <{doc.iri}> ; "
                f"INSERT DATA {{ GRAPH <{doc.iri}> {{ {doc.ntriples.decode('utf-8')} }} }}"
            )
            return
        param = "graph-uri" if self.config.flavour == "virtuoso" else "graph"
        try:
            response = self._http.put(
                self.config.store_url,
                params={param: doc.iri},
                content=doc.ntriples,
                headers={"Content-Type": "text/turtle; charset=utf-8"},
                auth=self._auth or httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach {self.config.store_url}: {exc}") from exc
        _raise_for(response, f"replacing graph {doc.iri}")

    def remove_graph(self, iri: str) -> bool:
        check_iri(iri)
        if not self.query(f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"):
            return False
        self._send_update(f"DROP SILENT GRAPH <{iri}>")
        self._stamp()
        return True

    def load(
        self, source: str | Path | bytes, graph_iri: str, format: str | None = None
    ) -> PutStatus:
        return self.put_documents([parse_for_graph(source, graph_iri, format)])[0]

    def graphs(self) -> list[str]:
        """Named graphs holding triples, paged in order so no row cap cuts the list."""
        found: list[str] = []
        offset = 0
        while True:
            page = self.select(
                "SELECT ?g WHERE { { SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } "
                f"ORDER BY ?g }} }} LIMIT {PAGE} OFFSET {offset}"
            )
            found += [row["g"] for row in page if "g" in row]
            if len(page) < PAGE:
                break
            offset += PAGE
        ignore = (*self.config.ignore_graphs, VERSION_GRAPH)
        return sorted(g for g in found if not g.startswith(ignore) and not g.startswith("_:"))

    def graph_size(self, iri: str) -> int:
        check_iri(iri)
        result = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
        return int(result[0]["n"]) if result else 0

    # -- SPARQL ------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> QueryResult:
        form = query_form(sparql)
        if form in ("SELECT", "ASK"):
            response, result = self._results(sparql, default_graph_uris, named_graph_uris)
            if isinstance(result, ox.QueryBoolean):
                return bool(result)
            cap = self._max_rows(response)
            if cap is None:
                return result
            names = variable_names(result)
            solutions = list(result)
            if len(solutions) >= cap:  # cut short: read it again, a page at a time
                keys = _sort_keys(names, solutions)
                solutions = self._pages(
                    sparql, names, keys, cap, default_graph_uris, named_graph_uris
                )
            return Solutions(names, solutions)
        response = self._send_query(
            sparql, "application/n-triples", default_graph_uris, named_graph_uris
        )
        fmt = _graph_format(response)
        cap = self._max_rows(response)
        triples = [
            ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(response.content, fmt)
        ]
        if cap is not None and len(triples) >= cap:
            raise TruncatedResultsError(f"the store capped the triples at {cap}")
        return iter(triples)

    def _pages(
        self,
        sparql: str,
        names: list[str],
        keys: str,
        cap: int,
        default_graph_uris: Sequence[str] | None,
        named_graph_uris: Sequence[str] | None,
    ) -> list[ox.QuerySolution]:
        """Every solution of a SELECT the server caps at `cap` rows, read in pages of
        `cap`: the query becomes an ordered sub-select (its own order if it has one, else
        by `keys`) that LIMIT / OFFSET step through, which Virtuoso answers past its cap
        (a "scrollable cursor") and any server answers in a stable order."""
        prologue, body = split_prologue(sparql)
        projected = " ".join(f"?{n}" for n in names)
        if not names:
            raise TruncatedResultsError(f"the store capped the results at {cap} rows")
        if not _ORDERED.search(body[body.rfind("}") :]):
            body = f"SELECT {projected} WHERE {{ {{ {body} }} }} ORDER BY {keys}"
        out: list[ox.QuerySolution] = []
        offset = 0
        while True:
            page = (
                f"{prologue}SELECT {projected} WHERE {{ {{ {body} }} }} LIMIT {cap} OFFSET {offset}"
            )
            _, result = self._results(page, default_graph_uris, named_graph_uris)
            got = list(result)  # type: ignore[arg-type]
            out += got
            if len(got) < cap:
                return out
            offset += cap

    def query_serialized(
        self,
        sparql: str,
        media_type: str | None = None,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> tuple[Iterator[bytes], str]:
        """Forward the server's bytes as they arrive, without decoding them."""
        form = query_form(sparql)
        media = result_media(form, media_type)
        response = self._send_query(
            sparql, media, default_graph_uris, named_graph_uris, stream=True
        )
        if response.headers.get("X-SPARQL-MaxRows"):
            response.close()
            # The cap is only signalled in a header: count rows the slow way before answering.
            self.query(
                sparql, default_graph_uris=default_graph_uris, named_graph_uris=named_graph_uris
            )
            response = self._send_query(
                sparql, media, default_graph_uris, named_graph_uris, stream=True
            )
        returned = response.headers.get("Content-Type", media).split(";")[0].strip()

        def chunks() -> Iterator[bytes]:
            try:
                yield from response.iter_bytes()
            finally:
                response.close()

        return chunks(), returned

    def update(self, sparql: str) -> None:
        self._send_update(sparql)
        self._stamp()

    # -- export ------------------------------------------------------------------------

    def _graph_triples(self, iri: str) -> Iterator[ox.Triple]:
        """Every triple of one graph, paged in a stable order under any row cap."""
        offset = 0
        while True:
            # The ordered sub-select lets Virtuoso page past its cap (its "scrollable cursor").
            page = self.query(
                f"SELECT ?s ?p ?o WHERE {{ {{ SELECT ?s ?p ?o WHERE {{ GRAPH <{iri}> "
                f"{{ ?s ?p ?o }} }} ORDER BY ?s ?p ?o }} }} LIMIT {PAGE} OFFSET {offset}"
            )
            n = 0
            for solution in page:  # type: ignore[union-attr]
                n += 1
                yield ox.Triple(solution["s"], solution["p"], solution["o"])
            if n < PAGE:
                return
            offset += PAGE

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat, graph: str | None = None) -> None:
        """Stream the store, graph by graph and page by page."""
        names = [check_iri(graph)] if graph is not None else self.graphs()
        if graph is not None and not self.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"):
            raise StoreError(f"no graph {graph} in the store")

        def quads() -> Iterator[ox.Quad]:
            for name in names:
                node = ox.NamedNode(name)
                for t in self._graph_triples(name):
                    yield ox.Quad(t.subject, t.predicate, t.object, node)

        if fmt.supports_datasets:
            ox.serialize(quads(), out, fmt, prefixes=EXPORT_PREFIXES)
        else:
            ox.serialize((q.triple for q in quads()), out, fmt, prefixes=EXPORT_PREFIXES)

    def close(self) -> None:
        self._http.close()


def _sort_keys(names: list[str], sample: list[ox.QuerySolution]) -> str:
    """What to order a query's rows by to page them: its variables whose values (in the
    first, capped answer) are short, up to SORT_KEY_BYTES in all, since Virtuoso refuses
    to sort on longer keys ("Sorting key too long", past 1,900 bytes); a network's dyads
    are ordered by their two actors, not by the events concatenated beside them. Without
    a short variable, the first one's first characters."""
    keys, room = [], SORT_KEY_BYTES
    for name in names:
        widest = max(
            (len(str(row[name]).encode()) for row in sample if row[name] is not None), default=0
        )
        if widest <= room:
            keys.append(f"?{name}")
            room -= widest
    return " ".join(keys) or f"(SUBSTR(STR(?{names[0]}), 1, {SORT_KEY_BYTES // 4}))"


def dict_list(form: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    """Repeated form fields as httpx wants them."""
    out: dict[str, str | list[str]] = {}
    for key, value in form:
        if key in out:
            prev = out[key]
            out[key] = [*prev, value] if isinstance(prev, list) else [prev, value]
        else:
            out[key] = value
    return out


def _with_prefixes(sparql: str) -> str:
    """evkg's prefixes, declared ahead so queries may use them as with the embedded store."""
    return _PROLOGUE + sparql


def _graph_format(response: httpx.Response) -> ox.RdfFormat:
    media = response.headers.get("Content-Type", "application/n-triples").split(";")[0].strip()
    if media in GRAPH_MEDIA:
        return GRAPH_MEDIA[media]
    if media in ("text/plain", "text/ntriples"):
        return ox.RdfFormat.N_TRIPLES
    raise StoreError(f"the store answered a graph query with {media!r}")


def _raise_for(response: httpx.Response, what: str) -> None:
    if response.status_code < 400:
        return
    body = response.text[:500].strip()
    if response.status_code == 400:
        raise QuerySyntaxError(f"the store rejected {what}: {body}")
    if response.status_code in (401, 403):
        raise StoreError(
            f"the store refused {what} ({response.status_code}): check EVKG_STORE_USER and "
            "EVKG_STORE_PASSWORD"
        )
    raise StoreError(f"{what} failed ({response.status_code}): {body}")
