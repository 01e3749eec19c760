"""An extraction as RDF: the content of the document's named graph.

The shape is documented in docs/ARCHITECTURE.md ("The RDF of one document"). Every IRI is
derived from the document's identity, so the same document always yields the same triples.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from ingest.model import Actor, Extraction, Span

EVKG = Namespace("https://evkg.org/ontology#")
ID = Namespace("https://evkg.org/id/")
CAMEO = Namespace("https://evkg.org/cameo/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
GAF = Namespace("http://groundedannotationframework.org/gaf#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")

EXTRACTOR = ID["agent/extractor"]
EXTRACTOR_VERSION = "1"

KIND_CONCEPTS = {
    "state": "State",
    "government-body": "GovernmentBody",
    "armed-force": "ArmedForce",
    "militia": "Militia",
    "person": "Person",
    "legislature": "Legislature",
    "international-organisation": "InternationalOrganisation",
    "media": "Media",
    "armed-group": "ArmedGroup",
    "other": "OtherActor",
}


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in {
        "evkg": EVKG,
        "id": ID,
        "cameo": CAMEO,
        "sem": SEM,
        "gaf": GAF,
        "nif": NIF,
        "prov": PROV,
        "dcterms": DCTERMS,
        "skos": SKOS,
    }.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def time_literal(value: str) -> Literal:
    """An ISO date at its precision, typed accordingly."""
    if len(value) == 4:
        return Literal(value, datatype=XSD.gYear)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.date)


def _mention(graph: Graph, document: URIRef, span: Span) -> URIRef:
    node = URIRef(f"{document}#char={span.start},{span.end}")
    graph.add((node, RDF.type, NIF.String))
    graph.add((node, RDF.type, EVKG.Mention))
    graph.add((node, NIF.beginIndex, Literal(span.start, datatype=XSD.integer)))
    graph.add((node, NIF.endIndex, Literal(span.end, datatype=XSD.integer)))
    graph.add((node, NIF.anchorOf, Literal(span.text)))
    graph.add((node, NIF.referenceContext, document))
    return node


def _actor(graph: Graph, actor: Actor) -> URIRef:
    node = URIRef(actor.iri)
    graph.add((node, RDF.type, SEM.Actor))
    graph.add((node, SKOS.prefLabel, Literal(actor.label)))
    graph.add((node, RDFS.label, Literal(actor.label)))
    for alias in actor.aliases:
        if alias != actor.label:
            graph.add((node, SKOS.altLabel, Literal(alias)))
    if actor.code:
        graph.add((node, EVKG.countryCode, Literal(actor.code)))
    if actor.sector:
        graph.add((node, EVKG.sector, Literal(actor.sector)))
    if actor.kind in KIND_CONCEPTS:
        graph.add((node, EVKG.actorKind, EVKG[KIND_CONCEPTS[actor.kind]]))
    return node


def to_graph(extraction: Extraction) -> Graph:
    """The triples of one document: metadata, text, actors, events and provenance."""
    graph = bind_prefixes(Graph())
    doc = extraction.document
    document = URIRef(doc.iri)
    run = ID[f"run/{doc.key}-{EXTRACTOR_VERSION}"]
    graph.add((document, RDF.type, EVKG.Document))
    graph.add((document, RDF.type, NIF.Context))
    graph.add((document, NIF.isString, Literal(doc.text)))
    graph.add((document, EVKG.contentHash, Literal(doc.content_hash)))
    if doc.title:
        graph.add((document, DCTERMS.title, Literal(doc.title)))
    if doc.published:
        graph.add((document, DCTERMS.issued, Literal(doc.published.isoformat(), datatype=XSD.date)))
    if doc.url:
        graph.add((document, DCTERMS.source, URIRef(doc.url)))
    if doc.file:
        graph.add((document, EVKG.fileName, Literal(doc.file)))
    if doc.source:
        graph.add((document, DCTERMS.publisher, Literal(doc.source)))

    graph.add((run, RDF.type, PROV.Activity))
    graph.add((run, PROV.used, document))
    graph.add((run, PROV.wasAssociatedWith, EXTRACTOR))
    graph.add((EXTRACTOR, RDF.type, PROV.SoftwareAgent))
    graph.add((EXTRACTOR, RDFS.label, Literal(f"evkg extractor {EXTRACTOR_VERSION}")))

    for actor in extraction.actors:
        graph.add((document, EVKG.mentions, _actor(graph, actor)))
    for place in extraction.places:
        node = URIRef(place.iri)
        graph.add((node, RDF.type, SEM.Place))
        graph.add((node, SKOS.prefLabel, Literal(place.label)))
        graph.add((node, RDFS.label, Literal(place.label)))

    for event in extraction.events:
        node = URIRef(event.iri)
        graph.add((node, RDF.type, SEM.Event))
        graph.add((node, RDFS.label, Literal(event.label)))
        graph.add((node, SEM.eventType, CAMEO[event.code]))
        for role, actor in ((EVKG.source, event.source), (EVKG.target, event.target)):
            if actor is not None:
                graph.add((node, role, _actor(graph, actor)))
                graph.add((node, SEM.hasActor, URIRef(actor.iri)))
        if event.place is not None:
            graph.add((node, SEM.hasPlace, URIRef(event.place.iri)))
        if event.date:
            graph.add((node, SEM.hasTimeStamp, time_literal(event.date)))
        graph.add((node, GAF.denotedBy, _mention(graph, document, event.trigger)))
        graph.add((node, EVKG.sentence, _mention(graph, document, event.sentence)))
        graph.add((node, PROV.wasDerivedFrom, document))
        graph.add((node, PROV.wasGeneratedBy, run))
    return graph
