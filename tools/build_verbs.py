"""Build ingest/dictionaries/cameo_verbs.yaml (CAMEO verb patterns) from ontology/sources/.

Why: PETRARCH2's verb dictionary (CAMEO.2.0.txt, Open Event Data Alliance, MIT) lists some
1,800 verbs in about 400 synonym blocks, each block with phrase patterns mapped to CAMEO
codes ("RUSH ... (TO BORDER)" -> 154). This script turns it into plain YAML that a matcher can
load without knowing PETRARCH's syntax.

PETRARCH syntax read here (see the header comments of CAMEO.2.0.txt and PETRARCH2's reader):
`#` starts a comment (`;` too on verb lines, a TABARI leftover). `&NAME` starts a synonym set
whose `+MEMBER` lines follow. `--- NAME [CODE] ---` starts a verb block with its default code;
then verb lines `VERB {IRREGULAR FORMS} [OWN CODE]` (`+ASK_FOR` is a multi-word verb whose
first word is the verb) and pattern lines `- BEFORE * AFTER [CODE:REVERSE]`. In patterns
`(PREP WORDS)` is a prepositional phrase, `{WORDS}` and `WORD_WORD` a contiguous phrase,
`&NAME` a synonym set, `$` the source, `+` the target, `^` words to skip, `%` a compound
actor. `[---]` is no code. A trailing `_` means "no plural". The TRANSFORMATIONS section
at the end is not read.

Output schema (also written, at more length, in the YAML header):

    synsets:    {name: [member phrase, ...]}      sorted, duplicates dropped
    no_plural:  {name: [member phrase, ...]}      members spelled with a trailing `_` (all
                                                  members when the set name has one)
    verbs:
      lemma:                                      lower case; first word of a multi-word verb
        - code: "190"                             the verb line's code, else the block's;
          reverse: "110"                          each absent when none (`[---]`)
          particle: "for"                         words after the verb of a multi-word verb
          forms: [hurries, hurrying, hurried]     irregular forms as listed (whole phrases for
                                                  a multi-word verb: "asked for"); absent:
                                                  the regular -s/-ed/-ing forms apply
          patterns:                               the block's patterns, source order, shared
            - {code: "195", reverse: "043",       by every verb of the block (a YAML anchor
               before: [...], after: [...]}       named after the block on first use, aliases
                                                  after); empty before/after left out

A pattern item is a string (a word, a contiguous phrase with spaces, `&name` for a synonym
set, or one of the markers `$` source, `+` target, `^` skip, `%` compound) or
`{prep: word, words: [items]}` for a prepositional phrase. Words inside a phrase string that
start with `&` are synonym sets too ("&military aid"). Synset names keep their inner `_`
so that a phrase can be split on spaces. Patterns whose only code is `[---]`, whose code is
not a CAMEO code, or that name an undefined synonym set are left out; the YAML header
lists them with their source line.

Usage: python tools/build_verbs.py [--out PATH] [--check]
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generated import write_or_check

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "ontology" / "sources" / "CAMEO.2.0.txt"
CAMEO_TTL = ROOT / "ontology" / "cameo.ttl"
DEFAULT_OUT = ROOT / "ingest" / "dictionaries" / "cameo_verbs.yaml"

MARKERS = {"$", "+", "^", "%"}
WORD = re.compile(r"^[A-Z0-9&][A-Z0-9&'./_-]*$")
HEADER = re.compile(r"^---\s+(?P<name>\S+)\s+\[(?P<code>[^\]]*)\]")
VERB_LINE = re.compile(
    r"^(?P<verb>\+?[A-Z][A-Z'_-]*)\s*(?:\{(?P<forms>[^}]*)\})?\s*(?:\[(?P<code>[^\]]*)\])?\s*$"
)
CODE_AT_END = re.compile(r"\[(?P<code>[^\]]*)\]\s*$")
# First words of the parenthesised phrases of the source that are prepositions (or, like
# "whether", introduce a clause the same way). A few phrases in parentheses start with
# another word ("(PEACE CONFERENCE)"): braces were meant, and they are read as phrases.
PREPOSITIONS = {
    "about",
    "after",
    "against",
    "along",
    "amid",
    "as",
    "aside",
    "at",
    "before",
    "behind",
    "between",
    "by",
    "despite",
    "during",
    "for",
    "from",
    "in",
    "inside",
    "into",
    "of",
    "off",
    "on",
    "out",
    "outside",
    "over",
    "through",
    "to",
    "toward",
    "towards",
    "under",
    "until",
    "up",
    "upon",
    "whether",
    "with",
}
# Words that YAML 1.1 would read as booleans or null when unquoted.
YAML_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
# Keys whose values are always written quoted (codes must stay strings: "010").
QUOTED = {"code", "reverse", "particle"}
PLAIN = re.compile(r"^[a-z][a-z0-9 ./'_-]*[a-z0-9.']$|^[a-z]$")

Item = str | dict[str, object]


@dataclass
class Verb:
    """One verb line of a block."""

    lemma: str
    particle: str
    forms: list[str] | None
    code: str
    reverse: str
    line: int


@dataclass
class Block:
    """One `--- NAME [CODE] ---` block: its verbs and patterns."""

    name: str
    code: str
    reverse: str
    verbs: list[Verb] = field(default_factory=list)
    patterns: list[dict[str, object]] = field(default_factory=list)


@dataclass
class Dictionary:
    """Everything read from the source, plus notes on what was changed or left out."""

    synsets: dict[str, list[str]]
    no_plural: dict[str, list[str]]
    blocks: list[Block]
    notes: list[str]
    skipped_null: int = 0
    duplicates: int = 0


def cameo_codes() -> set[str]:
    """Every code of cameo.ttl (its `evkg:cameoCode "..."` literals)."""
    text = CAMEO_TTL.read_text(encoding="utf-8")
    return set(re.findall(r'evkg:cameoCode "(\d+)"', text))


def strip_comment(line: str, semicolon: bool = False) -> str:
    """Text before `#` (and `;` when asked), right-stripped."""
    line = line.split("#", 1)[0]
    if semicolon:
        line = line.split(";", 1)[0]
    return line.rstrip()


def phrase(token: str) -> str:
    """PETRARCH words -> lower case, `_` -> space, trailing `_` dropped."""
    return " ".join(w for w in token.lower().split("_") if w)


def read_synsets(lines: list[tuple[int, str]]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The synonym sets: name -> sorted members, and the members that take no plural."""
    raw: dict[str, list[tuple[str, bool]]] = {}
    current = ""
    for number, text in lines:
        line = strip_comment(text).strip()
        if not line:
            continue
        if line.startswith("&"):
            current = line[1:]
            raw.setdefault(current, [])
        elif line.startswith("+") and current:
            member = line[1:].strip()
            fixed = member.endswith("_") or current.endswith("_")
            raw[current].append((member, fixed))
        else:
            raise ValueError(f"line {number}: unexpected line in the synonym sets: {text!r}")
    names = {name: name.rstrip("_").lower() for name in raw}

    def members(name: str, seen: tuple[str, ...] = ()) -> list[tuple[str, bool]]:
        out = []
        for member, fixed in raw[name]:
            if member.startswith("&"):  # a set named as a member stands for its members
                inner = next((n for n in raw if n.rstrip("_") == member[1:].rstrip("_")), None)
                if inner is None or inner in seen:
                    raise ValueError(f"&{name}: bad member {member}")
                out += members(inner, seen + (name,))
            else:
                out.append((phrase(member), fixed))
        return out

    synsets: dict[str, list[str]] = {}
    no_plural: dict[str, list[str]] = {}
    for name in raw:
        expanded = members(name)
        synsets[names[name]] = sorted({m for m, _ in expanded})
        kept = sorted({m for m, f in expanded if f})
        if kept:
            no_plural[names[name]] = kept
    return dict(sorted(synsets.items())), dict(sorted(no_plural.items()))


def split_code(text: str, valid: set[str], where: str, notes: list[str]) -> tuple[str, str]:
    """`042:043` -> ("042", "043"); `---` -> ("", ""); codes CAMEO lacks are dropped."""
    if text.strip() == "---":
        return "", ""
    first, _, second = text.strip().partition(":")
    out = []
    dropped = False
    for code in (first, second):
        if code and not code.isdigit():
            fixed = re.sub(r"\D", "", code)
            notes.append(f"{where}: code [{text}] read as {fixed}")
            code = fixed
        if code and code not in valid:
            notes.append(f"{where}: code {code} is not a CAMEO code, dropped")
            code = ""
            dropped = True
        out.append(code)
    if dropped and not any(out):
        notes[-1] += "; pattern left out"
    return out[0], out[1]


def read_verb(number: int, text: str, block: Block, valid: set[str], notes: list[str]) -> Verb:
    """A verb line: lemma, particle, irregular forms and code."""
    match = VERB_LINE.match(text)
    if not match:
        raise ValueError(f"line {number}: cannot read verb line {text!r}")
    token = match.group("verb")
    multi = token.startswith("+")
    words = token.lstrip("+").split("_")
    if "+" in token[1:] or (not multi and len(words) > 1):
        raise ValueError(f"line {number}: unsupported multi-word verb {token}")
    lemma, particle = words[0].lower(), " ".join(words[1:]).lower()
    forms = None
    if match.group("forms") is not None:
        forms = []
        for form in match.group("forms").replace(",", " ").split():
            if form.startswith("+") != multi or "+" in form[1:]:
                raise ValueError(f"line {number}: form {form} does not fit {token}")
            text = phrase(form.lstrip("+"))
            if text not in forms and text != phrase(token.lstrip("+")):
                forms.append(text)
    code, reverse = block.code, block.reverse
    if match.group("code") is not None:
        code, reverse = split_code(match.group("code"), valid, f"line {number}", notes)
    return Verb(lemma, particle, forms, code, reverse, number)


def expand_alternatives(body: str) -> list[str]:
    """`(IN FAVOUR/FAVOR)` -> one pattern per alternative (a TABARI leftover)."""
    slots = re.findall(r"[A-Z'-]+(?:/[A-Z'-]+)+", body)
    if not slots:
        return [body]
    out = []
    for combo in itertools.product(*(slot.split("/") for slot in slots)):
        text = body
        for slot, choice in zip(slots, combo, strict=True):
            text = text.replace(slot, choice, 1)
        out.append(text)
    return out


def word_item(core: str, synsets: dict[str, list[str]], where: str, notes: list[str]) -> str:
    """A pattern word: marker, `&set`, or lower-case words (`_` joins them)."""
    if core in MARKERS:
        return core
    if not WORD.match(core):
        raise ValueError(f"{where}: unexpected pattern word {core!r}")
    if core.startswith("&") and core[1:].rstrip("_").lower() in synsets:
        return "&" + core[1:].rstrip("_").lower()
    parts = []
    for part in (p for p in core.split("_") if p):
        if part.startswith("&"):
            if part[1:].lower() not in synsets:
                raise LookupError(f"&{part[1:]}")
            parts.append("&" + part[1:].lower())
        else:
            parts.append(part.lower())
    if core.startswith("&"):
        notes.append(f"{where}: {core} is no synonym set; read as {' '.join(parts)!r}")
    return " ".join(parts)


def parse_side(
    tokens: list[str], synsets: dict[str, list[str]], where: str, notes: list[str]
) -> list[Item]:
    """Tokens on one side of `*` -> items (strings and {prep, words} phrases)."""
    items: list[Item] = []
    prep: dict[str, Any] | None = None  # {"prep": str, "words": list}
    brace: list[str] | None = None
    for raw in tokens:
        token = raw
        opens = len(token) - len(token.lstrip("({"))
        lead, token = token[:opens], token[opens:]
        core = token.rstrip(")}")
        trail = token[len(core) :]
        if ")" in trail and prep is None and "(" not in lead:
            notes.append(f"{where}: stray {raw!r} after the phrase dropped")
            continue
        for ch in lead:
            if ch == "(":
                if prep is not None or brace is not None:
                    raise ValueError(f"{where}: nested phrase")
                prep = {"prep": "", "words": []}
            else:
                if brace is not None:
                    raise ValueError(f"{where}: nested braces")
                brace = []
        if core:
            item = word_item(core, synsets, where, notes)
            if brace is not None:
                if item in MARKERS:
                    raise ValueError(f"{where}: marker inside braces")
                brace.append(item)
            elif prep is not None and not prep["prep"]:
                if item in MARKERS or item.startswith("&"):
                    raise ValueError(f"{where}: a phrase must start with its preposition")
                prep["prep"] = item
            elif prep is not None:
                prep["words"].append(item)
            else:
                items.append(item)
        for ch in trail:
            if ch == "}":
                if brace is None:
                    raise ValueError(f"{where}: unbalanced braces")
                text = " ".join(brace)
                if prep is not None:
                    prep["words"].append(text)
                else:
                    items.append(text)
                brace = None
            else:
                if prep is None or brace is not None or not prep["prep"]:
                    raise ValueError(f"{where}: unbalanced parentheses")
                if prep["prep"] in PREPOSITIONS:
                    items.append(prep)
                else:
                    words = [prep["prep"], *prep["words"]]
                    if any(w in MARKERS for w in words):
                        raise ValueError(f"{where}: marker in a phrase")
                    items.append(" ".join(words))
                    notes.append(
                        f"{where}: ({' '.join(words).upper()}) has no preposition; read as a phrase"
                    )
                prep = None
    if prep is not None or brace is not None:
        raise ValueError(f"{where}: unclosed phrase")
    return items


def read_pattern(
    number: int, text: str, synsets: dict[str, list[str]], valid: set[str], notes: list[str]
) -> tuple[list[dict[str, object]], bool]:
    """A pattern line -> its patterns (several when it lists alternatives); True if [---]."""
    where = f"line {number}"
    body = strip_comment(text)[1:]
    match = CODE_AT_END.search(body)
    if not match:
        raise ValueError(f"{where}: pattern without a code")
    if match.group("code").strip() == "---":
        return [], True
    code, reverse = split_code(match.group("code"), valid, where, notes)
    if not code and not reverse:
        return [], False
    body = body[: match.start()]
    out = []
    for variant in expand_alternatives(body):
        glued = [t for t in variant.split() if "*" in t and t != "*"]
        if glued:
            notes.append(f"{where}: * written against a word ({glued[0]}), split off")
        spaced = variant.replace("*", " * ")
        if spaced.split().count("*") != 1:
            raise ValueError(f"{where}: a pattern needs exactly one *")
        before, after = spaced.split(" * ")
        try:
            pattern: dict[str, object] = {}
            if code:
                pattern["code"] = code
            if reverse:
                pattern["reverse"] = reverse
            for side, words in (("before", before), ("after", after)):
                items = parse_side(words.split(), synsets, where, notes)
                if items:
                    pattern[side] = items
        except LookupError as err:
            notes.append(f"{where}: pattern left out (synonym set {err.args[0]} is undefined)")
            return [], False
        out.append(pattern)
    if len(out) > 1:
        notes.append(f"{where}: alternatives written A/B expanded into {len(out)} patterns")
    return out, False


def read_dictionary() -> Dictionary:
    """Parse CAMEO.2.0.txt."""
    lines = list(enumerate(SOURCE.read_text(encoding="utf-8").splitlines(), start=1))
    start = next(n for n, t in lines if t.startswith("####### SYNONYM SETS"))
    verbs_at = next(n for n, t in lines if t.startswith("####### VERB PATTERNS"))
    end = next(n for n, t in lines if t.startswith("######## TRANSFORMATIONS"))
    synsets, no_plural = read_synsets(lines[start : verbs_at - 1])
    valid = cameo_codes()
    notes: list[str] = []
    result = Dictionary(synsets, no_plural, [], notes)
    block: Block | None = None
    for number, text in lines[verbs_at : end - 1]:
        if not text.strip() or text.startswith("#"):
            continue
        if text.startswith("---"):
            header = HEADER.match(text)
            if not header:
                raise ValueError(f"line {number}: cannot read block header {text!r}")
            code, reverse = split_code(header.group("code"), valid, f"line {number}", notes)
            block = Block(header.group("name").lower(), code, reverse)
            result.blocks.append(block)
        elif block is None:
            raise ValueError(f"line {number}: text before the first block")
        elif text.startswith("-"):
            patterns, null = read_pattern(number, text, synsets, valid, notes)
            result.skipped_null += null
            for pattern in patterns:
                if pattern in block.patterns:
                    result.duplicates += 1
                else:
                    block.patterns.append(pattern)
        elif text.startswith("~"):
            raise ValueError(f"line {number}: transformation outside its section")
        elif strip_comment(text, semicolon=True).strip():
            line = strip_comment(text, semicolon=True).strip()
            if line != strip_comment(text).strip():
                notes.append(f"line {number}: ';' starts a comment (TABARI style)")
            verb = read_verb(number, line, block, valid, notes)
            same = next(
                (
                    v
                    for v in block.verbs
                    if (v.lemma, v.particle, v.code, v.reverse)
                    == (verb.lemma, verb.particle, verb.code, verb.reverse)
                ),
                None,
            )
            if same is None:
                block.verbs.append(verb)
            else:  # the same verb listed twice in a block: one entry, forms merged
                notes.append(
                    f"line {number}: {verb.lemma} repeats line {same.line} of its block; merged"
                )
                if verb.forms is not None:
                    same.forms = (same.forms or []) + [
                        f for f in verb.forms if f not in (same.forms or [])
                    ]
    return result


def scalar(text: str) -> str:
    """A YAML scalar: plain when that is unambiguous, else double-quoted."""
    if PLAIN.match(text) and text not in YAML_RESERVED and "  " not in text:
        return text
    return json.dumps(text)


def flow(item: object) -> str:
    """A YAML flow rendering of a pattern, item or list."""
    if isinstance(item, str):
        return scalar(item)
    if isinstance(item, list):
        return "[" + ", ".join(flow(i) for i in item) + "]"
    if isinstance(item, dict):
        parts = []
        for key, value in item.items():
            text = json.dumps(value) if key in QUOTED else flow(value)
            parts.append(f"{key}: {text}")
        return "{" + ", ".join(parts) + "}"
    raise TypeError(type(item))


def entries(dictionary: Dictionary) -> dict[str, list[tuple[Block, Verb]]]:
    """lemma -> its (block, verb line) pairs in source order, lemmas sorted."""
    by_lemma: dict[str, list[tuple[Block, Verb]]] = {}
    for block in dictionary.blocks:
        for verb in block.verbs:
            by_lemma.setdefault(verb.lemma, []).append((block, verb))
    return dict(sorted(by_lemma.items()))


def entry_dict(block: Block, verb: Verb) -> dict[str, object]:
    """The YAML mapping of one verb entry (as loaded)."""
    out: dict[str, object] = {}
    if verb.code:
        out["code"] = verb.code
    if verb.reverse:
        out["reverse"] = verb.reverse
    if verb.particle:
        out["particle"] = verb.particle
    if verb.forms is not None:
        out["forms"] = verb.forms
    out["patterns"] = block.patterns
    return out


def data() -> dict[str, object]:
    """The structure the YAML file loads as (for tests)."""
    dictionary = read_dictionary()
    return {
        "synsets": dictionary.synsets,
        "no_plural": dictionary.no_plural,
        "verbs": {
            lemma: [entry_dict(b, v) for b, v in pairs]
            for lemma, pairs in entries(dictionary).items()
        },
    }


SCHEMA = """\
# Schema:
#   synsets:   name -> member phrases (sorted). Synset names are lower case and keep inner
#              "_" (so "&fight_of_words" stays one word); members are lower-case phrases.
#   no_plural: name -> members spelled with a trailing "_" (or all, for a name ending in
#              "_"). PETRARCH2 also matched the regular plural (y -> ies, s -> es, else +s) of
#              the other one-word members.
#   verbs:     lemma -> list of entries, one per verb line (a verb in several blocks has
#              several). Lemma = the verb's base form as listed, lower case; for a
#              multi-word verb ("+ASK_FOR") its first word. Entry keys:
#     code:     the verb line's own CAMEO code, else the block's; absent when none ([---])
#     reverse:  the reverse-direction code of [code:reverse] (source and target swapped)
#     particle: for multi-word verbs, the words after the verb ("for" in "ask for")
#     forms:    the irregular forms as listed (for a multi-word verb, whole phrases:
#               "asked for"). Absent: the regular -s/-ed/-ing forms apply. [] (from "{}"):
#               the verb has no other forms.
#     patterns: the patterns of the verb's PETRARCH block in source order, shared by all
#               the block's verbs (a YAML anchor named after the block on first use,
#               aliases after). Each has code and/or reverse (as above), and before and
#               after: the items before and after the verb, in order (absent when none).
#   A pattern item is either a string or {prep: word, words: [items]} for a prepositional
#   phrase. A string is a word, a contiguous phrase (words separated by spaces, from
#   "{...}" or "_"), "&name" for a synonym set (also as a word inside a phrase), or a
#   marker: "$" source, "+" target, "^" skip a phrase, "%" compound source and target.
#   Separate items are successive phrases (PETRARCH2 matched them as heads of the noun
#   phrases around the verb, not as adjacent words). A pattern with neither before nor
#   after codes the verb alone. A block may give the same words more than one code; all
#   such patterns are kept in order (PETRARCH2 used the last).
"""


def conflicts(block: Block) -> int:
    """How many word sequences of a block carry more than one code."""
    codes: dict[str, set[tuple[object, object]]] = {}
    for p in block.patterns:
        key = repr((p.get("before"), p.get("after")))
        codes.setdefault(key, set()).add((p.get("code"), p.get("reverse")))
    return sum(len(c) > 1 for c in codes.values())


def build() -> str:
    """Return the YAML text of cameo_verbs.yaml."""
    dictionary = read_dictionary()
    by_lemma = entries(dictionary)
    n_patterns = sum(len(b.patterns) for b in dictionary.blocks)
    n_entries = sum(len(v) for v in by_lemma.values())
    out = [
        "# Generated by tools/build_verbs.py from ontology/sources/CAMEO.2.0.txt (PETRARCH2's",
        "# CAMEO verb dictionary; MIT, Copyright (c) 2015 Open Event Data Alliance; see",
        "# ontology/SOURCES.md). Do not edit by hand: change the script or its input and rebuild.",
        f"# {len(by_lemma)} verbs in {n_entries} entries, {len(dictionary.blocks)} blocks, "
        f"{n_patterns} patterns, {len(dictionary.synsets)} synonym sets.",
        "#",
        *SCHEMA.splitlines(),
        "#",
        f"# Left out: {dictionary.skipped_null} patterns coded [---] (no event) and "
        f"{dictionary.duplicates} repeated patterns of a block.",
        f"# Kept: {sum(conflicts(b) for b in dictionary.blocks)} word sequences that a block "
        "codes twice or more.",
        "# Notes on the source (line numbers of CAMEO.2.0.txt):",
        *(f"#   {note}" for note in dictionary.notes),
        "",
        "synsets:",
    ]
    for name, members in dictionary.synsets.items():
        out.append(f"  {scalar(name)}:")
        out += [f"    - {scalar(m)}" for m in members]
    out.append("no_plural:")
    for name, members in dictionary.no_plural.items():
        out.append(f"  {scalar(name)}: {flow(members)}")
    out.append("verbs:")
    anchored: set[str] = set()
    for lemma, pairs in by_lemma.items():
        out.append(f"  {scalar(lemma)}:")
        for block, verb in pairs:
            entry = entry_dict(block, verb)
            patterns = entry.pop("patterns")
            assert isinstance(patterns, list)
            lines = [
                f"{key}: {json.dumps(value) if key in QUOTED else flow(value)}"
                for key, value in entry.items()
            ]
            if not patterns:
                lines.append("patterns: []")
            elif block.name in anchored:
                lines.append(f"patterns: *{block.name}")
            else:
                anchored.add(block.name)
                lines.append(f"patterns: &{block.name}")
                lines += [f"  - {flow(p)}" for p in patterns]
            out.append(f"    - {lines[0]}")
            out += [f"      {line}" for line in lines[1:]]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the generated file."""
    return write_or_check(build, DEFAULT_OUT, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
