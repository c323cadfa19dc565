"""mapper/campaign.py: messages by stage, audience and channel, each with a call to action; facts only when true."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from mapper import Design, design, load_project

ROOT = Path(__file__).resolve().parent.parent
BEST = ROOT / "examples" / "best"


@functools.cache
def best() -> Design:
    return design(load_project(BEST))


def _edit(folder: Path, old: str, new: str) -> None:
    path = folder / "project.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_supporters_are_never_asked_to_take_the_course() -> None:
    managers = [m for m in best().messages if m.audience == "managers"]
    assert managers and {m.stage for m in managers} <= {"awareness", "registration", "use"}
    assert not any("Register now" in m.text for m in managers)


def test_no_message_promises_a_course_activity_the_course_lacks() -> None:
    d = best()
    in_course = {t for m in d.modules for t in m.techniques}
    library = d.project.library.techniques
    for m in d.messages:
        pack = {t for s in d.supports if s.audience == m.audience for t in s.techniques}
        for t in m.techniques:
            if t in pack:
                continue  # the implementation pack's techniques are the service's, not course activities
            template = library[t].message
            if template is not None and template.course_feature:
                assert t in in_course, (m.id, t)


def test_supporters_at_the_use_stage_are_pointed_to_the_service_supports() -> None:
    # BeST's B8 (group classes are hard to schedule) is the service's: a service support, and its messages
    pack = [m for m in best().messages if m.audience == "managers" and m.stage == "use"]
    assert pack and all("what the service puts in place" in m.text.lower() for m in pack)
    assert not any("implementation pack" in m.text.lower() for m in best().messages)  # no such thing is made
    assert all("barrier:B8" in m.barriers for m in pack)
    assert all(set(m.techniques) >= {"bct:12.1"} or "bct:12.2" in m.techniques for m in pack)


def test_each_channel_has_its_own_form() -> None:
    forms = {m.channel: m.form for m in best().messages}
    assert forms == {
        "conference": "abstract",
        "trade-press": "pitch",
        "social-media": "post",
        "email": "email",
        "evidence-brief": "brief",
    }
    for m in best().messages:
        if m.form == "brief":
            assert "Sources:" in m.text and "What we ask of you:" in m.text
        if m.form == "pitch":
            # a slot the designer fills, never an invented quote; before launch nobody has done the course yet,
            # so the quote is the clinical lead's, who exists whatever the project
            slot = "[quote: the course's clinical lead" if m.stage in ("awareness", "registration") else "[testimonial:"
            assert slot in m.text, m.id


def test_a_missing_url_is_a_placeholder_and_a_warning(project: Path) -> None:
    d = design(load_project(project))
    assert all("[course link]" in m.text for m in d.messages)
    assert any("campaign.url is not set" in w for w in d.warnings)


def test_a_fact_true_after_launch_appears_only_after_launch(project: Path) -> None:
    _edit(
        project,
        "key_facts:\n",
        "campaign: {url: 'https://example.org/c'}\nkey_facts:\n"
        "  - {id: later, text: 'Nine in ten learners finished.', source: own-evaluation, available: after-launch}\n",
    )
    d = design(load_project(project))
    quoting = {m.stage for m in d.messages if "Nine in ten" in m.text}
    assert quoting <= {"completion", "use"}
    assert all("https://example.org/c" in m.text for m in d.messages)


def test_after_the_course_learners_are_asked_to_do_what_it_taught() -> None:
    made = design(load_project(ROOT / "examples" / "antibiotics"))
    after = [m for m in made.messages if m.stage == "use" and m.audience == "prescribers"]
    assert after
    # not "the next step is to register for and complete the online course" once it is finished
    assert all("next step is to give no antibiotic prescription" in m.text for m in after)


def test_a_course_is_described_by_the_practice_it_teaches(project: Path) -> None:
    # the fixture's audiences give no value: the fallback names the practice, never taking the course itself
    d = design(load_project(project))
    hooks = [m.text for m in d.messages if m.audience == "physios" and m.stage == "awareness" and m.form != "abstract"]
    assert hooks and all(t.startswith("An online course on running the group programme for patients.") for t in hooks)
    assert not any("course on completing" in m.text or "course on how to complete" in m.text for m in d.messages)


@pytest.mark.parametrize(
    ("kind", "ask"),
    [
        ("start", "Choose where you will start, and put a date in your diary"),
        ("stop", "At your next clinic, check the criteria before you order"),
        ("substitute", "At your next clinic, use the new way first"),
    ],
)
def test_the_use_stage_asks_for_a_concrete_first_step(project: Path, kind: str, ask: str) -> None:
    path = project / "project.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  - id: deliver-best\n", f"  - id: deliver-best\n    kind: {kind}\n"),
        encoding="utf-8",
    )
    d = design(load_project(project))
    use = [m for m in d.messages if m.stage == "use" and m.audience == "physios"]
    assert use and {m.cta for m in use} == {ask}
    assert not any("brief" in m.cta.lower() or "pack" in m.cta.lower() for m in d.messages)


def test_study_time_is_said_as_the_course_has_it() -> None:
    d = best()
    hours, rest = divmod(round(d.course_minutes / 5) * 5, 60)
    said = f"about {hours} hours" + (f" {rest} minutes" if rest else "")
    register = [m for m in d.messages if m.stage == "registration" and m.audience == "physios"]
    assert register and all(said in m.text for m in register if m.form != "post")
    # an evidence brief does not say the course's size twice
    assert all(m.text.count(said) <= 1 for m in d.messages if m.form == "brief")
