"""RDF format names, file extensions and media types, resolved to pyoxigraph formats."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "nq": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "rdf": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}
EXPORT_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld")
EXTENSIONS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nq": "nquads",
    ".nt": "ntriples",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".n3": "n3",
}


def rdf_format(name: str | None = None, path: str | Path | None = None) -> ox.RdfFormat:
    """The format called `name`, else the one `path`'s extension implies; a clear error else."""
    if name:
        key = name.lower().strip()
        if key in FORMATS:
            return FORMATS[key]
        for fmt in FORMATS.values():
            if key == fmt.media_type:
                return fmt
        raise ValueError(f"unknown RDF format {name!r}; use one of {sorted(set(FORMATS))}")
    if path is not None:
        suffix = Path(str(path)).suffix.lower()
        if suffix in EXTENSIONS:
            return FORMATS[EXTENSIONS[suffix]]
        raise ValueError(f"cannot tell the RDF format of {str(path)!r}; pass --format")
    raise ValueError("no RDF format given")


def is_dataset_format(fmt: ox.RdfFormat) -> bool:
    """Formats that carry graph names (the rest hold one graph's triples)."""
    return fmt.supports_datasets
