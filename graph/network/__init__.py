"""The actor network, in one model: which events count (`filters`), the SPARQL that reads
them (`sparql`), the one builder and what reads the network it builds (`build`), what is
kept of it per store version (`cache`), the view the page and the downloads draw (`view`)
and the files it is written as (`export`).

The names other modules use are gathered here, so they import `graph.network` and not its
parts.
"""

from graph.network.build import (
    DEFAULT_NODE_CAP,
    Ref,
    Selectable,
    add_evidence,
    build_network,
    described_actors,
    neighbourhood,
    paths,
    to_json,
)
from graph.network.cache import Mark, NetworkCache
from graph.network.filters import (
    ALL_MODALITIES,
    MODALITIES,
    Filters,
    modality_name,
    parse_filters,
    parse_modality,
)
from graph.network.sparql import (
    PARTIES,
    PARTIES_ACTED_ON,
    STATED_MODALITIES,
    dyads_query,
    event_patterns,
    happening_key,
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
    "DEFAULT_MAX_NODES",
    "DEFAULT_NODE_CAP",
    "EDGE_FIELDS",
    "MODALITIES",
    "Filters",
    "PARTIES",
    "PARTIES_ACTED_ON",
    "STATED_MODALITIES",
    "Mark",
    "NetworkCache",
    "Ref",
    "Selectable",
    "add_evidence",
    "build_network",
    "compact_json",
    "described_actors",
    "dyad_events",
    "dyads_query",
    "encode",
    "event_patterns",
    "facets",
    "happening_key",
    "happening_pattern",
    "modality_complement",
    "modality_name",
    "modality_pattern",
    "neighbourhood",
    "neighbourhood_page",
    "network_view",
    "page_view",
    "parse_filters",
    "parse_modality",
    "paths",
    "to_json",
]
