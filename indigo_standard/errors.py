"""The exceptions the library raises, all rooted at :class:`IndigoError`."""

from __future__ import annotations


class IndigoError(Exception):
    """Base class of every error raised by indigo-standard."""


class UnknownVersionError(IndigoError, ValueError):
    """A schema version that this release of the library does not support."""


class InputError(IndigoError):
    """An input that cannot be read: missing, unreadable, malformed or of the wrong shape.

    The message names the file and, where known, the line and column or the record.
    """


class SchemaReferenceError(IndigoError):
    """A ``$ref`` that points outside the bundled schemas; it is refused, never fetched."""
