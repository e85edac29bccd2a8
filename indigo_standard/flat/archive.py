"""Zip archives (a zip of the CSV export, or an XLSX workbook), checked before anything is unpacked.

:func:`check_archive` reads only the archive's directory and refuses, in one line naming
the member: a name that leads out of the archive (``..`` or an absolute path), a symbolic
link, an encrypted member, a compression method other than deflate (or none), and an
archive that would unpack to more than the limits allow (see :mod:`indigo_standard.limits`).
Members are then read as streams. Python's zip reader never unpacks a member beyond
the size the directory gives it, so the directory's sizes bound the whole read; the
checks also keep to deflate, which it unpacks in bounded steps (bzip2 and LZMA members
are unpacked a whole block at a time, which a hostile member can make gigabytes).
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath

from ..errors import IndigoError, InputError
from ..limits import RATIO_GRACE, Limits, current_limits, format_size

READ_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
"""The compression methods read."""
METHOD_NAMES = {
    9: "Deflate64",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "LZMA",
    93: "Zstandard",
    98: "PPMd",
    99: "AES encryption",
}

SIZE_FLAG = "--max-uncompressed-size"
RATIO_FLAG = "--max-compression-ratio"


def _unsafe_name(name: str) -> bool:
    """True for a member name that leads out of the folder it would be unpacked into."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")


def check_archive(file: str, archive: zipfile.ZipFile, limits: Limits | None = None) -> None:
    """Refuse an archive that cannot be read safely; see the module's description."""
    limits = limits or current_limits()
    total = 0
    for info in archive.infolist():
        name = info.filename
        if _unsafe_name(name):
            raise InputError(
                f"{file}: the member {name!r} leads out of the archive (.. or an absolute path); refused"
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            raise InputError(f"{file}: the member {name!r} is a symbolic link; refused")
        if info.flag_bits & 0x1:
            raise InputError(f"{file}: the member {name!r} is encrypted; decrypt the archive first")
        if info.compress_type not in READ_METHODS:
            method = METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
            raise InputError(
                f"{file}: the member {name!r} is compressed with {method}, which is not read; "
                "make the archive again with standard (deflate) compression"
            )
        total += info.file_size
        if total > limits.max_uncompressed_size:
            raise InputError(
                f"{file}: unpacks to more than {format_size(limits.max_uncompressed_size)}, the limit on "
                f"uncompressed size; if you trust the file, raise it with {SIZE_FLAG}"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_GRACE and ratio > limits.max_compression_ratio:
            raise InputError(
                f"{file}: the member {name!r} is compressed {ratio:,.0f} times, more than the limit on "
                f"compression ratio ({limits.max_compression_ratio:g}); if you trust the file, raise it "
                f"with {RATIO_FLAG}"
            )


def member_name(name: str) -> str:
    """A member's file name without its folders inside the archive."""
    return PurePosixPath(name.replace("\\", "/")).name


@contextmanager
def zip_errors(file: str) -> Iterator[None]:
    """Turn what Python's zip reader raises for a damaged archive into a one-line input error."""
    try:
        yield
    except IndigoError:
        raise
    except zipfile.BadZipFile as error:
        raise InputError(f"{file}: not a valid zip archive, or its data is damaged ({error})") from None
    except (zlib.error, EOFError) as error:
        raise InputError(f"{file}: the compressed data is damaged ({error})") from None
    except NotImplementedError as error:
        raise InputError(f"{file}: cannot be unpacked ({error})") from None
    except RuntimeError as error:  # an encrypted member that the directory did not mark as such
        raise InputError(f"{file}: cannot be unpacked ({error})") from None
    except OSError as error:
        raise InputError(f"{file}: cannot be read ({error.strerror or error})") from None
