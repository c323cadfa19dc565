"""Link sets: the shipped ones against the reference table, and a user's CSV."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import read_csv

from ontology import InputError
from techniques import Library, load_library, read_link_set_csv, shipped_link_sets


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def test_shipped_sets_keep_every_published_row(reference: Path) -> None:
    rows = read_csv(reference / "frameworks/tdf_to_bcts.csv")
    names = {
        "Johnston2021_TaTT": "tatt-2021",
        "Carey2019_literature_synthesis": "carey-2019",
        "Cane2015_BrJHealthPsychol": "cane-2015",
        "Michie2008_ApplPsychol_matrix": "michie-2008",
    }
    sets = shipped_link_sets()
    for source, name in names.items():
        published = {(r["tdf_domain_v2"], r["bcttv1_no"]) for r in rows if r["source"] == source and r["bcttv1_no"]}
        labels = {d.label: d.id for d in load_library().frameworks.domains}
        ours = {(link.from_id, link.to_id) for link in sets[name].links}
        assert {(labels[d], f"bct:{n}") for d, n in published} <= ours, name
    # rows without a BCTTv1 number are either mapped by judgement (marked so) or listed as unmapped
    cane = sets["cane-2015"]
    assert {u["as_published"] for u in cane.unmapped} == {
        "Differential reinforcement",
        "Counterconditioning",
        "Discrimination training",
        "Extinction",
        "Anticipation of future rewards or removal of punishment",
    }
    assert all("mapping: barriermap_judgement" in link.note for link in sets["michie-2008"].links)


def test_every_shipped_link_has_provenance() -> None:
    for name, s in shipped_link_sets().items():
        assert s.citation and 0 < s.strength <= 1
        for link in s.links:
            assert link.kind == "linkedTo" and link.link_set == name
            assert link.sources and link.status and link.strength == s.strength


def test_library_uses_only_chosen_sets() -> None:
    lib = load_library(["tatt-2021"])
    assert set(lib.link_sets) == {"tatt-2021"}
    assert Counter(link.link_set for link in lib.links) == {"tatt-2021": 12}


GOOD = """mechanism,technique,link,source
Knowledge,5.1,link,TaTT export 2024
Beliefs about capabilities,15.1,link,TaTT export 2024
Attitude towards the behaviour,9.2,link,TaTT export 2024
Emotion,11.2,inconclusive,TaTT export 2024
Emotion,5.6,non-link,TaTT export 2024
"""


def test_user_csv_reads_links_and_skips_the_rest(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "tatt.csv"
    path.write_text(GOOD, encoding="utf-8")
    s = read_link_set_csv(path, library.frameworks, library)
    assert s.name == "tatt"
    assert [(link.from_id, link.to_id) for link in s.links] == [
        ("tdf:knowledge", "bct:5.1"),
        ("tdf:beliefs-about-capabilities", "bct:15.1"),
    ]
    assert s.skipped == {"mechanism of action that is not a TDF domain": 1, "inconclusive": 1, "non-link": 1}
    extended = library.with_link_sets([s])
    assert "tatt" in extended.link_sets and "tatt" not in library.link_sets


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # a misspelt domain names the closest one, with the row's line
        (
            "domain,technique,link\nKnowlege,5.1,link\n",
            "{p}:2: unknown TDF domain 'Knowlege' — did you mean 'knowledge'?",
        ),
        # a BCT number outside the taxonomy
        (
            "domain,technique,link\nKnowledge,5.1,link\nSkills,17.2,link\n",
            "{p}:3: unknown BCT number '17.2' — BCT Taxonomy v1 numbers run from 1.1 to 16.3",
        ),
        # a link status outside the vocabulary
        (
            "domain,technique,link\nSkills,4.1,maybe\n",
            "{p}:2: link 'maybe' is not one of link, inconclusive, non-link, no-evidence",
        ),
        # the same pair twice
        (
            "domain,technique,link\nSkills,4.1,link\nskills,4.1,link\n",
            "{p}:3: duplicate link tdf:skills -> bct:4.1 — remove one of the rows",
        ),
        # a header without the technique column
        (
            "domain,bct_label,link\nSkills,x,link\n",
            "{p}:1: missing column(s) technique — the header needs domain (or mechanism), technique, link, "
            "and optionally source",
        ),
        # nothing to add
        (
            "domain,technique,link\nSkills,4.1,non-link\n",
            "{p}: no row says 'link' between a TDF domain and a technique — nothing to add",
        ),
    ],
)
def test_bad_user_csv(library: Library, tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_link_set_csv(path, library.frameworks, library)
    assert str(info.value) == message.format(p=path)


def test_user_csv_lists_every_bad_row(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("domain,technique,link\nKnowlege,5.1,link\nSkills,99.1,link\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_link_set_csv(path, library.frameworks, library)
    assert [p.line for p in info.value.problems] == [2, 3]
