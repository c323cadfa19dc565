"""What each technique answers, in the words of the statements it answers: a retrieval index over
techniques/data/applied.yaml, so that a statement's own words can rank its candidate techniques.

The index is BM25 (the bm25s library, with the Snowball English stemmer of PyStemmer) over one document per
technique: its label, barriermap's one-line description, the situations it answers and an applied example.
Nothing is fetched at run time. A statement's relevance to a technique is its BM25 score divided by the
best score among the techniques asked about, so it lies in [0, 1] for every statement, whatever its length.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ontology import DataError, read_data
from ontology.vocabulary import BCT, curie

__all__ = ["BEHAVIOUR_KINDS", "ContentIndex", "Relevance", "content_index"]

BEHAVIOUR_KINDS = ("start", "stop", "substitute", "maintain")
# function words and the words every statement about practice shares: they say nothing about which technique
# answers it (bm25s's own English list is 33 words)
_COMMON = """a about after again all also am an and any are as at be because been before being but by can
could did do does doing done during each even every for from get gets getting go going got had has have
having he her here him his how i if in into is it its just like make makes many may me more most much
must my no nor not of off on once one only or other our out over own really said same say says see she
should so some such than that the their them then there these they thing things this those through to
too under until up us very was way we were what when where which while who whom why will with would
clinician clinicians person people new use used using
you your""".split()


@dataclass(frozen=True)
class Relevance:
    """How well one technique answers what a statement says: a share of the best match, and the words shared."""

    share: float  # 0-1: this technique's BM25 score over the best among those asked about
    words: tuple[str, ...]  # the statement's word stems that the technique's text holds


@dataclass(frozen=True)
class ContentIndex:
    """A BM25 index over the techniques' applied text, and each technique's behaviour kinds."""

    ids: tuple[str, ...]
    kinds: dict[str, frozenset[str]]
    _retriever: Any
    _vocab: dict[str, frozenset[str]]  # technique id -> its stemmed words
    _stemmer: Any

    def _tokens(self, text: str) -> list[str]:
        import bm25s

        tokens: list[list[str]] = bm25s.tokenize(
            text, stopwords=_COMMON, stemmer=self._stemmer, return_ids=False, show_progress=False
        )
        return tokens[0] if tokens else []

    def relevance(self, text: str, techniques: Iterable[str], ignore: str = "") -> dict[str, Relevance]:
        """Each technique's relevance to `text`, as a share of the best among `techniques`; the words of
        `ignore` (the behaviour's own topic) do not count."""
        wanted = [t for t in techniques if t in self._vocab]
        skip = set(self._tokens(ignore)) if ignore else set()
        query = [w for w in self._tokens(text) if w not in skip]
        if not query or not wanted:
            return {}
        scores = self._retriever.get_scores(query)
        raw = {t: float(scores[self.ids.index(t)]) for t in wanted}
        best = max(raw.values())
        if best <= 0:
            return {}
        words = set(query)
        return {
            t: Relevance(round(s / best, 6), tuple(sorted(words & self._vocab[t]))) for t, s in raw.items() if s > 0
        }


def _document(row: dict[str, Any], label: str, description: str) -> str:
    # the situations a technique answers are what statements say: they count twice
    return " ".join((label, description, row.get("answers", ""), row.get("answers", ""), row.get("applied", "")))


@functools.cache
def content_index() -> ContentIndex:
    """The index over every technique of techniques/data/applied.yaml (built once per process).

    Raises:
        DataError: when the shipped file names a technique or behaviour kind that does not exist.
    """
    import bm25s
    import Stemmer

    rows: dict[str, dict[str, Any]] = read_data("techniques", "applied.yaml")["techniques"]
    taxonomy = {str(t["number"]): t for t in read_data("techniques", "bcttv1.yaml")["techniques"]}
    ids, docs, kinds = [], [], {}
    for number, row in rows.items():
        if number not in taxonomy:
            raise DataError(f"techniques/data/applied.yaml: '{number}' is not a BCTTv1 technique")
        bad = set(row.get("kinds", ())) - set(BEHAVIOUR_KINDS)
        if bad:
            raise DataError(f"techniques/data/applied.yaml: {number} names unknown kinds {sorted(bad)}")
        tid = curie(BCT, number)
        ids.append(tid)
        docs.append(_document(row, taxonomy[number]["label"], taxonomy[number]["description"]))
        kinds[tid] = frozenset(row.get("kinds", ()))
    stemmer = Stemmer.Stemmer("english")
    tokens = bm25s.tokenize(docs, stopwords=_COMMON, stemmer=stemmer, return_ids=False, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(docs, stopwords=_COMMON, stemmer=stemmer, show_progress=False), show_progress=False)
    vocab = {tid: frozenset(words) for tid, words in zip(ids, tokens, strict=True)}
    return ContentIndex(tuple(ids), kinds, retriever, vocab, stemmer)
