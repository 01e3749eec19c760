"""Build ontology/agents.ttl (generic agent nouns -> PLOVER sectors) from ontology/sources/.

Why: an extractor that sees "U.S. officials" or "Iraqi forces" needs to know that the
noun names a sector (GOV, MIL, ...) of the country its adjective names. The PETRARCH
agents dictionary (Phoenix.agents.txt) and the ICEWS sector names (text_to_CAMEO
agentnames.txt) list such nouns with CAMEO codes; this script turns them into SKOS
concepts carrying PLOVER sector codes, plus a few conflict-news nouns added by hand.

PETRARCH syntax read here: `PHRASE [{PLURAL}] [~CODE]`; words joined by `_`; `{X}` gives
an irregular plural, `{}` means the phrase has no plural; `!SET!` expands to each member
of a substitution set declared as `!SET! = A, B`; a few final words are stems (`MINIST`);
a code is a run of 3-letter CAMEO sector codes after `~` (`~GOVMIL`). Entries coded only
with a country slot (`[IGO~]`) or without a code name no sector and are skipped, and so
are phrases ending in a preposition (`EMBASSY_IN`, `AMBASSADOR_TO`): what follows them is
where the agent sits or whom it is sent to, not the state it serves ("India's embassy in
Kabul" is India's), and the bare noun has an entry of its own.

Usage: python tools/build_agents.py [--out PATH] [--check]
"""

from __future__ import annotations

import csv
import itertools
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from generated import write_or_check

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "ontology" / "sources"
DEFAULT_OUT = ROOT / "ontology" / "agents.ttl"

# CAMEO sector codes that PLOVER renamed or folded (PLOVER manual, "Country Names and
# Sector Codes"): CAMEO MED was media (PLOVER JRN), CAMEO HLH health (PLOVER MED);
# religions fold into REL; CAMEO's issue codes (human rights, environment, development)
# into civil society; RAD (radicals) into REB as ICEWS does; PPL (people) into CVL.
CAMEO_TO_PLOVER: dict[str, str] = {
    "MED": "JRN",
    "HLH": "MED",
    "HRI": "SOC",
    "ENV": "SOC",
    "DEV": "SOC",
    "RAD": "REB",
    "PPL": "CVL",
    "INS": "REB",
    "SEP": "REB",
    "CIV": "CVL",
    **{
        code: "REL"
        for code in [
            "MUS",
            "CHR",
            "CTH",
            "PRO",
            "MAR",
            "MRN",
            "JEW",
            "BUD",
            "HIN",
            "SHI",
            "SUN",
            "ALE",
            "SFI",
            "DRZ",
            "CPT",
            "DOX",
            "JHW",
            "BAH",
            "ZRO",
            "CON",
            "TAO",
            "SIK",
            "JAN",
            "LDS",
            "MOS",
            "ATH",
            "PAG",
            "SHA",
        ]
    },
}

# Sector fixes for nouns whose CAMEO code does not fit PLOVER's definitions.
SECTOR_RULES: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(r"\bmilitia|\bparamilitar"),
        "PRM",
        "PLOVER has PRM for paramilitaries, which CAMEO coded MIL or UAF",
    ),
    (re.compile(r"\bprotest(er|ing)\b|\bdemonstrator"), "CVL", "PLOVER puts protesters in CVL"),
    (
        re.compile(r"\bspokes(man|men|woman|women|person|people)$"),
        "GOV",
        "CAMEO's media code would make spokespeople journalists; in conflict news they speak "
        "for governments and forces",
    ),
    (
        re.compile(r"^security forces?$"),
        "MIL",
        "listed under both COP and MIL in the source; armed security forces are MIL",
    ),
]

# Final-word stems PETRARCH matches by prefix, expanded to the words they stand for.
STEMS: dict[str, list[str]] = {
    "minist": ["minister", "ministers", "ministry", "ministries"],
    "ministr": ["ministry", "ministries"],
    "compan": ["company", "companies"],
    "authorit": ["authority", "authorities"],
    "industr": ["industry", "industries"],
}

# ICEWS sector names that are adjectives or headings rather than nouns.
ICEWS_SKIP = {
    "local",
    "provincial",
    "municipal",
    "social",
    "unicameral",
    "judicial",
    "legal",
    "agricultural",
    "elite",
    "global",
    "regional",
    "lower house",
    "upper house",
    "parties",
}

# Conflict-news nouns missing from both lists: (singular, plural or "", sector, secondary).
HAND_ADDED: list[tuple[str, str, str, str]] = [
    ("official", "officials", "GOV", ""),
    ("force", "forces", "MIL", ""),
    ("government force", "government forces", "MIL", ""),
    ("contractor", "contractors", "BUS", ""),
    ("security contractor", "security contractors", "BUS", "MIL"),
    ("military contractor", "military contractors", "BUS", "MIL"),
    ("private military contractor", "private military contractors", "BUS", "MIL"),
    ("adviser", "advisers", "MIL", ""),
    ("advisor", "advisors", "MIL", ""),
    ("personnel", "", "MIL", ""),
    ("service member", "service members", "MIL", ""),
    ("servicemember", "servicemembers", "MIL", ""),
    ("sailor", "sailors", "MIL", ""),
    ("pilot", "pilots", "MIL", ""),
    ("marine", "", "MIL", ""),
    ("officer", "officers", "MIL", ""),
    ("guardsman", "guardsmen", "MIL", ""),
    ("peacekeeper", "peacekeepers", "MIL", ""),
    ("defense official", "defense officials", "GOV", "MIL"),
    ("defence official", "defence officials", "GOV", "MIL"),
    ("intelligence official", "intelligence officials", "SPY", ""),
    ("ayatollah", "ayatollahs", "REL", ""),
    ("tribesman", "tribesmen", "CVL", ""),
    ("hostage", "hostages", "CVL", ""),
    ("negotiator", "negotiators", "GOV", ""),
    ("hardliner", "hardliners", "GOV", ""),
    ("sniper", "snipers", "UAF", ""),
    ("suicide bomber", "suicide bombers", "UAF", ""),
    ("attacker", "attackers", "UAF", ""),
    ("jihadi", "jihadis", "UAF", ""),
    ("proxy", "proxies", "PRM", ""),
    ("proxy force", "proxy forces", "PRM", ""),
    ("armed group", "armed groups", "UAF", ""),
    ("faction", "factions", "PRM", ""),
    ("group", "groups", "PRM", ""),
    ("ally", "allies", "PRM", ""),
    ("general", "", "MIL", ""),
    ("national", "nationals", "CVL", ""),
    ("diplomat", "diplomats", "GOV", ""),
    ("counterpart", "counterparts", "GOV", ""),
    ("mediator", "mediators", "GOV", ""),
]

PREFIXES = """\
@prefix agent:   <https://evkg.org/agents/> .
@prefix evkg:    <https://evkg.org/ontology#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


@dataclass
class Noun:
    """One agent-noun concept being built."""

    forms: list[str]
    sector: str
    secondary: list[str] = field(default_factory=list)
    origin: str = ""
    note: str = ""


def turtle_string(text: str) -> str:
    """Quote text as a Turtle short string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def slug(text: str) -> str:
    """IRI-safe local name for a label."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def normalise(phrase: str) -> str:
    """PETRARCH phrase -> lower-case words separated by single spaces."""
    return re.sub(r"\s+", " ", phrase.replace("_", " ")).strip().lower()


PREPOSITIONS = re.compile(r" (of|for|in|to|on|with|at|from|against|and) ")


def plural(phrase: str) -> str:
    """Regular English plural of the head noun, or '' if it already looks plural.

    The head noun is the last word before a preposition ("head of state" -> "heads of
    state"), else the last word.
    """
    split = PREPOSITIONS.search(phrase)
    if split:
        head_plural = plural(phrase[: split.start()])
        return head_plural + phrase[split.start() :] if head_plural else ""
    head, _, last = phrase.rpartition(" ")
    if (last.endswith("s") and not last.endswith("ss")) or last.endswith(
        ("men", "people", "children", "police", "personnel")
    ):
        return ""
    if last.endswith("man") and last != "human":
        word = last[:-3] + "men"
    elif re.search(r"[^aeiou]y$", last):
        word = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        word = last + "es"
    else:
        word = last + "s"
    return f"{head} {word}".strip()


def map_code(code: str) -> list[str]:
    """`GOVMIL` -> PLOVER sectors in order, duplicates dropped."""
    out: list[str] = []
    for i in range(0, len(code) - len(code) % 3, 3):
        sector = CAMEO_TO_PLOVER.get(code[i : i + 3], code[i : i + 3])
        if sector not in out:
            out.append(sector)
    return out


def expand(phrase: str, sets: dict[str, list[str]]) -> list[str]:
    """Expand substitution sets and stems; returns normalised forms, first is canonical."""
    # A set name inside a word (AD!MINIST!RATION) stands for its own letters.
    phrase = re.sub(r"(?<=[A-Za-z])!([A-Z]+)!(?=[A-Za-z])", r"\1", phrase)
    parts = re.split(r"(![A-Z]+!)", phrase)
    choices = [sets.get(p, [p]) if p.startswith("!") else [p] for p in parts]
    forms: list[str] = []
    for combo in itertools.product(*choices):
        text = normalise("".join(combo))
        head, _, last = text.rpartition(" ")
        for word in STEMS.get(last, [last]):
            form = f"{head} {word}".strip()
            if form and form not in forms:
                forms.append(form)
    return forms


# Final words that leave a phrase waiting for its object ("EMBASSY_IN", "C_IN_C_OF").
DANGLING = frozenset({"IN", "OF", "TO", "FOR", "AT", "ON", "FROM", "WITH"})


def read_petrarch(path: Path) -> tuple[list[Noun], int]:
    """Agent nouns of Phoenix.agents.txt and the count of entries without a sector."""
    sets: dict[str, list[str]] = {}
    nouns: list[Noun] = []
    skipped = 0
    entry = re.compile(r"^(?P<phrase>[^\[{]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*\[(?P<code>[^\]]*)\]")
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        set_def = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", line)
        if set_def:
            sets[set_def.group(1)] = [w.strip() for w in set_def.group(2).split(",")]
            continue
        match = entry.match(line)
        if not match or "~" not in match.group("code"):
            skipped += 1
            continue
        code = match.group("code").split("~", 1)[1].strip()
        sectors = map_code(code)
        phrase = match.group("phrase").strip()
        if not sectors or not phrase or phrase.rsplit("_", 1)[-1] in DANGLING:
            skipped += 1
            continue
        forms = expand(match.group("phrase"), sets)
        if "!" not in match.group("phrase"):
            given = match.group("plural")
            if given is None:
                extra = [plural(f) for f in forms]
            else:
                extra = [normalise(given)] if given.strip() else []
            forms += [f for f in extra if f and f not in forms]
        nouns.append(Noun(forms, sectors[0], sectors[1:], "PETRARCH Phoenix.agents.txt"))
    return nouns, skipped


def read_icews(path: Path) -> list[Noun]:
    """Plain-noun ICEWS sector names of agentnames.txt whose code maps to a PLOVER sector."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    plover = plover_sectors()
    nouns = []
    for row in rows:
        if len(row) < 2:
            continue
        name, code = row[0].strip(), row[1].strip()
        if re.search(r"[/(),]", name) or name.lower() in ICEWS_SKIP:
            continue
        sectors = map_code(code)
        if not sectors or sectors[0] not in plover:
            continue
        form = normalise(name)
        forms = [form] + ([p] if (p := plural(form)) else [])
        nouns.append(Noun(forms, sectors[0], sectors[1:], "ICEWS agentnames.txt"))
    return nouns


def plover_sectors() -> set[str]:
    """Every code of plover_sector_codes.tsv."""
    with (SOURCES / "plover_sector_codes.tsv").open(encoding="utf-8", newline="") as fh:
        return {r["code"] for r in csv.DictReader(fh, delimiter="\t")}


def apply_rules(noun: Noun) -> None:
    """Override the sector where SECTOR_RULES say CAMEO's code misleads."""
    for pattern, sector, why in SECTOR_RULES:
        if pattern.search(noun.forms[0]):
            if noun.sector != sector:
                noun.secondary = [s for s in noun.secondary if s != sector]
                noun.sector = sector
                noun.note = f"Sector set by rule: {why}."
            return


def merge(nouns: list[Noun]) -> list[Noun]:
    """One concept per canonical form; a label belongs to the first concept that claims it."""
    by_label: dict[str, Noun] = {}
    by_slug: dict[str, Noun] = {}
    out: list[Noun] = []
    for noun in nouns:
        apply_rules(noun)
        # Spelling variants that differ only in punctuation ("pro-democracy movement",
        # "pro democracy movement") share an IRI, so they are one concept.
        owner = by_label.get(noun.forms[0]) or by_slug.get(slug(noun.forms[0]))
        if owner is not None:
            if owner.sector == noun.sector:
                for form in noun.forms:
                    if form not in by_label:
                        owner.forms.append(form)
                        by_label[form] = owner
            continue
        noun.forms = [f for f in noun.forms if f not in by_label]
        if not noun.forms:
            continue
        if slug(noun.forms[0]) in by_slug:
            continue
        for form in noun.forms:
            by_label[form] = noun
        by_slug[slug(noun.forms[0])] = noun
        out.append(noun)
    return out


def build() -> str:
    """Return the Turtle text of agents.ttl."""
    petrarch, skipped = read_petrarch(SOURCES / "Phoenix.agents.txt")
    icews = read_icews(SOURCES / "text_to_CAMEO_agentnames.txt")
    hand = [
        Noun([s] + ([p] if p else []), sec, [x] if x else [], "hand") for s, p, sec, x in HAND_ADDED
    ]
    nouns = merge(petrarch + icews + hand)
    valid = plover_sectors()
    lines = [
        "# Generated by tools/build_agents.py from ontology/sources/ (see ontology/SOURCES.md).",
        "# Do not edit by hand: change the script or its inputs and rebuild.",
        f"# {len(nouns)} agent nouns; {skipped} source entries were skipped (no sector, or a "
        "phrase ending in a preposition).",
        "",
        PREFIXES,
        "agent:scheme",
        "    a skos:ConceptScheme ;",
        '    skos:prefLabel "evkg generic agent nouns"@en ;',
        '    rdfs:comment "Common nouns that name a kind of actor (officials, troops, militia), '
        "each with the PLOVER sector it denotes (evkg:sector) and further sectors of compound "
        "CAMEO codes (evkg:secondarySector). Labels are lower case; prefLabel is the singular "
        'form. With a demonym or country name in front (\\"Iraqi forces\\") they give '
        '(country, sector) actors."@en ;',
        '    dcterms:source "openeventdata/petrarch2 Phoenix.agents.txt; openeventdata/'
        'text_to_CAMEO agentnames.txt; additions marked as such" .',
        "",
    ]
    for noun in nouns:
        for sector in [noun.sector, *noun.secondary]:
            if sector not in valid:
                raise ValueError(f"{noun.forms[0]}: {sector} is not a PLOVER sector code")
        if noun.origin == "hand":
            lines.append("# added by hand: not in the PETRARCH or ICEWS lists")
        block = [
            f"agent:{slug(noun.forms[0])}",
            "    a skos:Concept ;",
            "    skos:inScheme agent:scheme ;",
            f"    skos:prefLabel {turtle_string(noun.forms[0])}@en ;",
        ]
        if len(noun.forms) > 1:
            alts = ", ".join(f"{turtle_string(f)}@en" for f in noun.forms[1:])
            block.append(f"    skos:altLabel {alts} ;")
        block.append(f"    evkg:sector {turtle_string(noun.sector)} ;")
        for sector in noun.secondary:
            block.append(f"    evkg:secondarySector {turtle_string(sector)} ;")
        source = "added by hand" if noun.origin == "hand" else noun.origin
        block.append(f"    dcterms:source {turtle_string(source)} ;")
        if noun.note:
            block.append(f"    rdfs:comment {turtle_string(noun.note)}@en ;")
        block[-1] = block[-1][:-2] + " ."
        lines += block + [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the generated file."""
    return write_or_check(build, DEFAULT_OUT, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
