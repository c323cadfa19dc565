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
        ("bct:6.1", "", 0.75),  # 0.5 + 0.25 x high(1.0) x benefit; the mode comparison adds nothing
        ("bct:4.1", "", 0.84375),  # 0.5 + 0.25 x 1.0 + 0.25 x moderate(0.75) x indirect(0.5): unstated, no population
        ("bct:4.1", "health professionals", 0.9375),  # the unstated finding's population matches: direct
        ("bct:4.1", "low back pain", 0.84375),  # it does not match: indirect
        ("bct:10.10", "", 0.3125),  # 0.5 - 0.25 x 0.75 (harm, stated direct)
        ("bct:10.10", "low back pain", 0.3125),  # a stated applicability is not second-guessed by population
        ("bct:9.1", "", 0.5),  # no difference leaves it neutral
        ("bct:1.1", "", 0.5),  # no finding at all: neutral
    ],
)
def test_scores_hand_computed(library: Library, technique: str, population: str, score: float) -> None:
    evidence = load_evidence(DATA / "evidence.yaml", library)
    assert evidence.score(technique, EvidenceSettings(population=population)).score == score


def test_mode_comparison_is_listed_but_adds_nothing(library: Library) -> None:
    evidence = load_evidence(DATA / "evidence.yaml", library)
    te = evidence.score("bct:6.1")
    assert [(rid, f.applicability) for rid, f in te.findings] == [
        ("trial2010", "direct"),
        ("review2017", "mode-comparison"),
    ]
    assert te.contributions == (0.25, 0.0) and te.applicability == ("direct", "mode-comparison")
    # it is not a supportedBy link: a module built on 6.1 does not cite it as evidence that 6.1 works
    assert [link.to_id for link in evidence.links if link.from_id == "bct:6.1"] == ["review:trial2010"]


def _one_finding(tmp_path: Path, applicability: str) -> Path:
    path = tmp_path / f"{applicability or 'unstated'}.yaml"
    line = f", applicability: {applicability}" if applicability else ""
    path.write_text(
        "reviews:\n  - id: r\n    citation: c\n    population: nurses\n    findings:\n"
        f"      - {{techniques: [2.2], outcome: o, direction: benefit, certainty: high{line}}}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("applicability", "population", "score"),
    [
        ("direct", "", 0.75),  # full weight
        ("indirect", "", 0.625),  # half weight: tested elsewhere
        ("mode-comparison", "", 0.5),  # nothing: how to deliver, not whether it works
        ("", "", 0.625),  # unstated, no project population: counted as indirect, never silently direct
        ("", "nurses", 0.75),  # unstated, the review's population matches the project's: direct
    ],
)
def test_applicability_weights(
    library: Library, tmp_path: Path, applicability: str, population: str, score: float
) -> None:
    evidence = load_evidence(_one_finding(tmp_path, applicability), library)
    assert evidence.score("bct:2.2", EvidenceSettings(population=population)).score == score


def test_indirect_counts_less_than_direct(library: Library, tmp_path: Path) -> None:
    direct = load_evidence(_one_finding(tmp_path, "direct"), library).score("bct:2.2").score
    indirect = load_evidence(_one_finding(tmp_path, "indirect"), library).score("bct:2.2").score
    mode = load_evidence(_one_finding(tmp_path, "mode-comparison"), library).score("bct:2.2").score
    assert direct > indirect > mode == EvidenceSettings().neutral


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
    # an applicability outside the vocabulary, at its line, with the allowed words
    (
        "reviews:\n  - id: a\n    citation: c\n    findings:\n      - techniques: [1.1]\n        outcome: o\n"
        "        direction: benefit\n        applicability: online\n",
        [
            "{p}:8: reviews[0].findings[0].applicability: Input should be 'direct', 'indirect' or 'mode-comparison' "
            "(got 'online')"
        ],
    ),
    # a misspelt field
    (
        "reviews:\n  - id: a\n    citaton: c\n",
        [
            "{p}:2: reviews[0].citation: required field is missing — add it",
            "{p}:3: reviews[0].citaton: unknown field — did you mean 'citation'?",
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
