"""project.yaml and whole-project checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mapper import check_project, load_project

PROJECT = Path(__file__).parent / "data" / "project"


def test_loads_the_fixture() -> None:
    p = load_project(PROJECT)
    assert p.settings.name == "Test training project"
    assert p.excluded_functions == ("if:coercion", "if:restriction")
    assert p.use_bcw_route and set(p.library.link_sets) == {"tatt-2021", "carey-2019", "cane-2015", "michie-2008"}
    assert len(p.coded.barriers) == 4 and len(p.evidence.reviews) == 2


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "channels: [social-media, email, conference]",
            "channels: [social-media, emial]",
            "project.yaml:14: unknown channel 'emial' — did you mean 'email'?",
        ),
        (
            "exclude_functions: [coercion, restriction]",
            "exclude_functions: [coersion]",
            "project.yaml:16: unknown intervention function 'coersion' — did you mean 'coercion'?",
        ),
        (
            ", source: review:trial2010}",
            "}",
            "project.yaml:19: key_facts[0].source: required field is missing — add it",
        ),
        (
            "source: review:trial2010",
            "source: review:nope",
            "project.yaml:19: key fact 'trial' cites review:nope, which evidence.yaml does not list",
        ),
        (
            "max_modules: 3",
            "max_modules: 0",
            "project.yaml:15: delivery.max_modules: Input should be greater than or equal to 1 (got 0)",
        ),
        (  # a misspelt weight is refused, naming the closest setting
            "population: low back pain",
            "population: low back pain\nweights: {cover_treshold: 0.9}",
            "project.yaml:18: unknown setting 'cover_treshold' under weights — did you mean 'cover_threshold'?",
        ),
        (  # so is a misspelt salience setting
            "population: low back pain",
            "population: low back pain\nsalience: {min_excerpt: 3}",
            "project.yaml:18: unknown setting 'min_excerpt' under salience — did you mean 'min_excerpts'?",
        ),
        (  # a link set the project does not use is no weight
            "population: low back pain",
            "population: low back pain\nweights: {tatt-2012: 0.9}",
            "project.yaml:18: unknown setting 'tatt-2012' under weights — did you mean 'tatt-2021'?",
        ),
        (  # shares and thresholds lie in [0, 1]
            "population: low back pain",
            "population: low back pain\nweights: {bcw_route: 1.5}",
            "project.yaml:18: weights.bcw_route: Input should be less than or equal to 1",
        ),
        (  # counts are not negative
            "population: low back pain",
            "population: low back pain\nsalience: {min_excerpts: -1}",
            "project.yaml:18: salience.min_excerpts: Input should be greater than or equal to 0",
        ),
        (  # NaN is no number a setting may take
            "population: low back pain",
            "population: low back pain\nsalience: {floor: .nan}",
            "project.yaml:18: salience.floor: Input should be a valid number",
        ),
    ],
)
def test_bad_project_yaml(project: Path, old: str, new: str, expected: str) -> None:
    _edit(project / "project.yaml", old, new)
    problems = [str(p).replace(str(project) + "/", "") for p in check_project(project)]
    assert any(p.startswith(expected) for p in problems), problems


def test_unknown_target_behaviour(project: Path) -> None:
    _edit(project / "barriers.yaml", "behaviour: complete-training", "behaviour: complete-trainng")
    problems = [str(p) for p in check_project(project)]
    assert any(
        "barrier 'EN1' names target behaviour 'complete-trainng', which project.yaml does not define — did you"
        " mean 'complete-training'?" in p
        for p in problems
    ), problems


def test_statement_problems_name_its_own_file_and_line(project: Path) -> None:
    # a statement imported into coded/ is reported there, at its line, not in barriers.yaml
    (project / "coded").mkdir()
    (project / "coded" / "more.yaml").write_text(
        "barriers:\n"
        "  - id: X1\n"
        "    statement: Clinicians forget\n"
        "    valence: barrier\n"
        "    domains: [memory-attention-and-decision-processes]\n"
        "  - id: X2\n"
        "    statement: Clinicians doubt it works\n"
        "    valence: barrier\n"
        "    domains: [beliefs-about-consequences]\n"
        "    behaviour: run-groups\n"
        "    techniques: ['99.9']\n",
        encoding="utf-8",
    )
    problems = [p for p in check_project(project) if "X2" in p.message]
    assert [(Path(p.path or "").relative_to(project).as_posix(), p.line) for p in problems] == [
        ("coded/more.yaml", 6),
        ("coded/more.yaml", 6),
    ], problems
    assert "add it to target_behaviours in project.yaml" in problems[0].message


def test_problems_from_every_file_together(project: Path) -> None:
    _edit(project / "project.yaml", "channels: [social-media, email, conference]", "channels: [fax]")
    _edit(project / "barriers.yaml", "domains: [skills]", "domains: [skils]")
    _edit(project / "evidence.yaml", "direction: harm", "direction: worse")
    files = sorted({Path(p.path or "").name for p in check_project(project)})
    assert files == ["barriers.yaml", "evidence.yaml", "project.yaml"]


def test_missing_folder(tmp_path: Path) -> None:
    assert [str(p) for p in check_project(tmp_path / "nope")] == [
        f"{tmp_path / 'nope'}: no such project folder — give the folder that holds project.yaml"
    ]


def test_weights_set_a_link_set_strength(project: Path) -> None:
    _edit(project / "project.yaml", "population: low back pain", "population: low back pain\nweights: {tatt-2021: 0.1}")
    p = load_project(project)
    assert p.settings.weights.link_sets == {"tatt-2021": 0.1} and p.settings.weights.cover_threshold == 0.95


def test_an_unknown_field_is_answered_with_the_closest_or_the_known_ones(project: Path) -> None:
    from mapper import check_project

    path = project / "project.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("module_minutes: 60", "module_minute: 60"), encoding="utf-8")
    assert any(
        "delivery.module_minute: unknown field — did you mean 'module_minutes'?" in str(p)
        for p in check_project(project)
    )
    path.write_text(text.replace("module_minutes: 60", "minutes_per_module: 60"), encoding="utf-8")
    assert any("unknown field — use one of course_for, depth, max_modules" in str(p) for p in check_project(project))


# each case: a choice in barriers.yaml that names nothing, and the answer validate gives
CHOICES = [
    ("    techniques: ['8.11']\n", "chooses technique '8.11', which is no BCT — did you mean 8.1?"),
    (
        "    strategies: [champions]\n",
        "chooses strategy 'champions', which barriermap does not know — did you mean 'champion'?",
    ),
]


@pytest.mark.parametrize(("line", "message"), CHOICES)
def test_a_chosen_technique_or_strategy_must_exist(project: Path, line: str, message: str) -> None:
    path = project / "barriers.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    domains: [skills]\n", "    domains: [skills]\n" + line), encoding="utf-8")
    assert any(message in str(p) for p in check_project(project))


def test_a_schema_error_does_not_hide_the_file_s_other_problems(tmp_path: Path) -> None:
    # a bad valence (schema), an unknown domain and a dangling reference, all in one run; the excerpt that
    # fails its schema is left out of the rest of the check, and a statement naming it is not reported
    shutil.copy(PROJECT.parent / "small" / "barriers.yaml", tmp_path / "barriers.yaml")
    _edit(
        tmp_path / "barriers.yaml",
        "{id: B1, statement: s1, valence: barrier",
        "{id: B1, statement: s1, valence: barier",
    )
    _edit(tmp_path / "barriers.yaml", "domains: [emotion], excerpts: [E3]", "domains: [emoton], excerpts: [E33]")
    _edit(tmp_path / "barriers.yaml", "text: No time in clinic,", "text: No time in clinic, foo: 1,")
    problems = [str(p).removeprefix(f"{tmp_path}/") for p in check_project(tmp_path) if "barriers.yaml" in str(p)]
    assert problems == [
        "barriers.yaml:5: excerpts[1].foo: unknown field — use one of coder, codes, codings, end, id, participant, "
        "source, start, statements, text",
        "barriers.yaml:11: barriers[0].valence: Input should be 'barrier' or 'enabler' (got 'barier')",
        "barriers.yaml:13: unknown TDF domain 'emoton' — did you mean 'emotion'?",
        "barriers.yaml:13: barrier 'B3' names excerpt 'E33', which is not in excerpts — add the excerpt or remove "
        "the reference",
    ]


def test_key_facts_name_known_audiences_and_behaviours_and_a_bad_evidence_file_cascades_nothing(
    project: Path,
) -> None:
    # a key fact naming an unknown audience and behaviour is reported at its line; a bad evidence.yaml is
    # reported once, not again as every review a key fact cites
    _edit(
        project / "project.yaml",
        "source: review:trial2010}",
        "source: review:trial2010, audiences: [physio], behaviours: [deliver-bst]}",
    )
    text = (project / "evidence.yaml").read_text(encoding="utf-8")
    (project / "evidence.yaml").write_text(text.replace("techniques: [", "techniques: [99.1, ", 1), encoding="utf-8")
    problems = [str(p).removeprefix(f"{project}/") for p in check_project(project)]
    assert [p for p in problems if p.startswith("project.yaml")] == [
        "project.yaml:19: key fact 'trial' names audience 'physio', which project.yaml does not define — did you "
        "mean 'physios'?",
        "project.yaml:19: key fact 'trial' names behaviour 'deliver-bst', which project.yaml does not define — did "
        "you mean 'deliver-best'?",
    ]
    assert len([p for p in problems if p.startswith("evidence.yaml")]) == 1, problems


def test_a_schema_error_in_project_yaml_does_not_hide_an_unknown_channel(project: Path) -> None:
    _edit(project / "project.yaml", "channels: [social-media, email, conference]", "channels: [social-media, emial]")
    _edit(project / "project.yaml", "name: Test training project", "name: ''")
    problems = [str(p).removeprefix(f"{project}/") for p in check_project(project)]
    assert "project.yaml:1: name: String should have at least 1 character (got '')" in problems, problems
    assert "project.yaml:14: unknown channel 'emial' — did you mean 'email'?" in problems, problems
