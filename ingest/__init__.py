"""Ingestion: news documents -> actors and events -> RDF.

`ingest.extract.extract(SourceDocument)` returns an `Extraction`; `ingest.rdf.to_graph`
turns it into the document's named graph. This file imports nothing, so a reader of
`ingest.settings` (every layer) does not load the extractor and its model.
"""
