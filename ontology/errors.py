"""The exceptions barriermap raises; cli.py turns each into one line on stderr and exit 1."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BarriermapError",
    "Problem",
    "DataError",
    "InputError",
    "OutputError",
    "ReasonerError",
    "UnknownIdError",
]


class BarriermapError(Exception):
    """Base of every error barriermap raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a user's file, at a line where known."""

    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        from ontology.textsafety import visible_text  # a quoted name shows what it holds: 'know{U+200B}ledge'

        where = self.path or ""
        if self.path is not None and self.line is not None:
            where = f"{self.path}:{self.line}"
        return visible_text(f"{where}: {self.message}" if where else self.message)


class InputError(BarriermapError):
    """A user's file is malformed or says something impossible (one or more problems, one per line)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.problems: tuple[Problem, ...] = (Problem(message, path, line),)
        super().__init__(str(self.problems[0]))

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> InputError:
        """One error carrying several problems; its text has one problem per line."""
        err = cls(problems[0].message, problems[0].path, problems[0].line)
        err.problems = tuple(problems)
        err.args = ("\n".join(str(p) for p in problems),)
        return err


class UnknownIdError(BarriermapError):
    """An id, number or label names nothing barriermap knows."""


class DataError(BarriermapError):
    """Shipped reference data is inconsistent (a bug in barriermap, not in the user's input)."""


class OutputError(BarriermapError):
    """An output file or folder cannot be written."""


class ReasonerError(BarriermapError):
    """The OWL reasoner could not run, or found the ontology inconsistent."""


class StoreError(BarriermapError):
    """A SPARQL store or endpoint could not be opened, read or written."""
