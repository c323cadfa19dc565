"""Salience and priority, hand-computed on the fixture project."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from barriers import CodedData, SalienceRule, load_coded, salience
from ontology import Frameworks

PROJECT = Path(__file__).parent / "data" / "project"


def test_domains_hand_computed(frameworks: Frameworks) -> None:
    result = salience(load_coded(PROJECT, frameworks), frameworks)
    by_id = {d.domain: d for d in result.domains}
    emotion = by_id["tdf:emotion"]
    assert (emotion.participants, emotion.excerpts, emotion.beliefs, emotion.priority) == (2, 3, 1, True)
    assert emotion.reasons == ("2 of 4 participants (50%) >= 25% and 3 excerpts >= 2", "flagged strong: B1")
    env = by_id["tdf:environmental-context-and-resources"]
    assert (env.barriers, env.enablers, env.conflicting, env.priority) == (1, 1, True, True)
    skills = by_id["tdf:skills"]
    assert (skills.participants, skills.excerpts, skills.priority, skills.reasons) == (1, 1, False, ())


def test_barriers_hand_computed(frameworks: Frameworks) -> None:
    result = salience(load_coded(PROJECT, frameworks), frameworks)
    got = {k: (v.salience, v.priority) for k, v in result.barriers.items()}
    assert got == {
        "barrier:B1": (0.85, True),  # 0.7 x 2/4 + 0.3 x 3/3 + 0.2 (strong)
        "barrier:B2": (0.55, True),  # 0.7 x 2/4 + 0.3 x 2/3
        "barrier:B3": (0.275, False),  # 0.7 x 1/4 + 0.3 x 1/3; Skills is not a priority domain
        "barrier:EN1": (0.275, True),  # enablers are kept and reinforced
    }


def test_rule_is_configurable(frameworks: Frameworks) -> None:
    data = load_coded(PROJECT, frameworks)
    strict = salience(data, frameworks, SalienceRule(min_participant_share=0.6))
    by_id = {d.domain: d for d in strict.domains}
    assert by_id["tdf:emotion"].priority  # still: flagged strong
    # 50% < 60%: no longer frequent, but still contested (50% >= 60% / 2)
    assert by_id["tdf:environmental-context-and-resources"].reasons == (
        "conflicting beliefs (1 barrier, 1 enabler) voiced by 50% >= 30%",
    )
    stricter = salience(data, frameworks, SalienceRule(min_participant_share=1.0, min_excerpts=99))
    # not frequent (50% < 100%), but the contested rule still holds at its edge: 50% >= 100% / 2
    assert {d.domain: d for d in stricter.domains}["tdf:environmental-context-and-resources"].priority


def test_rule_refuses_out_of_range(frameworks: Frameworks) -> None:
    import pydantic

    with pytest.raises(pydantic.ValidationError):
        SalienceRule(min_participant_share=1.1)  # a share lies in [0, 1]


def test_raising_participants_never_lowers_salience(frameworks: Frameworks) -> None:
    data = load_coded(PROJECT, frameworks)
    before = salience(data, frameworks).barriers["barrier:B3"].salience
    b3 = data.barrier("B3")
    assert b3 is not None
    more = replace(
        data, barriers=tuple(replace(b, excerpts=(*b.excerpts, "E1")) if b.id == "B3" else b for b in data.barriers)
    )
    assert salience(more, frameworks).barriers["barrier:B3"].salience > before


def test_without_excerpts_every_statement_counts(frameworks: Frameworks) -> None:
    data = load_coded(PROJECT, frameworks)
    bare = replace(data, excerpts=(), barriers=tuple(replace(b, excerpts=()) for b in data.barriers))
    result = salience(bare, frameworks)
    assert all(b.priority for b in result.barriers.values())
    assert result.barriers["barrier:B1"].salience == 0.7  # 0.5 + 0.2 for the strong flag


SMALL = Path(__file__).parent / "data" / "small" / "barriers.yaml"  # six excerpts, each domain coded once


def _small(tmp_path: Path, frameworks: Frameworks) -> CodedData:
    (tmp_path / "barriers.yaml").write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    return load_coded(tmp_path, frameworks)


def test_a_small_project_gets_a_threshold_of_its_size(tmp_path: Path, frameworks: Frameworks) -> None:
    # six excerpts, each domain coded once: at min_excerpts 2 nothing is a priority; the fitted rule says so
    result = salience(_small(tmp_path, frameworks), frameworks)
    assert result.rule.min_excerpts == 1
    assert [k for k, v in result.barriers.items() if v.priority] == ["barrier:B1", "barrier:B2", "barrier:B3"]
    assert result.notes == (
        "a small project (6 excerpts, fewer than 20) with no priority at min_excerpts 2: a domain needs 1 excerpt "
        "to be frequent here — set salience.min_excerpts in project.yaml to choose another",
    )


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # min_excerpts set by the project: kept, and the note names the value that would do
        (
            SalienceRule(min_excerpts=2),
            "no statement is a priority, so the design targets none: no TDF domain meets the rule (the best, "
            "Knowledge, has 1 of 4 participants (25%; needs 25%) and 1 excerpt(s) (needs 2)) — set "
            "salience.min_excerpts: 1 (now 2) in project.yaml, or flag a statement the team judges strong with "
            "strength: high",
        ),
        # too high a participant share: the note names the share that would do
        (
            SalienceRule(min_excerpts=1, min_participant_share=0.5),
            "no statement is a priority, so the design targets none: no TDF domain meets the rule (the best, "
            "Knowledge, has 1 of 4 participants (25%; needs 50%) and 1 excerpt(s) (needs 1)) — set "
            "salience.min_participant_share: 0.25 (now 0.5) in project.yaml, or flag a statement the team judges "
            "strong with strength: high",
        ),
        # domains are priorities but no statement has enough participants behind it
        (
            SalienceRule(min_excerpts=1, min_barrier_participants=2),
            "no statement is a priority, so the design targets none: B1, B2, B3, B4 are voiced by fewer than "
            "min_barrier_participants (2) participants — link each to its excerpts (excerpts: [...]), or set "
            "salience.min_barrier_participants: 1 (now 2) in project.yaml",
        ),
    ],
)
def test_no_priority_names_the_setting(
    tmp_path: Path, frameworks: Frameworks, rule: SalienceRule, expected: str
) -> None:
    result = salience(_small(tmp_path, frameworks), frameworks, rule)
    assert not any(v.priority for v in result.barriers.values())
    assert result.notes == (expected,)


def test_a_project_with_priorities_has_no_note(frameworks: Frameworks) -> None:
    assert salience(load_coded(PROJECT, frameworks), frameworks).notes == ()
