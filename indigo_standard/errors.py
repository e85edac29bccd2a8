"""The exceptions the library raises, all rooted at :class:`IndigoError`."""

from __future__ import annotations


class IndigoError(Exception):
    """Base class of every error raised by indigo-standard."""


class UnknownVersionError(IndigoError, ValueError):
    """A schema version that this release of the library does not support."""


class UnknownEntityError(IndigoError, KeyError):
    """A record type or schema name that the standard does not have; the message names those it has."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class InputError(IndigoError):
    """An input that cannot be read: missing, unreadable, malformed or of the wrong shape.

    The message names the file and, where known, the line and column or the record.
    """


class InputTypeError(InputError, TypeError):
    """An argument of a type the function does not take, such as ``validate(None)`` or ``dump(42)``."""


class OutputError(IndigoError):
    """An output that cannot be written: its folder is missing, a folder is in the way, the
    file system is read-only or full. The message names the output, never a temporary file;
    whatever was there before is left as it was."""


class SchemaReferenceError(IndigoError):
    """A ``$ref`` that points outside the bundled schemas; it is refused, never fetched."""


def type_shown(value: object) -> str:
    """How the type of an argument reads in a message: ``None``, ``a set``, ``an int``."""
    if value is None:
        return "None"
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"
