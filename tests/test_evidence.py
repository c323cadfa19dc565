"""Evidence from systematic reviews: loading, line-numbered errors and hand-computed scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from ontology import InputError, build
from techniques import EvidenceSettings, Library, load_evidence, load_library

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def test_loads_reviews_and_keeps_10_10_apart_from_10_1(library: Library) -> None:
    evidence = load_evidence(DATA / "evidence.yaml", library)
    assert [r.id for r in evidence.reviews] == ["trial2010", "review2017"]
    # YAML would read the unquoted 10.10 as the float 10.1; the loader keeps it as written
    assert set(evidence.by_technique) == {"bct:4.1", "bct:6.1", "bct:10.10", "bct:9.1"}
    assert evidence.reviews[0].findings[0].estimate == 1.3


@pytest.mark.parametrize(
    ("technique", "population", "score"),
    [
        ("bct:6.1", "", 0.75),  # 0.5 + 0.25 x high(1.0) x benefit
        ("bct:4.1", "", 0.9375),  # 0.5 + 0.25 x 1.0 + 0.25 x moderate(0.75)
        ("bct:10.10", "", 0.3125),  # 0.5 - 0.25 x 0.75 (harm)
        ("bct:9.1", "", 0.5),  # no difference leaves it neutral
        ("bct:1.1", "", 0.5),  # no finding at all: neutral
        ("bct:4.1", "low back pain", 0.84375),  # second review's population differs: its weight halves
    ],
)
def test_scores_hand_computed(library: Library, technique: str, population: str, score: float) -> None:
    evidence = load_evidence(DATA / "evidence.yaml", library)
    assert evidence.score(technique, EvidenceSettings(population=population)).score == score


def test_score_is_clamped(library: Library, tmp_path: Path) -> None:
    findings = "\n".join(
        "      - {techniques: [1.1], outcome: o, direction: benefit, certainty: high}" for _ in range(5)
    )
    path = tmp_path / "evidence.yaml"
    path.write_text(f"reviews:\n  - id: r\n    citation: c\n    findings:\n{findings}\n", encoding="utf-8")
    assert load_evidence(path, library).score("bct:1.1").score == 1.0


def test_reviews_join_the_knowledge_base(library: Library) -> None:
    evidence = load_evidence(DATA / "evidence.yaml", library)
    kb = build(library, evidence, frameworks=library.frameworks)
    assert kb.successors("bct:4.1", "supportedBy") == ["review:review2017", "review:trial2010"]
    assert kb.entity("review:trial2010").kind == "review"


BAD = [
    # an unknown technique number, at the line of the number
    (
        "reviews:\n  - id: a\n    citation: c\n    findings:\n      - techniques: [1.1,\n                     17.3]\n"
        "        outcome: o\n        direction: benefit\n",
        ["{p}:6: unknown BCT number '17.3' — BCT Taxonomy v1 numbers run from 1.1 to 16.3"],
    ),
    # a review without its citation
    ("reviews:\n  - id: a\n    findings: []\n", ["{p}:2: reviews[0].citation: required field is missing — add it"]),
    # a direction outside the vocabulary
    (
        "reviews:\n  - id: a\n    citation: c\n    findings:\n      - techniques: [1.1]\n        outcome: o\n"
        "        direction: up\n",
        [
            "{p}:7: reviews[0].findings[0].direction: Input should be 'benefit', 'no-difference', 'mixed' or 'harm' "
            "(got 'up')"
        ],
    ),
    # the same id twice
    (
        "reviews:\n  - id: a\n    citation: c\n  - id: a\n    citation: d\n",
        ["{p}:4: duplicate review id 'a' (first at line 2) — give each review its own id"],
    ),
    # a misspelt field
    (
        "reviews:\n  - id: a\n    citaton: c\n",
        [
            "{p}:2: reviews[0].citation: required field is missing — add it",
            "{p}:3: reviews[0].citaton: unknown field — remove it or check its spelling",
        ],
    ),
]


@pytest.mark.parametrize(("text", "messages"), BAD)
def test_bad_evidence(library: Library, tmp_path: Path, text: str, messages: list[str]) -> None:
    path = tmp_path / "evidence.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_evidence(path, library)
    assert [str(p) for p in info.value.problems] == [m.format(p=path) for m in messages]


def test_missing_file(library: Library, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="evidence.yaml: file not found — check the path"):
        load_evidence(tmp_path / "evidence.yaml", library)


def test_malformed_yaml_names_the_line(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "evidence.yaml"
    path.write_text("reviews:\n  - id: a\n   citation: c\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_evidence(path, library)
    # the wording in the middle is PyYAML's, and differs between its C and Python parsers
    assert str(info.value).startswith(f"{path}:3: malformed YAML: ")
    assert str(info.value).endswith(" — check indentation, colons and quotes")
