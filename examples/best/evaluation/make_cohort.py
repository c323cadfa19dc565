"""Write the BeST example's SYNTHETIC evaluation cohort (clinicians.csv, patients.csv).

The rows are invented; only their totals are real. They equal the published aggregates of Sugavanam et
al. 2020 (Physiotherapy 109:4-12): 1,324 clinicians enrolled, 586 completed the online course, 253 of
the 443 asked intended to deliver BeST, 49 of the 148 followed up had delivered it, and 923 patients
took part. Professions, trusts, module counts and patient scores are drawn at random (seeded), with
patient changes centred on the published means (function +1.55, pain -0.84); follow-up numbers at 3 and
12 months are not published and are invented here.

Run: python examples/best/evaluation/make_cohort.py  (rewrites the two CSVs beside this file)
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2020
ENROLLED, COMPLETED, ASKED_INTENT, INTENDED, FOLLOWED_UP, USED, PATIENTS = 1324, 586, 443, 253, 148, 49, 923
MODULES = 6
FOLLOW_3M, FOLLOW_12M = 290, 257


def clinicians(rng: random.Random) -> list[dict[str, object]]:
    professions = ["physiotherapist"] * 17 + ["occupational therapist", "nurse", "psychologist"]
    ids = [f"C{i:04d}" for i in range(1, ENROLLED + 1)]
    completed = set(rng.sample(ids, COMPLETED))
    done = sorted(completed)
    asked = set(rng.sample(done, ASKED_INTENT))
    intends = set(rng.sample(sorted(asked), INTENDED))
    followed = set(rng.sample(done, FOLLOWED_UP))
    used = set(rng.sample(sorted(followed), USED))
    rows = []
    for cid in ids:
        finished = cid in completed
        rows.append(
            {
                "id": cid,
                "profession": rng.choice(professions),
                "organisation": f"Trust {rng.randint(1, 157):03d}",
                "registered": "yes",
                "completed": "yes" if finished else "no",
                "modules_completed": MODULES if finished else min(MODULES - 1, int(rng.expovariate(0.6))),
                "intends": ("yes" if cid in intends else "no") if cid in asked else "",
                "used": ("yes" if cid in used else "no") if cid in followed else "",
            }
        )
    return rows


def clamp(value: float) -> float:
    return round(min(10.0, max(0.0, value)), 1)


def patients(rng: random.Random) -> list[dict[str, object]]:
    rows = []
    ids = [f"PT{i:04d}" for i in range(1, PATIENTS + 1)]
    at_3m = set(rng.sample(ids, FOLLOW_3M))
    at_12m = set(rng.sample(ids, FOLLOW_12M))
    for pid in ids:
        org = f"Trust {rng.randint(1, 27):03d}"
        function, pain = rng.uniform(2.5, 6.5), rng.uniform(4.0, 8.0)
        rows.append(
            {"id": pid, "organisation": org, "timepoint": "baseline", "function": clamp(function), "pain": clamp(pain)}
        )
        for tp, chosen in (("3m", at_3m), ("12m", at_12m)):
            if pid in chosen:
                rows.append(
                    {
                        "id": pid,
                        "organisation": org,
                        "timepoint": tp,
                        "function": clamp(function + rng.gauss(1.55, 2.4)),
                        "pain": clamp(pain + rng.gauss(-0.84, 2.0)),
                    }
                )
    return rows


def write(name: str, rows: list[dict[str, object]]) -> None:
    with (HERE / name).open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    rng = random.Random(SEED)
    write("clinicians.csv", clinicians(rng))
    write("patients.csv", patients(rng))


if __name__ == "__main__":
    main()
