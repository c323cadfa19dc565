"""A seeded generator of synthetic barriermap projects of a given size (for benchmarks and fuzzing).

    python bench/generate.py OUT_DIR --participants 100 --excerpts-per-participant 100

Writes project.yaml, barriers.yaml (participants, belief statements, excerpts with a double-coded
share) and evidence.yaml. Text is filler: sizes and structure are what matter here.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

DOMAINS = [
    "knowledge",
    "skills",
    "social-professional-role-and-identity",
    "beliefs-about-capabilities",
    "optimism",
    "beliefs-about-consequences",
    "reinforcement",
    "intentions",
    "goals",
    "memory-attention-and-decision-processes",
    "environmental-context-and-resources",
    "social-influences",
    "emotion",
    "behavioural-regulation",
]
WORDS = (
    "clinic time group patient course module manager room session confidence worry colleague referral "
    "evidence skill practice support schedule video online"
).split()
TECHNIQUES = ["1.1", "1.2", "1.4", "2.2", "3.1", "4.1", "5.1", "6.1", "7.1", "8.1", "9.1", "12.5", "15.1", "15.3"]


class _NoAliases(yaml.SafeDumper):
    """barriermap refuses YAML aliases in users' files, so shared lists are written out in full."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _dump(data: object, **kwargs: object) -> str:
    return yaml.dump(data, Dumper=_NoAliases, **kwargs)  # type: ignore[call-overload]


def sentence(rng: random.Random, n: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(out: Path, participants: int, per_participant: int, seed: int = 1, double_share: float = 0.1) -> Path:
    """Write a synthetic project into `out` and return it."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    people = [{"id": f"P{i:03d}", "role": "physiotherapist", "site": f"Trust {i % 20}"} for i in range(participants)]
    n_statements = max(5, participants * per_participant // 20)
    statements = []
    for i in range(n_statements):
        statements.append(
            {
                "id": f"B{i:04d}",
                "statement": sentence(rng, 10),
                "valence": "enabler" if rng.random() < 0.2 else "barrier",
                "domains": rng.sample(DOMAINS, rng.choice([1, 1, 2])),
                "behaviour": rng.choice(["train", "deliver"]),
                "excerpts": [],
            }
        )
    excerpts = []
    for p in people:
        for j in range(per_participant):
            eid = f"E{p['id'][1:]}{j:03d}"
            statement = rng.choice(statements)
            statement["excerpts"].append(eid)
            codes = statement["domains"][:1] + ([rng.choice(DOMAINS)] if rng.random() < 0.2 else [])
            item: dict[str, object] = {"id": eid, "participant": p["id"], "text": sentence(rng)}
            if rng.random() < double_share:
                other = codes if rng.random() < 0.8 else [rng.choice(DOMAINS)]
                item["codings"] = [{"coder": "A", "codes": codes}, {"coder": "B", "codes": other}]
            else:
                item.update({"coder": "A", "codes": codes})
            excerpts.append(item)
    project = {
        "name": f"Synthetic {participants}x{per_participant}",
        "target_behaviours": [
            {"id": "train", "who": "clinicians", "what": "complete the course", "stage": "completion"},
            {"id": "deliver", "who": "clinicians", "what": "run the programme", "stage": "use"},
        ],
        "audiences": [{"id": "clinicians", "label": "clinicians"}],
        "channels": ["email", "social-media", "trade-press"],
        "exclude_functions": ["coercion", "restriction"],
        "key_facts": [{"id": "f1", "text": "A short fact about the programme.", "source": "review:r0"}],
    }
    evidence = {
        "reviews": [
            {
                "id": f"r{i}",
                "citation": f"Synthetic review {i}.",
                "findings": [
                    {
                        "techniques": rng.sample(TECHNIQUES, 2),
                        "outcome": "practice",
                        "direction": rng.choice(["benefit", "no-difference"]),
                        "certainty": rng.choice(["high", "moderate", "low"]),
                    }
                ],
            }
            for i in range(20)
        ]
    }
    (out / "project.yaml").write_text(_dump(project, sort_keys=False), encoding="utf-8")
    (out / "barriers.yaml").write_text(
        _dump({"participants": people, "barriers": statements, "excerpts": excerpts}, sort_keys=False),
        encoding="utf-8",
    )
    (out / "evidence.yaml").write_text(_dump(evidence, sort_keys=False), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--excerpts-per-participant", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.participants, args.excerpts_per_participant, args.seed)


if __name__ == "__main__":
    main()
