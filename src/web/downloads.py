"""Serving files a user made so that a browser can never run them or cache them.

- A deployed diagram or table is data from a user: an XHTML ``<script>`` inside its
  extensionElements would run if the browser rendered it as XML.  So it is sent as ``text/plain``
  and as an attachment, with ``nosniff``; the viewer and the editors load it with fetch(), which
  none of this affects.
- A document on a case is always an attachment, never sniffed, never cached.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Response

from tasks.documents.storage import DocumentFile

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def xml_download(xml: str, filename: str) -> Response:
    name = _SAFE_NAME.sub("_", filename) or "download.xml"
    return Response(
        xml,
        mimetype="text/plain",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


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
