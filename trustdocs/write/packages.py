"""Zip packages (XLSX, DOCX) re-packed so that their bytes depend only on their content and one date."""

from __future__ import annotations

import io
import zipfile

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The earliest time a zip entry can carry."""


def repack(data: bytes, stamp: tuple[int, int, int, int, int, int] = ZIP_EPOCH) -> bytes:
    """`data`, a zip package, with every entry dated `stamp`, mode 0644 and deflated, in the order the
    writer put them: the library's save time and the file system no longer reach the bytes."""
    stamp = max(ZIP_EPOCH, stamp)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
