"""One happening with its reports side by side: what each document says of it and why
the reports were put together."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.deps import StateDep, read
from app.models import HappeningOut, HappeningReport
from app.problems import Problem
from app.responses import problems
from app.routers.params import SLUG_SCHEMA, minted
from graph import queries
from graph.happening_store import optional_text, report_fields
from graph.network import modality_name
from ontology.namespaces import CAMEO, EVKG, ID, SEM

router = APIRouter(tags=["events"])
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
HappeningId = Annotated[
    str, Path(max_length=300, json_schema_extra=SLUG_SCHEMA, examples=["6a605c65213b7aa9"])
]


@router.get(
    "/happenings/{happening_id}",
    response_model=HappeningOut,
    summary="A happening and its reports side by side",
    responses=problems(400, 404, 422, 503),
)
async def get_happening(happening_id: HappeningId, state: StateDep) -> HappeningOut:
    """The happening's code, actors, date, place and modality (derived from its reports;
    where they disagree, every value given), and each report with its sentence, document
    and why it joined. A happening none of whose reports is stored any more is a 404. A
    report alone is its own happening, asked for by its IRI."""
    # a report that matches no other is its own happening: named by the event's IRI
    kind = "event" if happening_id.startswith(f"{ID}event/") else "happening"
    iri = minted(kind, happening_id)
    reader = state.reader()
    facts: dict[str, list[str]] = {}
    for row in await read(state, reader.select, queries.happening(iri)):
        facts.setdefault(str(row["p"]), []).append(str(row["o"]))
    rows = await read(state, reader.select, queries.happening_reports(iri))
    reports: dict[str, HappeningReport] = {}
    for row in rows:
        reports.setdefault(
            row["e"],
            HappeningReport(
                iri=row["e"],
                **report_fields(row),
                sentence=optional_text(row.get("sentence")),
                trigger=optional_text(row.get("trigger")),
                title=optional_text(row.get("title")),
                matched_on=optional_text(row.get("why")),
            ),
        )
    if not facts or not reports:
        raise Problem(404, f"no happening {happening_id!r}")
    alone = reports.get(iri)
    if alone is not None:  # a report alone: the happening's description is its own
        fields = alone.model_dump(include={"label", "code", "source", "target", "date", "place"})
        return HappeningOut(
            iri=iri,
            **fields,
            modality=alone.modality,
            alleged=alone.modality == "claimed",
            disagreements=[],
            reports=[alone],
        )

    def one(predicate: str) -> str | None:
        values = facts.get(predicate)
        return min(values) if values else None

    modality = modality_name(one(f"{EVKG}modality"))
    return HappeningOut(
        iri=iri,
        label=one(RDFS_LABEL),
        code=(one(f"{SEM}eventType") or "").removeprefix(CAMEO),
        source=one(f"{EVKG}source"),
        target=one(f"{EVKG}target"),
        date=one(f"{SEM}hasTimeStamp"),
        place=one(f"{SEM}hasPlace"),
        modality=modality,
        alleged=modality == "claimed",
        disagreements=sorted(facts.get(f"{EVKG}disagreesOn", [])),
        reports=list(reports.values()),
    )
