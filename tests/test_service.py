"""mapper/service.py: which statements the service must answer, marked or inferred from their words."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper import design, load_project

ROOMS = "There are no rooms available for group sessions"  # B2 of the fixture: environmental context


def _say(project: Path, statement: str, extra: str = "") -> None:
    path = project / "barriers.yaml"
    text = path.read_text(encoding="utf-8")
    assert ROOMS in text
    path.write_text(text.replace(ROOMS, statement + extra), encoding="utf-8")


# each case: what B2 says (still coded to environmental context) and whether the service must answer it
CASES = [
    ("The order form has the routine tests pre-ticked, so they are ordered for everyone", True),  # the form
    ("Nobody is responsible for the rota, so group sessions never get a slot in the job plan", True),  # rota
    ("I forget to think about it when I am with a patient", False),  # the clinician's own memory
    ("It is not agreed who does which step, and registering each patient takes too long", True),  # the work
]


@pytest.mark.parametrize(("statement", "service"), CASES)
def test_a_cause_the_service_owns_goes_to_the_service(project: Path, statement: str, service: bool) -> None:
    _say(project, statement)
    d = design(load_project(project))
    route = next(r for r in d.routes if r.barrier == "barrier:B2")
    warned = [w for w in d.warnings if w.startswith("B2: sent to the service")]
    assert (route.destination == "service") is service, route
    assert bool(warned) is service
    if service:
        assert "mark it 'about: service' to confirm, or 'about: practice'" in warned[0]


def test_a_service_cause_makes_restructuring_deliverable(project: Path) -> None:
    _say(project, CASES[0][0], extra="\n    about: practice")  # the clinicians' own: no service
    before = design(load_project(project))
    infeasible = next(c for c in before.candidates["barrier:B2"] if c.technique == "bct:12.1")
    assert not infeasible.feasible  # a course or a message cannot restructure a workplace
    _say_again(project, "\n    about: practice", "")
    after = design(load_project(project))
    c = next(c for c in after.candidates["barrier:B2"] if c.technique == "bct:12.1")
    assert c.feasible and c.reason.startswith("service only: an implementation strategy for the service carries it")


def _say_again(project: Path, old: str, new: str) -> None:
    path = project / "barriers.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(("about", "destination"), [("practice", "course"), ("service", "service")])
def test_the_team_can_overrule_the_inference(project: Path, about: str, destination: str) -> None:
    statement = CASES[0][0] if about == "practice" else CASES[2][0]
    _say(project, statement, extra=f"\n    about: {about}")
    d = design(load_project(project))
    route = next(r for r in d.routes if r.barrier == "barrier:B2")
    assert route.destination == destination, route
    assert not [w for w in d.warnings if w.startswith("B2: sent to the service")]


def test_a_knowledge_statement_is_never_inferred_as_the_services(project: Path) -> None:
    _say(project, CASES[0][0])
    path = project / "barriers.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(CASES[0][0])
    old = "[environmental-context-and-resources]"
    domains = text.index(old, start)
    path.write_text(text[:domains] + "[knowledge]" + text[domains + len(old) :], encoding="utf-8")
    d = design(load_project(project))
    assert next(r for r in d.routes if r.barrier == "barrier:B2").destination != "service"


def test_a_service_support_names_the_change_and_speaks_to_the_service(project: Path) -> None:
    _say(project, CASES[0][0])
    d = design(load_project(project))
    mine = [s for s in d.supports if "barrier:B2" in s.barriers]
    assert mine and all(s.audience == "managers" for s in mine)  # the audience no behaviour names
    change = dict(mine[0].changes)["barrier:B2"]
    # the fixture's behaviour is to start running groups: the change makes it the default where it is decided
    assert change.startswith("Make running the group programme for patients the default where the decision is made")
    assert all(s.steps and not any("pack" in step or "template" in step.split()[0] for step in s.steps) for s in mine)


# each case: a behaviour's "what" and the short name titles use when it has no label
GERUNDS = [
    ("run the group programme", "running the group programme"),  # a doubled consonant
    ("request tests only when guidance says they help, and act on it", "requesting tests"),  # the first clause
    ("register for and complete the course", "registering for and completing the course"),  # two verbs
    ("assess post-traumatic amnesia", "assessing post-traumatic amnesia"),
    ("give no antibiotic", "giving no antibiotic"),  # a silent e dropped
    ("refer patients", "referring patients"),  # stress on the last syllable
    ("offer a plan", "offering a plan"),
    ("tie the knot", "tying the knot"),
]


@pytest.mark.parametrize(("what", "short"), GERUNDS)
def test_a_behaviour_without_a_label_reads_as_a_gerund(what: str, short: str) -> None:
    from mapper.project import BehaviourIn

    assert BehaviourIn(id="b", who="clinicians", what=what).short == short
    assert BehaviourIn(id="b", who="clinicians", what=what, label="my label").short == "my label"


def test_the_service_audience_hears_what_to_make_possible(project: Path) -> None:
    # no behaviour of the fixture names the managers; B2 sent to the service by its words gives them messages
    _say(project, CASES[0][0])
    d = design(load_project(project))
    use = [m for m in d.messages if m.audience == "managers" and m.stage == "use"]
    assert use and all(
        "for the service to make running the group programme for patients possible at work" in m.text for m in use
    )
    assert all("barrier:B2" in m.barriers for m in use)


def test_absent_data_never_reads_as_real(project: Path) -> None:
    import json

    from mapper import design_json

    (project / "evidence.yaml").write_text("reviews: []\n", encoding="utf-8")
    text = (project / "project.yaml").read_text(encoding="utf-8")
    (project / "project.yaml").write_text(text.split("key_facts:")[0], encoding="utf-8")  # facts cite reviews
    status = json.loads(design_json(design(load_project(project))))["data_status"]
    assert status["evidence"]["status"] == "none" and status["evaluation"]["status"] == "none"
    assert status["interviews"]["status"] == "real"
