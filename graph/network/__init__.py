"""The actor network, in one model: which events count (`filters`), the SPARQL that reads
them (`sparql`), the one builder and what reads the network it builds (`build`), what is
kept of it per store version (`cache`), the view the page and the downloads draw (`view`)
and the files it is written as (`export`).

The names other modules use are gathered here, so they import `graph.network` and not its
parts.
"""

from graph.network.build import (
    DEFAULT_NODE_CAP,
    EDGE_KEYS,
    MAX_HOPS,
    Neighbourhood,
    Ref,
    Selectable,
    add_dyads,
    add_evidence,
    build_network,
    counted_refs,
    edge_attributes,
    label_nodes,
    neighbourhood,
    paths,
    prune,
    quad_classes,
    quad_counts,
    to_json,
    updated_network,
)
from graph.network.cache import NetworkCache
from graph.network.filters import (
    ALL_MODALITIES,
    ASSERTED,
    MODALITIES,
    MODALITY_CHOICES,
    Filters,
    modality_name,
    one_or_many,
    parse_filters,
    parse_modality,
)
from graph.network.sparql import (
    dyads_query,
    event_patterns,
    happening_pattern,
    modality_complement,
    modality_pattern,
)
from graph.network.view import (
    DEFAULT_MAX_NODES,
    EDGE_FIELDS,
    compact_json,
    dyad_events,
    encode,
    facets,
    neighbourhood_page,
    network_view,
    page_view,
)

__all__ = [
    "ALL_MODALITIES",
    "ASSERTED",
    "DEFAULT_MAX_NODES",
    "DEFAULT_NODE_CAP",
    "EDGE_FIELDS",
    "EDGE_KEYS",
    "MAX_HOPS",
    "MODALITIES",
    "MODALITY_CHOICES",
    "Filters",
    "Neighbourhood",
    "NetworkCache",
    "Ref",
    "Selectable",
    "add_dyads",
    "add_evidence",
    "build_network",
    "compact_json",
    "counted_refs",
    "dyad_events",
    "dyads_query",
    "edge_attributes",
    "encode",
    "event_patterns",
    "facets",
    "happening_pattern",
    "label_nodes",
    "modality_complement",
    "modality_name",
    "modality_pattern",
    "neighbourhood",
    "neighbourhood_page",
    "network_view",
    "one_or_many",
    "page_view",
    "parse_filters",
    "parse_modality",
    "paths",
    "prune",
    "quad_classes",
    "quad_counts",
    "to_json",
    "updated_network",
]
