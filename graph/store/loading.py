"""Reading a user's RDF file into one named graph, whatever its format."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pyoxigraph as ox

from graph.sparql import CONTENT_HASH, check_iri
from graph.store.base import DocumentGraph, rdf_bytes
from graph.store.formats import rdf_format


def parse_for_graph(
    source: str | Path | bytes, graph_iri: str, format: str | None = None
) -> DocumentGraph:
    """Parse `source` (a path or the bytes of a file) into the content of `graph_iri`.

    Quads of a dataset format land in `graph_iri` too: the file becomes one graph. The
    graph records the file's SHA-256 as `<graph_iri> evkg:contentHash`, so loading the same
    bytes twice changes nothing.
    """
    check_iri(graph_iri)
    if isinstance(source, bytes):
        data, path = source, None
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from exc
    fmt = rdf_format(format, path)
    if fmt == ox.RdfFormat.RDF_XML:
        _plain_xml(data, path.name if path else "input")
    start = data.lstrip(b" \t\r\n\xef\xbb\xbf")[:1]
    if fmt == ox.RdfFormat.JSON_LD and start not in (b"{", b"["):
        # the parser reads a bare string or null as an empty graph
        raise ValueError(
            f"{path.name if path else 'input'}: a JSON-LD document is a JSON object or array"
        )
    try:
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(data, fmt, base_iri=graph_iri)
        ]
    except SyntaxError as exc:
        name = path.name if path else "input"
        raise ValueError(f"{name} is not valid {fmt.name}: {exc}") from exc
    digest = hashlib.sha256(data).hexdigest()
    node = ox.NamedNode(graph_iri)
    hash_pred = ox.NamedNode(CONTENT_HASH)
    triples = [t for t in triples if not (t.subject == node and t.predicate == hash_pred)]
    triples.append(ox.Triple(node, hash_pred, ox.Literal(digest)))
    return DocumentGraph(graph_iri, digest, rdf_bytes(triples, ox.RdfFormat.N_TRIPLES))


MAX_XML_DEPTH = 1000
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_SKIPPED = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.DOTALL)
_TAG = re.compile(rb"<(/?)[^<>]*?(/?)>")


def _plain_xml(data: bytes, name: str) -> None:
    """Refuse RDF/XML the parser could be made to blow up on: a document type declaration
    (whose entities expand, a few hundred bytes to gigabytes, or name outside files), text
    not in UTF-8's byte form, or elements nested deeper than MAX_XML_DEPTH."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise ValueError(f"{name}: RDF/XML must be UTF-8")
    if _DECLARATION.search(data):
        raise ValueError(f"{name}: RDF/XML with a document type declaration (DTD or "
                         "entities) is not accepted")
    depth = 0
    for tag in _TAG.finditer(_SKIPPED.sub(b"", data)):
        if tag.group(1):
            depth -= 1
        elif not tag.group(2):
            depth += 1
            if depth > MAX_XML_DEPTH:
                raise ValueError(f"{name}: RDF/XML elements nest more than {MAX_XML_DEPTH} "
                                 "deep (the limit on nesting depth)")
