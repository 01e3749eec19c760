"""Every IRI evkg reads or writes, in one place: the namespaces of the vocabularies it uses
(standard ones and its own) and the bases of the IRIs it mints (documents, events, actors,
places, happenings, runs, named graphs).

Data like the Turtle beside it, so every layer (`ingest`, `graph`, `app`) imports it and no
module spells a namespace of its own.
"""

from __future__ import annotations

__all__ = [
    "ACTOR",
    "AGENT",
    "CAMEO",
    "DCTERMS",
    "DOCUMENT",
    "EVENT",
    "EVKG",
    "EXPORT_PREFIXES",
    "GAF",
    "GRAPH",
    "HAPPENING",
    "ID",
    "NIF",
    "OWL",
    "PLACE",
    "PLOVER",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RUN",
    "SEM",
    "SKOS",
    "XSD",
]

# evkg's own
EVKG = "https://evkg.org/ontology#"
ID = "https://evkg.org/id/"
CAMEO = "https://evkg.org/cameo/"
PLOVER = "https://evkg.org/plover/"
GRAPH = "https://evkg.org/graph/"

# what it mints, under ID
DOCUMENT = f"{ID}document/"
EVENT = f"{ID}event/"
ACTOR = f"{ID}actor/"
PLACE = f"{ID}place/"
HAPPENING = f"{ID}happening/"
RUN = f"{ID}run/"
AGENT = f"{ID}agent/"

# the vocabularies it uses
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
GAF = "http://groundedannotationframework.org/gaf#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"

# The prefixes every SPARQL query may use without declaring them.
PREFIXES: dict[str, str] = {
    "evkg": EVKG,
    "id": ID,
    "cameo": CAMEO,
    "plover": PLOVER,
    "sem": SEM,
    "gaf": GAF,
    "nif": NIF,
    "prov": PROV,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
}

# For files people read: one prefix per kind of minted IRI, so local names need no escapes.
EXPORT_PREFIXES: dict[str, str] = {
    **{k: v for k, v in PREFIXES.items() if k != "id"},
    "doc": DOCUMENT,
    "actor": ACTOR,
    "event": EVENT,
    "place": PLACE,
    "run": RUN,
}
