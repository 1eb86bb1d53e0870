"""Response headers that keep the browser from running anything but our own static scripts.

Pages get a Content-Security-Policy of 'self' only and no inline script: data reaches scripts
through data-* attributes or JSON from a URL.  bpmn-js and dmn-js set inline styles, so styles may
be inline; nothing else is.  The JSON API gets a policy that allows nothing at all.
"""

from __future__ import annotations

from flask import Flask, request

PAGE_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
API_POLICY = "default-src 'none'; frame-ancestors 'none'"


def install_security_headers(app: Flask) -> None:
    app.after_request(_security_headers)


def _security_headers(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    if request.path.startswith("/api/"):
        headers.setdefault("Content-Security-Policy", API_POLICY)
        return response
    headers.setdefault("Content-Security-Policy", PAGE_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cache-Control", "no-store")
    return response
