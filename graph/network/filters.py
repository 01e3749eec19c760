"""Which events count: the filters every network, neighbourhood, path search, listing and
count takes, and the one parser that reads them from a query string or a command line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass
from typing import Any

from graph.sparql import check_iri
from ontology.namespaces import EVKG

# how the text puts an event (evkg:modality): the concepts of evkg:ModalityScheme by their
# skos:notation; an event that states none counts as asserted
MODALITIES = {
    "asserted": f"{EVKG}Asserted",
    "negated": f"{EVKG}Negated",
    "hypothetical": f"{EVKG}Hypothetical",
    "intended": f"{EVKG}Intended",
    "claimed": f"{EVKG}Claimed",
    "denied": f"{EVKG}Denied",
}
MODALITY_NAMES = {iri: name for name, iri in MODALITIES.items()}
ASSERTED = "asserted"
ALL_MODALITIES = "all"
MODALITY_CHOICES = f"{', '.join(MODALITIES)} (several comma-separated), or {ALL_MODALITIES}"

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ROOT = re.compile(r"^\d{2}$")

# `Filters.key()`: the fields in their order (since, until, root, quad, min_events,
# document, modality), so `Filters(*key)` gives the filters back
FilterKey = tuple[
    str | None,
    str | None,
    str | tuple[str, ...] | None,
    int | tuple[int, ...] | None,
    int,
    str | None,
    str | tuple[str, ...],
]


@dataclass(frozen=True)
class Filters:
    """Which events count. Dates are ISO at any precision ("2020", "2020-01", "2020-01-03");
    an event dated to a month matches `since=2020-01-15` because the periods overlap."""

    since: str | None = None
    until: str | None = None
    root: str | tuple[str, ...] | None = None  # CAMEO root "19", or several: ("18", "19")
    quad: int | tuple[int, ...] | None = None  # quad class 1..4, or several
    min_events: int = 1  # edges with fewer events are dropped
    document: str | None = None  # only events of this document (IRI)
    # which readings count (`parse_modality`): "asserted" (the default: what the text
    # reports as having happened), another of MODALITIES, a sorted tuple of several, or "all"
    modality: str | tuple[str, ...] = ASSERTED

    def __post_init__(self) -> None:
        # as given ("negated,claimed", a list from repeated parameters...), kept canonical so
        # that equal choices share cached networks and views
        object.__setattr__(self, "modality", parse_modality(self.modality))
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not _DATE.match(value):
                raise ValueError(f"{name} must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
        if self.root is not None and not all(
            isinstance(r, str) and _ROOT.match(r) for r in self.roots
        ):
            raise ValueError("root must be a two-digit CAMEO root such as 19")
        if self.quad is not None and not all(q in (1, 2, 3, 4) for q in self.quads):
            raise ValueError("quad must be 1, 2, 3 or 4")
        if self.min_events < 1:
            raise ValueError("min_events must be at least 1")
        if self.document is not None:
            check_iri(self.document)

    @property
    def roots(self) -> tuple[str, ...]:
        """The CAMEO roots asked for (any of them matches); empty: all."""
        if self.root is None:
            return ()
        return (self.root,) if isinstance(self.root, str) else tuple(self.root)

    @property
    def quads(self) -> tuple[int, ...]:
        """The quad classes asked for (any of them matches); empty: all."""
        if self.quad is None:
            return ()
        return (self.quad,) if isinstance(self.quad, int) else tuple(self.quad)

    @property
    def modalities(self) -> tuple[str, ...]:
        """The modalities asked for (any of them matches); empty: any, or none stated."""
        if self.modality == ALL_MODALITIES:
            return ()
        return (self.modality,) if isinstance(self.modality, str) else self.modality

    def key(self) -> FilterKey:
        """The filters as a hashable key for what is kept per filter set."""
        return astuple(self)

    def named(self) -> dict[str, Any]:
        """The filters by name, as a view's `meta.filters` shows them."""
        return dict(zip(FILTER_NAMES, self.key(), strict=True))


FILTER_NAMES = tuple(Filters.__dataclass_fields__)


def parse_filters(
    since: str | None = None,
    until: str | None = None,
    root: str | Sequence[str] | None = None,
    quad: int | Sequence[int] | None = None,
    min_events: int = 1,
    document: str | None = None,
    modality: str | Sequence[str] | None = None,
) -> Filters:
    """The filters as a query string or a command line gives them: an empty value is no
    filter (a form's empty field), `root` and `quad` may be several (repeated parameters, in
    any order, sorted here so that equal choices share what is kept), `modality` as
    `parse_modality` reads it. A bad value is a ValueError that says what is accepted."""
    return Filters(
        since=since or None,
        until=until or None,
        root=one_or_many(root),
        quad=one_or_many(quad),
        min_events=min_events,
        document=document or None,
        modality=parse_modality(modality),
    )


def one_or_many(values: Any) -> Any:
    """None, one value, or a sorted tuple of several (empty strings dropped); a lone value
    as it is."""
    if values is None or isinstance(values, str | int):
        return values if values != "" else None
    values = sorted({v for v in values if v != ""})
    if not values:
        return None
    return values[0] if len(values) == 1 else tuple(values)


def parse_modality(value: str | Iterable[str] | None) -> str | tuple[str, ...]:
    """A modality choice as `Filters` keeps it: one name, a sorted tuple of several, or
    "all" (every event, whatever its modality or none). Takes a name, a comma-separated
    list, or several of either (repeated query parameters); case and spaces do not matter;
    nothing at all is the default, asserted. Anything else is a ValueError naming the
    accepted values."""
    if value is None:
        return ASSERTED
    parts = [value] if isinstance(value, str) else list(value)
    names: set[str] = set()
    for part in parts:
        if not isinstance(part, str):
            raise ValueError(f"modality must be one of {MODALITY_CHOICES}; got {part!r}")
        for name in part.split(","):
            name = name.strip().lower()
            if not name:
                continue
            if name != ALL_MODALITIES and name not in MODALITIES:
                raise ValueError(f"modality must be one of {MODALITY_CHOICES}; got {name!r}")
            names.add(name)
    if not names:
        return ASSERTED
    if ALL_MODALITIES in names or names == set(MODALITIES):
        return ALL_MODALITIES
    chosen = tuple(sorted(names))
    return chosen[0] if len(chosen) == 1 else chosen


def modality_name(value: object) -> str:
    """The modality of an event from its evkg:modality (unbound: asserted); a concept from
    outside the scheme is given as its IRI."""
    if value is None or value == "" or value == "-":
        return ASSERTED
    return MODALITY_NAMES.get(str(value), str(value))
