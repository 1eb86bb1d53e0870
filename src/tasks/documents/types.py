"""Which files a case may hold, decided from their bytes (``filetype`` reads the magic numbers), never from the
name or the type the browser claims: PDF, images, office files (OOXML, OpenDocument, the old binary formats)."""

from __future__ import annotations

import filetype

ALLOWED: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG-billede",
    "image/png": "PNG-billede",
    "image/gif": "GIF-billede",
    "image/tiff": "TIFF-billede",
    "image/webp": "WebP-billede",
    "image/heic": "HEIC-billede",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word-dokument",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel-regneark",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint-præsentation",
    "application/msword": "Word-dokument",
    "application/vnd.ms-excel": "Excel-regneark",
    "application/vnd.ms-powerpoint": "PowerPoint-præsentation",
    "application/vnd.oasis.opendocument.text": "OpenDocument-tekst",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument-regneark",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument-præsentation",
    "application/rtf": "RTF-dokument",
}
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/tiff": "tif",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/rtf": "rtf",
}


def real_type(content: bytes) -> str | None:
    """The MIME type the bytes are, when it is one a case may hold; else None."""
    kind = filetype.guess(content)
    if kind is None:
        return None
    mime = "application/rtf" if kind.mime == "text/rtf" else kind.mime
    return mime if mime in ALLOWED else None


def accepted_kinds() -> str:
    """For an error message: 'PDF, billeder (JPEG, PNG, …) og kontorfiler (Word, Excel, …)'."""
    return (
        "PDF, billeder (JPEG, PNG, GIF, TIFF, WebP, HEIC) og kontorfiler (Word, Excel, PowerPoint, OpenDocument, RTF)"
    )
