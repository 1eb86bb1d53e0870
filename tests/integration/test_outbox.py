"""The outbox talks to the SMTP server with no database lock held, so a slow mail server stalls no one."""

from __future__ import annotations

from aiosmtpd.controller import Controller
from sqlalchemy import select

from tasks.accounts.model import User
from tasks.cases.opening import NewCase, open_case
from tasks.mail.model import OutboxMail
from tasks.mail.outbox import enqueue, send_pending
from tasks.mail.smtp import SmtpMailer, SmtpSettings
from tasks.service.actors import Actor
from tests.smtp import free_port


class WritesWhileAnswering:
    """An SMTP server that, before it accepts a mail, has another user write to the database."""

    def __init__(self, write) -> None:
        self.write = write
        self.written: list[int] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.written.append(self.write())
        return "250 OK"


def test_a_case_can_be_opened_while_the_outbox_is_talking_to_the_mail_server(services, clock, sara):
    with services.uow() as uow:
        actor = Actor.of(uow.session.scalars(select(User).where(User.username == "sara")).one())
        enqueue(uow.session, key="test:1", recipient="leder@kommune.test", subject="Frist", body="Sag", now=clock.now())
        uow.commit()
    handler = WritesWhileAnswering(
        lambda: open_case(services.uow(), actor, NewCase(title="Imens", ydelse="SEL § 85"), clock.now()).id
    )
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mailer = SmtpMailer(SmtpSettings(host="127.0.0.1", port=port, timeout=20))
        result = send_pending(services, mailer, clock.now())
    finally:
        controller.stop()
    assert (result.sent, result.failed) == (1, 0)
    assert len(handler.written) == 1  # the write went through while the mail was being sent
    with services.uow() as uow:
        mail = uow.session.scalars(select(OutboxMail)).one()
        assert (mail.status, mail.attempts, mail.lease_until) == ("sent", 1, None)


def test_a_sender_that_died_mid_send_leaves_the_mail_to_be_tried_again_after_its_lease(services, clock, smtp_server):
    from datetime import timedelta

    with services.uow() as uow:
        enqueue(uow.session, key="test:2", recipient="a@kommune.test", subject="S", body="B", now=clock.now())
        uow.commit()
    with services.uow() as uow:  # what a crashed sender leaves behind: claimed, never recorded
        mail = uow.session.scalars(select(OutboxMail)).one()
        mail.status, mail.lease_until, mail.attempts = "sending", clock.now() + timedelta(minutes=5), 1
        uow.commit()
    mailer = SmtpMailer(SmtpSettings(host="127.0.0.1", port=smtp_server.port))
    assert send_pending(services, mailer, clock.now()).sent == 0  # the lease still runs
    assert send_pending(services, mailer, clock.now() + timedelta(minutes=6)).sent == 1
    assert len(smtp_server.messages) == 1
