"""Ingestion: news documents -> actors and events -> RDF.

`extract(SourceDocument)` returns an `Extraction`; `ingest.rdf.to_graph` turns it into the
document's named graph.
"""

from ingest.extract import extract
from ingest.model import Actor, Event, Extraction, Place, SourceDocument, Span

__all__ = ["Actor", "Event", "Extraction", "Place", "SourceDocument", "Span", "extract"]
