"""The errors of the typed model: a record that does not fit it, and a wrong value given in code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import IndigoError

if TYPE_CHECKING:
    from ..validation.result import Issue


class StructureError(IndigoError, ValueError):
    """A record with values the typed model cannot hold, raised by ``load(..., strict=True)``.

    ``problems`` lists every one as the :class:`~indigo_standard.validation.result.Issue`
    that ``validate`` reports for it (``code``, ``path`` as a JSON pointer, ``message``).
    """

    def __init__(self, what: str, problems: Sequence[Issue]) -> None:
        self.what = what
        self.problems = tuple(problems)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        lines = "".join(
            f"\n  {problem.path or '/'}: {problem.message} [{problem.code}]" for problem in problems
        )
        super().__init__(f"cannot load {what}: {count}:{lines}")


class FieldError(IndigoError, TypeError, ValueError):
    """A value of the wrong type (or an unknown code) given to a model attribute in code.

    ``where`` names the class and attribute (``Project.name``); ``value`` is what was given.
    It is both a TypeError and a ValueError, so either ``except`` catches it.
    """

    def __init__(self, where: str, problem: str, value: Any) -> None:
        self.where = where
        self.value = value
        super().__init__(f"{where}: {problem}")
