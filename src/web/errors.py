"""Map domain errors to HTTP answers: {"code", "status", "message", "errors"} like flask-smorest's own."""

from __future__ import annotations

import logging
import re

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from engine.diagrams import DiagramError
from engine.errors import ProcessError
from tasks.accounts.tokens import TooManyAttempts
from tasks.service.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TooLarge,
    Unauthenticated,
    Unavailable,
    UnsupportedType,
)

log = logging.getLogger(__name__)

_STATUS = {
    TooManyAttempts: 429,
    TooLarge: 413,
    UnsupportedType: 415,
    NotFound: 404,
    Forbidden: 403,
    Conflict: 409,
    Invalid: 422,
    Unauthenticated: 401,
    Unavailable: 503,
}
_NAMES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    503: "Service Unavailable",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
}


# Werkzeug's own descriptions are English; a user of Sagsflow reads Danish, on pages and in the API.
_DANISH = {
    400: "Forespørgslen kunne ikke forstås.",
    401: "Du skal logge ind.",
    403: "Du har ikke adgang til dette.",
    404: "Siden eller ressourcen findes ikke. Tjek adressen.",
    405: "Metoden er ikke tilladt på denne adresse.",
    406: "Svaret kan ikke leveres i det ønskede format.",
    409: "Konflikt med den nuværende tilstand.",
    413: "Indholdet er for stort (en fil må højst fylde den grænse, der står ved feltet).",
    414: "Adressen er for lang.",
    415: "Indholdstypen understøttes ikke.",
    422: "Forespørgslen indeholder ugyldige felter.",
    429: "For mange forespørgsler. Vent lidt, og prøv igen.",
    500: "Der opstod en intern fejl. Prøv igen, eller kontakt support.",
}


def _answer(code: int, message: str, errors: object = None, headers: dict[str, str] | None = None):
    if not request.path.startswith("/api/"):
        return render_template("error.html", code=code, message=message, errors=errors), code, headers or {}
    body = {"code": code, "status": _NAMES.get(code, ""), "message": message}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = code
    if code == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    response.headers.update(headers or {})
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        code = next((c for cls, c in _STATUS.items() if isinstance(exc, cls)), 400)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else None
        return _answer(code, exc.message, exc.errors, headers)

    @app.errorhandler(DiagramError)
    def _diagram(exc: DiagramError):
        return _answer(422, f"Diagrammet blev afvist: {exc}", {"diagram": [p.as_dict() for p in exc.problems]})

    @app.errorhandler(ProcessError)
    def _process(exc: ProcessError):
        # An engine error outside the use cases' own handling (e.g. at case start): the unit of
        # work has rolled back; the message names the element.
        return _answer(422, f"Processen kunne ikke fortsætte: {exc}", {"_process": [str(exc)]})

    @app.errorhandler(StaleDataError)
    def _stale(exc: StaleDataError):
        return _answer(409, "Sagen blev ændret samtidig af en anden; prøv igen")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        # flask-smorest puts marshmallow's field errors in exc.data["messages"]
        messages = getattr(exc, "data", {}).get("messages") if hasattr(exc, "data") else None
        if exc.code == 413:
            messages = messages or {"file": ["Filen eller indholdet er for stort"]}
            return _answer(413, _danish_message(exc), messages, _allow_header(exc))
        if messages:
            message = "Forespørgslen kan ikke bruges; se fejlene ved hvert felt"
            return _answer(exc.code or 500, message, danish(messages), _allow_header(exc))
        return _answer(exc.code or 500, _danish_message(exc), messages, _allow_header(exc))


def _danish_message(exc: HTTPException) -> str:
    """Our own (Danish) description when a view gave one; Werkzeug's English default replaced."""
    if isinstance(exc, CSRFError):
        return "Formularen mangler en gyldig sikkerhedsnøgle (CSRF). Genindlæs siden, og prøv igen."
    own = isinstance(exc.description, str) and exc.description != type(exc).description
    if own:
        return exc.description  # type: ignore[return-value]
    return _DANISH.get(exc.code or 500, "Noget gik galt.")


def _allow_header(exc: HTTPException) -> dict[str, str] | None:
    methods = getattr(exc, "valid_methods", None)
    return {"Allow": ", ".join(methods)} if methods else None


_FIELD_MESSAGES = (
    (re.compile(r"^Unknown field\.$"), "Ukendt felt."),
    (re.compile(r"^Missing data for required field\.$"), "Feltet skal udfyldes."),
    (re.compile(r"^Field may not be null\.$"), "Feltet må ikke være null."),
    (re.compile(r"^Not a valid mapping type\.$"), "Skal være et JSON-objekt."),
    (re.compile(r"^Not a valid string\.$"), "Skal være en tekst."),
    (re.compile(r"^Not a valid integer\.$"), "Skal være et heltal."),
    (re.compile(r"^Not a valid number\.$"), "Skal være et tal."),
    (re.compile(r"^Not a valid boolean\.$"), "Skal være true eller false."),
    (re.compile(r"^Not a valid list\.$"), "Skal være en liste."),
    (re.compile(r"^Not a valid datetime\.$"), "Skal være et tidspunkt (ISO 8601)."),
    (re.compile(r"^Not a valid date\.$"), "Skal være en dato (ÅÅÅÅ-MM-DD)."),
    (re.compile(r"^Not a valid email address\.$"), "Skal være en e-mailadresse."),
    (re.compile(r"^Invalid input type\.$"), "Forkert slags værdi."),
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"), r"Længden skal være mellem \1 og \2."),
    (re.compile(r"^Shorter than minimum length (\d+)\.$"), r"Skal være mindst \1 lang."),
    (re.compile(r"^Longer than maximum length (\d+)\.$"), r"Må højst være \1 lang."),
    (re.compile(r"^Must be one of: (.*)\.$"), r"Skal være en af: \1."),
    (
        re.compile(r"^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$"),
        r"Skal være mellem \1 og \2.",
    ),
    (re.compile(r"^Must be greater than or equal to (\S+)\.$"), r"Skal være mindst \1."),
    (re.compile(r"^Must be less than or equal to (\S+)\.$"), r"Må højst være \1."),
    (re.compile(r"^Not a valid aware datetime\.$"), "Skal være et tidspunkt med tidszone (ISO 8601)."),
)


def danish(messages: object) -> object:
    """marshmallow's English field messages, said in Danish (the field names stay as they are)."""
    if isinstance(messages, dict):
        return {key: danish(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [danish(item) for item in messages]
    if isinstance(messages, str):
        for pattern, replacement in _FIELD_MESSAGES:
            if pattern.match(messages):
                return pattern.sub(replacement, messages)
    return messages
