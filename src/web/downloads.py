"""Serving user-made XML (diagrams, decision tables) so that a browser can never run it.

A deployed diagram is data from a user: an XHTML ``<script>`` inside its extensionElements would
run if the browser rendered it as XML.  So it is sent as ``text/plain`` and as an attachment, with
``nosniff``; the viewer and the editors load it with fetch(), which none of this affects.
"""

from __future__ import annotations

import re

from flask import Response

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
