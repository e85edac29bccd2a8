"""The error ``load`` raises when a record cannot become a typed object."""

from __future__ import annotations

import attrs

from ..errors import IndigoError


@attrs.frozen
class Problem:
    """One reason a record could not be loaded: where (a JSON pointer) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message}"


class StructureError(IndigoError, ValueError):
    """A record that does not fit the typed model; ``problems`` lists every reason, with its path."""

    def __init__(self, what: str, problems: list[Problem]) -> None:
        self.what = what
        self.problems = tuple(problems)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        lines = "".join(f"\n  {problem}" for problem in problems)
        super().__init__(f"cannot load {what}: {count}:{lines}")
