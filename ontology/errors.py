"""The exceptions barriermap raises; cli.py turns each into one line on stderr and exit 1."""

from __future__ import annotations

__all__ = [
    "BarriermapError",
    "DataError",
    "InputError",
    "OutputError",
    "ReasonerError",
    "UnknownIdError",
]


class BarriermapError(Exception):
    """Base of every error barriermap raises on purpose."""


class InputError(BarriermapError):
    """A user's file is malformed or says something impossible."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        where = path if path is not None else ""
        if path is not None and line is not None:
            where = f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


class UnknownIdError(BarriermapError):
    """An id, number or label names nothing barriermap knows."""


class DataError(BarriermapError):
    """Shipped reference data is inconsistent (a bug in barriermap, not in the user's input)."""


class OutputError(BarriermapError):
    """An output file or folder cannot be written."""


class ReasonerError(BarriermapError):
    """The OWL reasoner could not run, or found the ontology inconsistent."""
