"""A project folder: project.yaml, coded data (barriers.yaml, coded/*.yaml), evidence.yaml, link-set CSVs."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from barriers import CodedData, SalienceRule
from barriers.folder import load_coded_located
from barriers.yamlformat import Located
from mapper.uptake import Uptake, read_uptake
from ontology import (
    Frameworks,
    InputError,
    Problem,
    UnknownIdError,
    YamlDocument,
    load_frameworks,
    load_yaml,
    read_data,
    slugify,
    validate,
)
from ontology.ids import did_you_mean, suggest
from ontology.vocabulary import FUNCTION, REVIEW, curie, local
from techniques import DEFAULT_LINK_SETS, Evidence, EvidenceSettings, Library, load_evidence, load_library
from techniques.bcto import BCTO_ID
from techniques.linksets import read_link_set_csv, shipped_link_sets

if TYPE_CHECKING:
    from mapper.behaviours import Behaviours
    from mapper.candidates import ScoreSettings

__all__ = ["CHANNELS", "Project", "ProjectFile", "Weights", "check_project", "load_project"]

# the campaign's stages and channels (mapper/data/campaign.yaml), read once for the loader and the campaign
CAMPAIGN_PLAN: dict[str, Any] = read_data("mapper", "campaign.yaml")
# channel -> longest message it carries, in characters
CHANNELS: dict[str, int] = {name: int(spec["limit"]) for name, spec in CAMPAIGN_PLAN["channels"].items()}
ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
T = TypeVar("T")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# the uptake stages of the campaign, in order: the one place they are named
Stage = Literal["awareness", "registration", "completion", "use"]
STAGE_NAMES: tuple[Stage, ...] = get_args(Stage)
PRE_LAUNCH: tuple[Stage, ...] = STAGE_NAMES[:2]  # before the course opens: only what is true now may be said

# what a target behaviour asks of its actors (the mapper carries it in each statement's plan)
BehaviourKind = Literal["start", "stop", "substitute", "maintain"]


# verbs whose last consonant doubles before -ing although they have two syllables (stress on the last)
_DOUBLING = {
    "refer",
    "prefer",
    "transfer",
    "occur",
    "admit",
    "commit",
    "submit",
    "omit",
    "permit",
    "control",
    "begin",
    "forget",
    "regret",
    "confer",
    "defer",
    "equip",
    "incur",
    "recur",
}


# where the first clause of a behaviour's "what" ends: the rest says when, how or with what
_CLAUSE_END = re.compile(
    r",|;|\s(?:only|when|whenever|with|using|instead of|before|after|as|by|if|unless|rather than)\s"
)


def _first_clause(what: str) -> str:
    """The first clause of `what`, when it has at least two words ('assess X with a scale' -> 'assess X')."""
    found = _CLAUSE_END.search(what)
    head = what[: found.start()] if found else what
    return head.strip() if len(head.split()) >= 2 else what


def _ing(word: str) -> str:
    """One verb as a gerund ('run' -> 'running', 'give' -> 'giving', 'refer' -> 'referring')."""
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
        return word[:-1] + "ing"
    if word in _DOUBLING or (len(word) <= 4 and re.fullmatch(r"[^aeiou]*[aeiou][bdgklmnprt]", word) is not None):
        return word + word[-1] + "ing"
    return word + "ing"


def gerund(what: str) -> str:
    """`what` with its first verb made a gerund: 'assess pain' -> 'assessing pain', 'stop x' -> 'stopping x';
    a second verb joined early by 'and' too ('register for and complete it' -> 'registering for and
    completing it')."""
    words = what.strip().split(" ")
    if not words[0].isalpha() or words[0].lower().endswith("ing"):
        return what
    words[0] = _ing(words[0].lower())
    joined = next((i for i, w in enumerate(words[:4]) if w == "and"), None)
    if joined is not None and joined + 1 < len(words) and words[joined + 1].isalpha():
        words[joined + 1] = _ing(words[joined + 1].lower())
    return " ".join(words)


class BehaviourIn(_Model):
    id: str = Field(pattern=ID, description="Short id of the behaviour; statements name it in `behaviour:`.")
    who: str = Field(
        min_length=1, description="Whose behaviour it is (the actor), e.g. 'NHS musculoskeletal clinicians'."
    )
    what: str = Field(min_length=1, description="What they should do, as a verb phrase.")
    stage: Stage | None = Field(
        default=None, description="The campaign stage this behaviour belongs to; empty: judged from the statement."
    )
    audience: str = Field(default="", description="The audience id (from `audiences`) whose members do it.")
    label: str = Field(
        default="", description="A short name for titles; defaults to `what`."
    )  # a short name for titles ("running BeST groups"); defaults to `what`
    # individual: the people in `who` change it themselves; service: the service (its managers) must
    level: Literal["individual", "service"] = Field(
        default="individual",
        description="individual: the people in `who` change it themselves; service: the service or its managers must.",
    )
    kind: BehaviourKind = Field(
        default="start",
        description="start: begin doing it; stop: stop or reduce a routine practice (de-implementation); "
        "substitute: do it instead of something else; maintain: keep doing it. The kind's own techniques rank "
        "higher (stopping: restructuring, prompts, feedback, credible sources; see weights.kind).",
    )
    situations: list[str] = Field(
        default_factory=list, description="Typical moments the course rehearses, in the project's own words."
    )
    steps: list[str] = Field(
        default_factory=list,
        description="What the course must teach of the behaviour, in order, in the project's words.",
    )
    criteria: list[str] = Field(
        default_factory=list,
        description="When the behaviour applies, in the project's words: for a new practice who and what it is for; "
        "for stopping or substituting, when the old practice is still indicated. The course teaches them as a grid "
        "and checks them with cases.",
    )

    @property
    def short(self) -> str:
        """The short name used in titles and sentences: `label`, or the first clause of `what` with its verb as
        a gerund ('request tests only when they help' -> 'requesting tests'), which reads after 'for'."""
        return self.label or gerund(_first_clause(self.what))


class AudienceIn(_Model):
    id: str = Field(
        pattern=ID, description="Short id of the audience, used by target behaviours, key facts and messages."
    )
    label: str = Field(min_length=1, description="The audience as messages and reports name it.")
    value: str = Field(
        default="", description="The value proposition for this audience: what is in it for them, as a clause."
    )  # the value proposition for this audience: what is in it for them, as a clause
    value_short: str = Field(
        default="", description="The same in a few words, for an email subject."
    )  # the same in a few words, for an email subject


class CampaignIn(_Model):
    url: str = Field(
        default="", pattern=r"^(https?://\S+)?$", description="Where every call to action points (http or https)."
    )
    service_url: str = Field(
        default="",
        pattern=r"^(https?://\S+)?$",
        description="Where the calls to action for managers and services point; empty: `url`.",
    )
    incentives: list[str] = Field(
        default_factory=list, description="What learners get, such as 'free' or 'a CPD certificate'."
    )
    stages: list[Stage] = Field(
        default_factory=lambda: list(STAGE_NAMES), description="The uptake stages the campaign has messages for."
    )


class DeliveryIn(_Model):
    mode: Literal["online-self-paced"] = Field(default="online-self-paced", description="How the course is delivered.")
    max_modules: int = Field(default=6, ge=1, le=50, description="The most course modules the design may have.")
    module_minutes: int = Field(default=90, ge=1, le=600, description="The study time of one module, in minutes.")
    course_for: list[str] = Field(
        default_factory=list, description="Target behaviour ids the course serves; empty: all of them."
    )  # target behaviours the course serves; empty: all
    # how many fitting techniques the course gives each priority statement when the brief has room (at least
    # min_techniques_per_barrier are chosen by the cover; the rest deepen the course, weakest left out first)
    depth: int = Field(
        default=3,
        ge=1,
        le=10,
        description="How many fitting techniques the course gives each priority statement when the brief has room.",
    )
    part_minutes: int | None = Field(
        default=None,
        ge=5,
        le=90,
        description="The longest stretch a learner should sit through; longer activities are split into parts.",
    )
    spacing: str = Field(
        default="", description="How far apart the modules are meant to be taken, such as 'a week or two'."
    )


class KeyFactIn(_Model):
    id: str = Field(pattern=ID, description="Short id of the fact.")
    text: str = Field(min_length=1, description="The fact as messages and modules quote it.")
    source: str = Field(
        min_length=1, description="Where it comes from: a review id (review:KEY) from evidence.yaml, or a citation."
    )
    techniques: list[str] = Field(
        default_factory=list, description="Quote it only for these techniques (BCT numbers); empty: any."
    )  # quote it only for these techniques; empty: any
    # when the fact becomes true: now (published), after-launch, or after-evaluation (the project's own
    # results); the campaign quotes only what is true at a message's stage
    available: Literal["now", "after-launch", "after-evaluation"] = Field(
        default="now",
        description="When it becomes true: now (published), after-launch, or after-evaluation (own results).",
    )
    audiences: list[str] = Field(
        default_factory=list, description="Quote it only to these audiences; empty: any."
    )  # quote it only to these audiences; empty: any
    behaviours: list[str] = Field(
        default_factory=list, description="Quote it only for these target behaviours; empty: any."
    )  # quote it only for these target behaviours; empty: any

    def suits(self, technique: str) -> bool:
        """Whether this fact may be quoted by `technique` ('bct:6.2')."""
        return not self.techniques or local(technique) in {local(t) for t in self.techniques}


class EvaluationIn(_Model):
    function_range: tuple[float, float] = Field(
        default=(0.0, 10.0), description="Lowest and highest score of the function measure in evaluation/patients.csv."
    )
    pain_range: tuple[float, float] = Field(
        default=(0.0, 10.0), description="Lowest and highest score of the pain measure in evaluation/patients.csv."
    )
    benchmarks: dict[str, float] = Field(
        default_factory=dict,
        description="Uptake shares to compare with, by funnel step (registered, completed, intend, used).",
    )
    benchmark_source: str = Field(default="", description="Where the benchmarks come from.")


class StatusIn(_Model):
    """What kind of data one part of the project is, so that every output can say so where it is used."""

    status: Literal["real", "illustrative", "synthetic"] = Field(
        default="real",
        description="real: collected or published; illustrative: written to show the method; synthetic: generated",
    )
    note: str = Field(default="", description="one sentence on what is invented or generated, and from what")


class DataStatusIn(_Model):
    """project.yaml `data_status:` — the status of the interviews, the evidence and the evaluation data."""

    interviews: StatusIn = Field(default=StatusIn(), description="The coded interview data (barriers.yaml, coded/).")
    evidence: StatusIn = Field(default=StatusIn(), description="The systematic reviews (evidence.yaml).")
    evaluation: StatusIn = Field(default=StatusIn(), description="The uptake and outcome data (evaluation/*.csv).")

    def not_real(self, *parts: str) -> list[tuple[str, StatusIn]]:
        """The parts (all when none are named) whose data is not real, in a fixed order."""
        names = parts or ("interviews", "evidence", "evaluation")
        found = [(n, getattr(self, n)) for n in names]
        return [(n, st) for n, st in found if st.status != "real"]


Share = Annotated[float, Field(ge=0.0, le=1.0)]


CONTENT_WEIGHT = 1.0  # tuned on the development set's tuning half (bench/validity.py)
KIND_WEIGHT = 0.3


class Weights(_Model):
    """project.yaml `weights:` — the candidate score's weights (mapper/candidates.py), one default each.

    Any other key names a link set the project uses and sets its strength (default: the link set's own).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    bcw_route: Share = Field(
        default=0.4, description="Strength of a path by the BCW route (domain -> COM-B -> function -> technique)."
    )
    bcw_rank_step: Share = Field(
        default=0.04, description="How much a BCW-route path weakens per rank of the technique within its function."
    )
    cover_threshold: Share = Field(
        default=0.95, description="Share of the best score a technique needs to count as covering a statement."
    )
    content: float = Field(
        default=CONTENT_WEIGHT,
        ge=0,
        le=10,
        description="How much a statement's own words count: a candidate's score is multiplied by 1 + content x "
        "its relevance (0-1, how well the technique's applied text matches the statement; 0 turns this off).",
    )
    kind: float = Field(
        default=KIND_WEIGHT,
        ge=0,
        le=10,
        description="How much the behaviour's kind counts: techniques suited to it (e.g. restructuring and prompts "
        "for stopping a routine) have their score multiplied by 1 + kind.",
    )
    link_sets: dict[str, Share] = Field(
        default_factory=dict,
        description="Strength of each link set; written as keys under weights: (e.g. cane-2015: 0.8).",
    )

    @model_validator(mode="before")
    @classmethod
    def _link_set_keys(cls, data: Any) -> Any:
        """Keys that are not settings are link-set strengths (the loader has already refused unknown ones)."""
        if not isinstance(data, dict):
            return data
        own = {k: v for k, v in data.items() if k in cls.model_fields and k != "link_sets"}
        sets = {k: v for k, v in data.items() if k not in own}
        return {**own, "link_sets": sets} if sets else own


class ProjectFile(_Model):
    """The whole of project.yaml."""

    name: str = Field(min_length=1, description="The project's name, used in titles.")
    target_behaviours: list[BehaviourIn] = Field(
        min_length=1, description="The behaviours the intervention should change; each statement belongs to one."
    )
    audiences: list[AudienceIn] = Field(default_factory=list, description="The groups messages and supports speak to.")
    channels: list[str] = Field(
        default_factory=list,
        description="Where messages go: conference, trade-press, social-media, email, evidence-brief and the like.",
    )
    delivery: DeliveryIn = Field(default=DeliveryIn(), description="The course brief.")
    exclude_functions: list[str] = Field(
        default_factory=list, description="Intervention functions the project rules out (coercion, restriction, ...)."
    )
    link_sets: list[str] = Field(
        default_factory=lambda: ["bcw", *DEFAULT_LINK_SETS],
        description="Domain -> technique link sets to use: bcw (the BCW route), shipped sets, or a project CSV.",
    )
    comb_version: Literal["bcw-guide-2014", "michie-2011"] = Field(
        default="bcw-guide-2014", description="Which published COM-B -> intervention function links to use."
    )
    population: str = Field(
        default="", description="The project's population; findings in it count as direct evidence."
    )
    key_facts: list[KeyFactIn] = Field(
        default_factory=list, description="Facts that messages and modules may quote, each with its source."
    )
    campaign: CampaignIn = Field(default=CampaignIn(), description="The campaign's link, incentives and stages.")
    data_status: DataStatusIn = Field(
        default=DataStatusIn(), description="Whether the interviews, evidence and evaluation data are real."
    )
    weights: Weights = Field(default=Weights(), description="Weights of the candidate score.")
    min_techniques_per_barrier: int = Field(
        default=2,
        ge=1,
        le=10,
        description="How many techniques the selection chooses at least for each priority statement.",
    )
    evaluation: EvaluationIn = Field(default=EvaluationIn(), description="How to read evaluation/*.csv.")
    salience: SalienceRule = Field(
        default=SalienceRule(), description="When a domain or statement counts as a priority."
    )


# which key facts each use may quote: course content and pre-launch messages only what is true now
AVAILABLE: dict[str, tuple[str, ...]] = {
    "course": ("now",),
    **{stage: ("now",) if stage in PRE_LAUNCH else ("now", "after-launch") for stage in STAGE_NAMES},
}


def fact_for(
    settings: ProjectFile,
    technique: str,
    use: str,
    *,
    audience: str = "",
    behaviour: str = "",
    used: frozenset[str] = frozenset(),
    named_only: bool = False,
) -> KeyFactIn | None:
    """The key fact a technique's template quotes in `use` (course or a campaign stage).

    The first fact that names the technique, else the first general one, among those true by then, meant
    for that audience and behaviour, and not in `used` (facts already quoted nearby).
    """
    true = [
        f
        for f in settings.key_facts
        if f.available in AVAILABLE[use]
        and (not f.audiences or audience in f.audiences)
        and (not f.behaviours or behaviour in f.behaviours)
        and f.id not in used
    ]
    true.sort(key=lambda f: behaviour not in f.behaviours)  # a fact meant for this behaviour comes first
    named = [f for f in true if f.techniques and f.suits(technique)]
    general = [] if named_only else [f for f in true if not f.techniques]
    found = named or general
    return found[0] if found else None


def _a_case(aim: BehaviourIn) -> str:
    """A typical situation for templates when the behaviour lists none (neutral, and short)."""
    if aim.kind == "stop":
        return "a case in which the old routine is tempting"
    return f"a case in which you would {_first_clause(aim.what)}"


def template_names(name: str, aim: BehaviourIn, statement: str, fact: KeyFactIn | None) -> dict[str, str]:
    """What a delivery template may name (techniques/data/delivery.yaml), for one behaviour and statement."""
    return {
        "behaviour": aim.what,
        "label": aim.short,
        "who": aim.who,
        "name": name,
        "barrier": statement,
        "situation": aim.situations[0] if aim.situations else _a_case(aim),
        "steps": "; ".join(aim.steps),
        "criteria": "; ".join(aim.criteria),
        "situations": "; ".join(aim.situations),
        "fact": fact.text.rstrip(".") if fact else "",
        "source": fact.source if fact else "",
        "kind": aim.kind,
    }


@dataclass(frozen=True)
class Project:
    """Everything a design needs from one project folder, loaded and checked."""

    path: Path
    settings: ProjectFile
    frameworks: Frameworks
    library: Library
    coded: CodedData
    evidence: Evidence
    excluded_functions: tuple[str, ...]
    use_bcw_route: bool
    uptake: Uptake | None = None  # evaluation/*.csv, when the project has an evaluation/ folder

    @property
    def salience_rule(self) -> SalienceRule:
        """The salience rule: project.yaml `salience:` over SalienceRule's defaults."""
        return self.settings.salience

    @property
    def evidence_settings(self) -> EvidenceSettings:
        """Evidence score settings, with the project's population."""
        return EvidenceSettings(population=self.settings.population)

    @property
    def behaviours(self) -> Behaviours:
        """The target behaviours: which one a statement belongs to, its audience, whether the course serves it."""
        from mapper.behaviours import Behaviours

        return Behaviours.of(self.settings)

    @property
    def score_settings(self) -> ScoreSettings:
        """Everything that decides a candidate's score (weights, link sets, exclusions, evidence settings)."""
        from mapper.candidates import ScoreSettings

        return ScoreSettings.of(
            self.settings.weights, self.library, self.excluded_functions, self.use_bcw_route, self.evidence_settings
        )


def _unknown_settings(doc: YamlDocument) -> tuple[YamlDocument, list[Problem]]:
    """Refuse keys under `weights:` and `salience:` that are no setting, naming the closest known key.

    Returns the document without those keys (so each is reported once) and the problems.
    """
    data = doc.data
    if not isinstance(data, dict):
        return doc, []
    chosen = data.get("link_sets")
    names = chosen if isinstance(chosen, list) else ["bcw", *DEFAULT_LINK_SETS]
    link_sets = {Path(str(n)).stem if str(n).endswith(".csv") else str(n) for n in names} - {"bcw"}
    known = {
        "weights": [k for k in Weights.model_fields if k != "link_sets"] + sorted(link_sets),
        "salience": list(SalienceRule.model_fields),
    }
    problems: list[Problem] = []
    cleaned = dict(data)
    for section, keys in known.items():
        values = data.get(section)
        if not isinstance(values, dict):
            continue
        unknown = [k for k in values if k not in keys]
        for key in unknown:
            hint = did_you_mean(str(key), keys)
            problems.append(
                Problem(f"unknown setting '{key}' under {section}{hint}", doc.path, doc.line((section, key)))
            )
        cleaned[section] = {k: v for k, v in values.items() if k not in unknown}
    return dataclasses.replace(doc, data=cleaned), problems


def _listed(doc: YamlDocument, key: str) -> list[tuple[int, str]]:
    """The strings listed under a top-level key, with their index, read before (or without) the schema."""
    values = doc.data.get(key) if isinstance(doc.data, dict) else None
    return [(i, v) for i, v in enumerate(values) if isinstance(v, str)] if isinstance(values, list) else []


def _names(doc: YamlDocument, folder: Path, frameworks: Frameworks) -> list[Problem]:
    """Unknown intervention functions, channels and link sets: checked on the file as written, so a schema
    error elsewhere in project.yaml does not hide them."""
    problems = []
    functions = {local(f.id): f.id for f in frameworks.functions}
    for i, name in _listed(doc, "exclude_functions"):
        if slugify(local(name)) not in functions:
            hint = did_you_mean(slugify(name), functions)
            problems.append(
                Problem(f"unknown intervention function '{name}'{hint}", doc.path, doc.line(("exclude_functions", i)))
            )
    for i, channel in _listed(doc, "channels"):
        if channel not in CHANNELS:
            hint = did_you_mean(channel, CHANNELS)
            problems.append(Problem(f"unknown channel '{channel}'{hint}", doc.path, doc.line(("channels", i))))
    shipped = set(shipped_link_sets())
    for i, name in _listed(doc, "link_sets"):
        if name != "bcw" and name not in shipped and not (folder / name).is_file():
            problems.append(
                Problem(
                    f"unknown link set '{name}' — use bcw, {', '.join(sorted(shipped))}, or the path "
                    "of a link-set CSV in the project folder",
                    doc.path,
                    doc.line(("link_sets", i)),
                )
            )
    return problems


def _settings(path: Path, frameworks: Frameworks) -> tuple[ProjectFile, YamlDocument, list[Problem]]:
    doc, problems = _unknown_settings(load_yaml(path))
    named = _names(doc, path.parent, frameworks)
    try:
        settings = validate(doc, ProjectFile)
    except InputError as exc:
        raise InputError.from_problems([*problems, *exc.problems, *named]) from None
    ids = [b.id for b in settings.target_behaviours]
    for i, b in enumerate(settings.target_behaviours):
        if ids.index(b.id) != i:
            problems.append(
                Problem(
                    f"duplicate target behaviour id '{b.id}' — give each its own id",
                    doc.path,
                    doc.line(("target_behaviours", i, "id")),
                )
            )
    return settings, doc, [*problems, *named]


def _bcto_chosen(coded: CodedData, library: Library) -> tuple[CodedData, list[Problem]]:
    """Techniques chosen by a BCTO id ('BCIO:007010') stand for their BCTTv1 number from here on."""
    problems = []
    where = coded.origin[0] if coded.origin else None
    statements = []
    for statement in coded.barriers:
        chosen = []
        for raw in statement.techniques:
            if not BCTO_ID.match(raw.strip()):
                chosen.append(raw)
                continue
            try:
                chosen.append(library.technique(raw).number)
            except UnknownIdError as exc:
                problems.append(Problem(f"barrier '{statement.id}' chooses technique '{raw}': {exc}", where))
        statements.append(dataclasses.replace(statement, techniques=tuple(chosen)))
    return dataclasses.replace(coded, barriers=tuple(statements)), problems


def _at(where: Located, statement_id: str) -> tuple[str | None, int | None]:
    """The file and line where a statement is defined (barriers.yaml or coded/NAME.yaml)."""
    path, line = where.get(("barrier", statement_id), ("", 0))
    return path or None, line or None


def _chosen(coded: CodedData, where: Located, library: Library) -> list[Problem]:
    """Techniques and strategies the team chose for a statement must exist."""
    from mapper.supports import strategies

    problems = []
    known = {t.number: t.id for t in library.techniques.values()}
    for statement in coded.barriers:
        for number in statement.techniques:  # BCT numbers: Barrier normalises the team's techniques
            if number not in known:
                hint = did_you_mean(number, known, "give a BCT Taxonomy v1 number such as 8.1", quote=False)
                problems.append(
                    Problem(
                        f"barrier '{statement.id}' chooses technique '{number}', which is no BCT{hint}",
                        *_at(where, statement.id),
                    )
                )
        for name in statement.strategies:
            if name not in strategies():
                hint = did_you_mean(name, strategies())
                problems.append(
                    Problem(
                        f"barrier '{statement.id}' chooses strategy '{name}', which barriermap does not know{hint}",
                        *_at(where, statement.id),
                    )
                )
    return problems


def _cross_checks(
    settings: ProjectFile, doc: YamlDocument, coded: CodedData, where: Located, evidence: Evidence | None
) -> list[Problem]:
    problems = []
    behaviours = {b.id for b in settings.target_behaviours}
    audiences = {a.id for a in settings.audiences}
    for i, name in enumerate(settings.delivery.course_for):
        if name not in behaviours:
            problems.append(
                Problem(
                    f"delivery.course_for names '{name}', which is not a target behaviour — use one "
                    f"of {', '.join(sorted(behaviours))}",
                    doc.path,
                    doc.line(("delivery", "course_for", i)),
                )
            )
    for i, b in enumerate(settings.target_behaviours):
        if b.audience and b.audience not in audiences:
            problems.append(
                Problem(
                    f"target behaviour '{b.id}' names audience '{b.audience}', which is not in "
                    "audiences — add it or correct the id",
                    doc.path,
                    doc.line(("target_behaviours", i, "audience")),
                )
            )
    for statement in coded.barriers:
        if statement.behaviour and statement.behaviour not in behaviours:
            close = suggest(statement.behaviour, {x: x for x in behaviours})
            hint = (
                f" — did you mean '{close}'? Or add it to target_behaviours in project.yaml"
                if close
                else f" — add it to target_behaviours in project.yaml, or use one of {', '.join(sorted(behaviours))}"
            )
            problems.append(
                Problem(
                    f"barrier '{statement.id}' names target behaviour '{statement.behaviour}', which project.yaml "
                    f"does not define{hint}",
                    *_at(where, statement.id),
                )
            )
    return problems + _key_fact_checks(settings, doc, evidence, audiences=audiences, behaviours=behaviours)


def _key_fact_checks(
    settings: ProjectFile, doc: YamlDocument, evidence: Evidence | None, *, audiences: set[str], behaviours: set[str]
) -> list[Problem]:
    """A key fact's audiences, behaviours and review must be defined."""
    problems = []
    for i, fact in enumerate(settings.key_facts):
        for field, names, known in (
            ("audiences", fact.audiences, audiences),
            ("behaviours", fact.behaviours, behaviours),
        ):
            for j, name in enumerate(names):
                if name not in known:
                    hint = did_you_mean(name, sorted(known), f"use one of {', '.join(sorted(known)) or '(none)'}")
                    problems.append(
                        Problem(
                            f"key fact '{fact.id}' names {field[:-1]} '{name}', which project.yaml does not "
                            f"define{hint}",
                            doc.path,
                            doc.line(("key_facts", i, field, j)),
                        )
                    )
    if evidence is None:  # evidence.yaml could not be read: its own problems say why; no review to check against
        return problems
    reviews = {curie(REVIEW, r.id) for r in evidence.reviews}
    for i, fact in enumerate(settings.key_facts):
        if fact.source.startswith(f"{REVIEW}:") and fact.source not in reviews:
            problems.append(
                Problem(
                    f"key fact '{fact.id}' cites {fact.source}, which evidence.yaml does not list — "
                    "add the review or correct the source",
                    doc.path,
                    doc.line(("key_facts", i, "source")),
                )
            )
    return problems


def _attempt(problems: list[Problem], action: Callable[[], T]) -> T | None:
    """Run `action`, adding its problems to `problems` instead of stopping at the first bad file."""
    try:
        return action()
    except InputError as exc:
        problems.extend(exc.problems)
    except UnknownIdError as exc:
        problems.append(Problem(str(exc)))
    return None


def load_project(path: Path, cache: bool = False) -> Project:
    """Load and check every file of a project folder; with `cache`, coded-data files parsed before (the same
    bytes, the same barriermap) are read from the project's parse cache (mapper/cache.py).

    Raises:
        InputError: every problem in every file, `path:line: message`, one per line.
    """
    path = Path(path)
    if not path.is_dir():
        raise InputError("no such project folder — give the folder that holds project.yaml", str(path))
    problems: list[Problem] = []
    target = path / "project.yaml"
    if not (target.exists() or target.is_symlink()):  # the first thing a new user meets: say how to start one
        problems.append(Problem(f"no project.yaml — start one with: barriermap init {path}", str(target)))
    found = None if problems else _attempt(problems, lambda: _settings(target, load_frameworks()))
    if found is None:
        settings, doc = None, None
    else:
        settings, doc, more = found
        problems.extend(more)
    frameworks = load_frameworks(settings.comb_version if settings else "bcw-guide-2014")
    chosen = settings.link_sets if settings else ["bcw", *DEFAULT_LINK_SETS]
    shipped = [s for s in chosen if s in shipped_link_sets()]
    library = load_library(shipped, frameworks.comb_version)
    csvs = [s for s in chosen if s not in shipped and s != "bcw"]
    extra = [_attempt(problems, functools.partial(read_link_set_csv, path / c, frameworks, library)) for c in csvs]
    library = library.with_link_sets([x for x in extra if x is not None])
    read = None
    if cache:
        from mapper.cache import ParseCache

        parse_cache = ParseCache(path)
        read = functools.partial(parse_cache.coded, frameworks_key=frameworks.comb_version, frameworks=frameworks)
    found_coded = _attempt(problems, lambda: load_coded_located(path, frameworks, read=read))
    coded, where = found_coded or (CodedData(), {})
    evidence_path = path / "evidence.yaml"
    read_evidence: Evidence | None = Evidence((), {})
    if evidence_path.exists():
        read_evidence = _attempt(problems, lambda: load_evidence(evidence_path, library))
    evidence = read_evidence or Evidence((), {})
    if settings is not None and doc is not None:
        problems.extend(_cross_checks(settings, doc, coded, where, read_evidence))
        coded, more = _bcto_chosen(coded, library)
        problems.extend(more)
        problems.extend(_chosen(coded, where, library))
    uptake = None
    if settings is not None and (path / "evaluation").is_dir():
        uptake = _attempt(problems, functools.partial(_uptake, path, settings.evaluation))
    if problems or settings is None:
        raise InputError.from_problems(problems)
    excluded = tuple(curie(FUNCTION, slugify(local(f))) for f in settings.exclude_functions)
    return Project(path, settings, frameworks, library, coded, evidence, excluded, "bcw" in chosen, uptake)


def _uptake(path: Path, settings: EvaluationIn) -> Uptake:
    benchmarks: dict[str, Any] = dict(settings.benchmarks)
    if settings.benchmark_source:
        benchmarks["source"] = settings.benchmark_source
    return read_uptake(path, {"function": settings.function_range, "pain": settings.pain_range}, benchmarks)


def check_project(path: Path) -> list[Problem]:
    """Every problem in every file of a project folder (empty when all is well)."""
    try:
        load_project(path)
    except InputError as exc:
        return list(exc.problems)
    return []
