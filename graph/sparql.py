"""SPARQL helpers shared by the stores: safe IRIs, query forms, media types, term values.

Results from every store are pyoxigraph objects (the embedded store returns them; the
remote store parses the server's answer with pyoxigraph), so callers handle one type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, TypeVar

import pyoxigraph as ox

from ontology.namespaces import EVKG

CONTENT_HASH = f"{EVKG}contentHash"

VALUES_LIMIT = 5000  # values per VALUES list unless the store says fewer (`values_limit`)
QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

# Characters an IRI may not hold in SPARQL or N-Triples (RFC 3987 plus the grammar's own).
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_PROLOGUE = re.compile(
    r"""\A(?:\s+|\#[^\n]*\n?|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*""", re.IGNORECASE
)
_FORM = re.compile(r"\A(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)

RESULT_MEDIA = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_MEDIA = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


class QuerySyntaxError(ValueError):
    """The query or update text is not SPARQL this store accepts."""


class UpdateFailed(ValueError):
    """A valid update the store cannot apply as written (CREATE of a graph that exists,
    CLEAR or DROP of one that does not, without SILENT); the update wrote nothing."""


def check_iri(iri: str) -> str:
    """Return `iri` if it is an absolute IRI safe to splice into SPARQL, else raise."""
    if not isinstance(iri, str) or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri):
        raise ValueError(f"not an absolute IRI: {iri!r}")
    if _BAD_IRI.search(iri):
        raise ValueError(f"IRI holds characters not allowed in an IRI: {iri!r}")
    return iri


def split_prologue(sparql: str) -> tuple[str, str]:
    """The query's prologue (BASE, PREFIX, comments) and the rest, to wrap the rest."""
    end = _PROLOGUE.match(sparql).end()  # type: ignore[union-attr]
    return sparql[:end], sparql[end:]


def iri(value: str) -> str:
    """`value` as a SPARQL IRI term, checked first."""
    return f"<{check_iri(value)}>"


def iris(values: Iterable[str]) -> str:
    """The distinct `values` as IRI terms, sorted, for a VALUES list."""
    return " ".join(iri(v) for v in sorted(set(values)))


# Graphs (or documents) one query names, in a UNION of graphs (`in_named_graphs`) or a VALUES
# list of documents: a UNION of many more strains a store's compiler, and 50 documents'
# reports stay under Virtuoso's 10,000-row cap
NAMED_GRAPHS = 50


T = TypeVar("T")


def batches(values: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """`values` in consecutive parts of at most `size`, a query's (or request's) worth each."""
    return (values[start : start + size] for start in range(0, len(values), size))


def named_graph_lists(graphs: list[str]) -> list[list[str]]:
    """`graphs` in lists of NAMED_GRAPHS, a query's worth each."""
    return [list(part) for part in batches(graphs, NAMED_GRAPHS)]


def select_listed(
    source: Any, query: Callable[[Sequence[str]], str], values: Sequence[str], most: int = 0
) -> Iterator[dict[str, Any]]:
    """The rows of `query(part)` for each part of `values` one VALUES list sent to `source`
    may hold (`values_limit`, or `most` when smaller): one query for a short list."""
    size = min(values_limit(source), most or VALUES_LIMIT)
    for part in batches(values, size):
        yield from source.select(query(part))


def in_named_graphs(graphs: Iterable[str], pattern: str, var: str = "?g") -> str:
    """`pattern` matched in each of `graphs`, `var` bound to its name: a graph named is a
    lookup on any store, where a VALUES list of graphs Virtuoso joined by reading every
    graph (a second for three at 9M quads)."""
    return " UNION ".join(
        f"{{ BIND(<{check_iri(g)}> AS {var}) GRAPH <{g}> {{ {pattern} }} }}" for g in graphs
    )


def values_limit(source: object) -> int:
    """Most values one VALUES list may hold when sent to `source` (a store or a reader):
    its own `max_values` if it has one (Virtuoso takes at most 4,094), else VALUES_LIMIT."""
    return int(getattr(source, "max_values", VALUES_LIMIT))


def pages_itself(source: object) -> bool:
    """Whether a listing's page is best ordered and cut by `source` itself (ORDER BY ...
    LIMIT in the query: a SPARQL server, whose `pages_itself` says so) rather than read
    whole and ordered here: Oxigraph compares IRIs by reading their text from disk, so at
    a million quads ordering one actor's few hundred events took it longer than finding
    them, and ordering every event seconds."""
    return bool(getattr(source, "pages_itself", False))


def query_form(sparql: str) -> QueryForm:
    """The query's form (SELECT, ASK, CONSTRUCT, DESCRIBE), read past its prologue."""
    body = sparql[_PROLOGUE.match(sparql).end() :]  # type: ignore[union-attr]
    match = _FORM.match(body)
    if not match:
        raise QuerySyntaxError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return match.group(1).upper()  # type: ignore[return-value]


def result_media(form: QueryForm, media_type: str | None) -> str:
    """The media type (parameters dropped) a `form` query's results are given in: the one
    asked for, or the first its table lists when none is."""
    table: dict[str, Any] = RESULT_MEDIA if form in ("SELECT", "ASK") else GRAPH_MEDIA
    if not media_type:
        return next(iter(table))
    media = media_type.split(";")[0].strip().lower()
    if media not in table:
        raise ValueError(f"cannot give {form} results as {media_type}; use one of {list(table)}")
    return media


def python_value(term: Any) -> Any:
    """A pyoxigraph term as a plain Python value: IRIs as str, literals as int/float/date/str."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        value = term.value
        try:
            if dt.endswith(("#integer", "#int", "#long", "#short", "#nonNegativeInteger")):
                return int(value)
            if dt.endswith(("#double", "#float")):
                return float(value)
            if dt.endswith("#decimal"):
                return Decimal(value)
            if dt.endswith("#boolean"):
                return value in ("true", "1")
            if dt.endswith("#date"):
                return date.fromisoformat(value)
            if dt.endswith("#dateTime"):
                return datetime.fromisoformat(value)
        except ValueError:
            return value
        return value
    return str(term)


def rows(solutions: Iterable[ox.QuerySolution], variables: list[str]) -> list[dict[str, Any]]:
    """SELECT solutions as dicts of plain Python values (unbound variables are left out)."""
    out = []
    for solution in solutions:
        row = {}
        for name in variables:
            term = solution[name]
            if term is not None:
                row[name] = python_value(term)
        out.append(row)
    return out


class Solutions(list[ox.QuerySolution]):
    """SELECT solutions already read (a remote store counts them against its row cap),
    with their variables as `ox.QuerySolutions` has them."""

    def __init__(self, names: list[str], solutions: Iterable[ox.QuerySolution]) -> None:
        super().__init__(solutions)
        self.names = names
        self.variables = [ox.Variable(n) for n in names]


def variable_names(solutions: ox.QuerySolutions | Solutions) -> list[str]:
    return [v.value for v in solutions.variables]


def select_rows(result: object) -> list[dict[str, Any]]:
    """A store's answer to a SELECT as `rows`; any other answer is the wrong query form."""
    if not isinstance(result, ox.QuerySolutions | Solutions):
        raise QuerySyntaxError("select() needs a SELECT query")
    return rows(result, variable_names(result))


def ntriples_literal(value: str) -> str:
    """A plain string literal in N-Triples / SPARQL syntax."""
    return str(ox.Literal(value))
