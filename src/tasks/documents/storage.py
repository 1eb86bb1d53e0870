"""Upload, list and download a case's documents.  Every download is a read of personal data: access-logged."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import undefer

from tasks.access.log import log_read
from tasks.access.policy import visible_case
from tasks.documents.model import Document
from tasks.documents.types import ALLOWED, EXTENSIONS, accepted_kinds, real_type
from tasks.events import DocumentAdded
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, Invalid, NotFound, TooLarge, UnsupportedType
from tasks.service.uow import UnitOfWork

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
UPLOADERS = frozenset({"sagsbehandler", "faglig_konsulent", "leder", "krisecenter"})


@dataclass(frozen=True)
class DocumentView:
    id: int
    case_id: int
    filename: str
    mime_type: str
    kind: str
    size: int
    uploaded_at: datetime
    uploaded_by: str

    @classmethod
    def of(cls, row: Document) -> DocumentView:
        return cls(
            row.id,
            row.case_id,
            row.filename,
            row.mime_type,
            ALLOWED.get(row.mime_type, row.mime_type),
            row.size,
            row.uploaded_at,
            row.uploaded_by,
        )


@dataclass(frozen=True)
class DocumentFile:
    filename: str
    mime_type: str
    content: bytes


def upload_document(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    filename: str,
    content: bytes,
    now: datetime,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> DocumentView:
    """Store a file on a case after checking its size and its real type (from its bytes)."""
    name = clean_filename(filename)
    if not content:
        raise Invalid("Filen er tom", {"file": ["Vælg en fil, der ikke er tom"]})
    if len(content) > max_bytes:
        limit = f"{max_bytes / 1024 / 1024:.0f} MB"
        raise TooLarge(f"Filen er for stor (højst {limit})", {"file": [f"Filen må højst fylde {limit}"]})
    mime = real_type(content)
    if mime is None:
        raise UnsupportedType(
            "Filtypen kan ikke lægges på en sag", {"file": [f"Filen er ikke en tilladt type: {accepted_kinds()}"]}
        )
    with uow:
        case = visible_case(uow, actor, case_id)
        if not actor.roles & UPLOADERS:
            raise Forbidden("Din rolle kan ikke lægge dokumenter på sager")
        row = Document(
            case_id=case.id,
            uploaded_at=now,
            uploaded_by_id=actor.id,
            uploaded_by=actor.username,
            filename=_with_extension(name, mime),
            mime_type=mime,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
        )
        uow.session.add(row)
        uow.session.flush()
        uow.publish(DocumentAdded(case, now, actor.username, row.id, row.filename))
        view = DocumentView.of(row)
        uow.commit()
    return view


def list_documents(uow: UnitOfWork, actor: Actor, case_id: int, purpose: str = "api:dokumenter") -> list[DocumentView]:
    with uow:
        case = visible_case(uow, actor, case_id)
        views = [DocumentView.of(d) for d in case_documents(uow, case.id)]
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        uow.commit()
    return views


def download_document(
    uow: UnitOfWork, actor: Actor, case_id: int, document_id: int, purpose: str = "api:dokument"
) -> DocumentFile:
    """The file's bytes; the download is access-logged."""
    with uow:
        case = visible_case(uow, actor, case_id)
        row = uow.session.scalar(
            select(Document)
            .where(Document.id == document_id, Document.case_id == case.id)
            .options(undefer(Document.content))
        )
        if row is None:
            raise NotFound("Dokumentet findes ikke")
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        result = DocumentFile(row.filename, row.mime_type, row.content)
        uow.commit()
    return result


def case_documents(uow: UnitOfWork, case_id: int) -> list[Document]:
    """Within an open unit of work: the case's documents (without their bytes), oldest first."""
    query = select(Document).where(Document.case_id == case_id).order_by(Document.uploaded_at, Document.id)
    return list(uow.session.scalars(query))


_UNSAFE = re.compile(r"[^\w .,()+\-æøåÆØÅ]", re.UNICODE)


def clean_filename(filename: str | None) -> str:
    """The file's own name without any path, control characters or quotes; at most 150 characters."""
    base = re.split(r"[\\/]", filename or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE.sub("_", base).strip(" .")
    return base[:150] or "dokument"


def _with_extension(name: str, mime: str) -> str:
    ext = EXTENSIONS.get(mime, "bin")
    stem, dot, current = name.rpartition(".")
    if dot and current.lower() in (ext, "jpeg" if ext == "jpg" else ext, "tiff" if ext == "tif" else ext):
        return name
    return f"{name}.{ext}"
