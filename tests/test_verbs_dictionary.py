"""Checks of ingest/dictionaries/cameo_verbs.yaml, built by tools/build_verbs.py from
PETRARCH2's CAMEO verb dictionary: it is reproducible, loads as built, covers every CAMEO
root with valid codes, and reads the dictionary's syntax as the file's header says."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
SOURCE = ROOT / "ontology" / "sources" / "CAMEO.2.0.txt"
OUT = ROOT / "ingest" / "dictionaries" / "cameo_verbs.yaml"
SOURCE_BLOB = "f15f1766c6115b7fb2f797200c1ae42e037364b0"  # upstream git blob
MARKERS = {"$", "+", "^", "%"}


@pytest.fixture(scope="module")
def verbs() -> dict:
    with OUT.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@pytest.fixture(scope="module")
def cameo_codes() -> set[str]:
    text = (ROOT / "ontology" / "cameo.ttl").read_text(encoding="utf-8")
    return set(re.findall(r'evkg:cameoCode "(\d+)"', text))


def entries(verbs: dict, lemma: str) -> list[dict]:
    return verbs["verbs"][lemma]


def all_patterns(verbs: dict) -> Iterator[dict]:
    """Every pattern once (the verbs of a block share one list)."""
    seen: set[int] = set()
    for pairs in verbs["verbs"].values():
        for entry in pairs:
            if id(entry["patterns"]) not in seen:
                seen.add(id(entry["patterns"]))
                yield from entry["patterns"]


def words_of(items: list) -> Iterator[str]:
    """Every word of a pattern side, prepositional phrases included."""
    for item in items:
        if isinstance(item, dict):
            yield item["prep"]
            yield from words_of(item["words"])
        else:
            yield from item.split()


def pattern_codes(pattern: dict) -> list[str]:
    return [pattern[k] for k in ("code", "reverse") if k in pattern]


def block_patterns(verbs: dict, lemma: str, code: str | None = None) -> list[dict]:
    """The patterns of the (first) block of a verb, optionally the one with that verb code."""
    for entry in entries(verbs, lemma):
        if code is None or entry.get("code") == code:
            return entry["patterns"]
    raise KeyError(lemma)


# ---------------------------------------------------------------------------
# Provenance and reproducibility
# ---------------------------------------------------------------------------


def test_source_is_the_upstream_blob() -> None:
    data = SOURCE.read_bytes()
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    assert blob == SOURCE_BLOB


def test_build_script_reproduces_committed_file() -> None:
    result = subprocess.run(
        [sys.executable, str(TOOLS / "build_verbs.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_file_loads_as_the_script_builds_it(verbs: dict) -> None:
    sys.path.insert(0, str(TOOLS))
    try:
        import build_verbs
    finally:
        sys.path.remove(str(TOOLS))
    assert verbs == build_verbs.data()


def test_header_names_source_and_licence() -> None:
    head = OUT.read_text(encoding="utf-8")[:600]
    assert "tools/build_verbs.py" in head
    assert "ontology/sources/CAMEO.2.0.txt" in head
    assert "MIT, Copyright (c) 2015 Open Event Data Alliance" in head
    assert "Do not edit by hand" in head


# ---------------------------------------------------------------------------
# Coverage and validity
# ---------------------------------------------------------------------------


def test_every_cameo_root_has_a_verb_or_pattern(verbs: dict) -> None:
    roots = {e["code"][:2] for pairs in verbs["verbs"].values() for e in pairs if "code" in e}
    roots |= {code[:2] for p in all_patterns(verbs) for code in pattern_codes(p)}
    assert roots >= {f"{n:02d}" for n in range(1, 21)}


def test_codes_are_cameo_codes(verbs: dict, cameo_codes: set[str]) -> None:
    bad = []
    for lemma, pairs in verbs["verbs"].items():
        for entry in pairs:
            bad += [(lemma, c) for c in pattern_codes(entry) if c not in cameo_codes]
            for pattern in entry["patterns"]:
                codes = pattern_codes(pattern)
                assert codes, f"{lemma}: pattern without a code: {pattern}"
                bad += [(lemma, c) for c in codes if c not in cameo_codes]
    assert not bad


def test_source_codes_missing_from_cameo_are_reported(cameo_codes: set[str]) -> None:
    """Codes of the source that CAMEO lacks are left out and named in the output header."""
    source = SOURCE.read_text(encoding="utf-8").split("######## TRANSFORMATIONS")[0]
    codes = {
        code
        for bracket in re.findall(r"\[([0-9:!]+)\]", source)
        for code in bracket.split(":")
        if code
    }
    header = "".join(
        line for line in OUT.read_text(encoding="utf-8").splitlines(True) if line.startswith("#")
    )
    missing = {c for c in codes if c not in cameo_codes}
    assert missing == {"176", "1952", "080!"}  # the source's, as of the committed copy
    for code in missing:
        assert f"code {code} is not a CAMEO code" in header or f"[{code}]" in header


def test_referenced_synsets_exist(verbs: dict) -> None:
    synsets = verbs["synsets"]
    used = {
        word[1:]
        for p in all_patterns(verbs)
        for side in ("before", "after")
        for word in words_of(p.get(side, []))
        if word.startswith("&")
    }
    assert used, "no pattern names a synonym set"
    assert used <= set(synsets), used - set(synsets)
    assert set(verbs["no_plural"]) <= set(synsets)
    for name, members in verbs["no_plural"].items():
        assert set(members) <= set(synsets[name]), name


def test_words_are_normalised(verbs: dict) -> None:
    """Lower case, no underscores or brackets; markers only as whole items."""
    for p in all_patterns(verbs):
        assert set(p) <= {"code", "reverse", "before", "after"}
        for side in ("before", "after"):
            assert p.get(side, None) != [], "empty sides are left out"
            for item in p.get(side, []):
                strings = item["words"] if isinstance(item, dict) else [item]
                for text in strings:
                    assert isinstance(text, str) and text == " ".join(text.split())
                    if text in MARKERS:
                        continue
                    for word in text.split():
                        if word.startswith("&"):
                            continue  # checked by test_referenced_synsets_exist
                        assert re.fullmatch(r"[a-z0-9][a-z0-9'./-]*", word), (text, p)
    for name, members in verbs["synsets"].items():
        assert members == sorted(set(members)), name
        assert all(m == m.lower() and "_" not in m and m.strip() == m for m in members)
    for lemma, pairs in verbs["verbs"].items():
        assert lemma == lemma.lower() and " " not in lemma and "_" not in lemma
        for entry in pairs:
            assert set(entry) <= {"code", "reverse", "particle", "forms", "patterns"}
    assert list(verbs["verbs"]) == sorted(verbs["verbs"])


# ---------------------------------------------------------------------------
# Spot checks, written from the source's syntax rules
# ---------------------------------------------------------------------------


def test_irregular_forms_are_recorded(verbs: dict) -> None:
    # HURRY {HURRIES HURRYING HURRIED }
    assert entries(verbs, "hurry") == [
        {"forms": ["hurries", "hurrying", "hurried"], "patterns": block_patterns(verbs, "rush")}
    ]
    # a verb with no {...} has no forms key: the regular forms apply
    assert all("forms" not in e for e in entries(verbs, "rush"))
    # +ANGERED_BY {} : no other forms
    assert entries(verbs, "angered")[0]["forms"] == []


def test_multi_word_verb(verbs: dict) -> None:
    # +ASK_FOR {+ASKED_FOR +ASKING_FOR +ASKS_FOR} [020], in the block ASK [---]
    ask_for = [e for e in entries(verbs, "ask") if e.get("particle") == "for"]
    assert ask_for[0]["code"] == "020"
    assert ask_for[0]["forms"] == ["asked for", "asking for", "asks for"]
    # ASK [020] in the same block: its own code, and the block's patterns
    ask = [e for e in entries(verbs, "ask") if "particle" not in e]
    assert ask[0]["code"] == "020"
    assert ask[0]["patterns"] is ask_for[0]["patterns"]
    # a verb line without its own code takes the block's: --- ATTACK [190] ---
    assert any(e.get("code") == "190" for e in entries(verbs, "attack"))


def test_verb_in_several_blocks_has_several_entries(verbs: dict) -> None:
    # BRING is in the BRING block, +BRING_OUT in DESPATCH, +BRING_DOWN in FELL
    particles = [e.get("particle") for e in entries(verbs, "bring")]
    assert particles == [None, "out", "down"]


def test_null_codes(verbs: dict) -> None:
    # BACKLASH [---] in --- BACKLASH [---] ---: an entry without a code
    assert entries(verbs, "backlash") == [{"patterns": []}]
    # --- OFFEND [:110] ---: a reverse code only
    offend = entries(verbs, "offend")[0]
    assert "code" not in offend and offend["reverse"] == "110"
    # AVERT block: "- * INCIDENTS [---]" is left out, "- * {AIR_STRIKE} [013]" kept
    avert = block_patterns(verbs, "avert")
    assert {"after": ["incidents"]} not in [{"after": p.get("after")} for p in avert]
    assert avert[0] == {"code": "013", "after": ["air strike"]}


def test_patterns_of_a_block(verbs: dict) -> None:
    rush = block_patterns(verbs, "rush")  # --- ACCELERATE [---] ---
    assert rush is block_patterns(verbs, "accelerate")  # shared by the block's verbs
    # - * (TO)  [042:043]
    assert rush[0] == {"code": "042", "reverse": "043", "after": [{"prep": "to", "words": []}]}
    # - * {ARMS SHIPMENT}  [072]
    assert {"code": "072", "after": ["arms shipment"]} in rush
    # - * POLICE (TO BORDER)  [153]
    assert {"code": "153", "after": ["police", {"prep": "to", "words": ["border"]}]} in rush
    # - &MILITARY *  [154]
    assert {"code": "154", "before": ["&military"]} in rush
    # - * &WEAPON  [194]
    assert {"code": "194", "after": ["&weapon"]} in rush


def test_reverse_only_code_and_markers(verbs: dict) -> None:
    appear = block_patterns(verbs, "appear")
    # - * (BEFORE COURT)  [:173]
    assert {"reverse": "173", "after": [{"prep": "before", "words": ["court"]}]} in appear
    add = block_patterns(verbs, "add")
    # - * (TO {BANNED PARTIES}) $  [1722]
    assert {"code": "1722", "after": [{"prep": "to", "words": ["banned parties"]}, "$"]} in add
    # - * (TO LIST) (OF {BANNED PARTIES}) [1722]
    assert {
        "code": "1722",
        "after": [{"prep": "to", "words": ["list"]}, {"prep": "of", "words": ["banned parties"]}],
    } in add


def test_synsets(verbs: dict) -> None:
    synsets = verbs["synsets"]
    assert {"bomb", "missile", "rocket", "machine gun", "ak-47"} <= set(synsets["weapon"])
    assert "knife" in verbs["no_plural"]["weapon"]  # +KNIFE_
    assert "bomb" not in verbs["no_plural"]["weapon"]
    assert synsets["ceasefire"] == ["armistice", "cease fire", "cease-fire", "ceasefire", "truce"]
    # &AUXVERB1_: the set name's trailing "_" is dropped, and none of its members has a plural
    assert verbs["no_plural"]["auxverb1"] == synsets["auxverb1"] == ["been", "was", "were"]
