"""A stored file as a download: always an attachment, never sniffed, never cached."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response

from tasks.documents.storage import DocumentFile


def attachment(file: DocumentFile) -> Response:
    ascii_name = file.filename.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file.filename)}"
    return Response(
        file.content,
        mimetype=file.mime_type,
        headers={
            "Content-Disposition": disposition,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )
