"""A browser-like client for the server-rendered pages: logs in through the form, sends CSRF tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tests.helpers import PASSWORD

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Browser:
    client: Any

    @classmethod
    def login(cls, client: Any, username: str, password: str = PASSWORD) -> Browser:
        browser = cls(client)
        response = browser.post("/log-ind", {"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return browser

    def get(self, path: str, **kwargs: Any):
        return self.client.get(path, **kwargs)

    def csrf(self, path: str = "/log-ind") -> str:
        page = self.client.get(path).get_data(as_text=True)
        match = _CSRF.search(page)
        assert match, page
        return match.group(1)

    def post(self, path: str, data: dict[str, Any] | None = None, *, from_page: str = "/log-ind", **kwargs: Any):
        return self.client.post(path, data={"csrf_token": self.csrf(from_page), **(data or {})}, **kwargs)


def text(response) -> str:
    """The page's visible text, tags removed and whitespace folded: what a user reads."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
