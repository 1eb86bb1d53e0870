"""The partshøring svarfrist: a boundary timer that cancels the answer task when the frist passes."""

from __future__ import annotations

from datetime import UTC, datetime

from tasks.work.timers import sweep_timers
from tests.helpers import Api, henvendelse, partshoering, udredning


def to_partshoering_svar(sara: Api) -> tuple[int, dict]:
    case = sara.open_case()
    for data in (henvendelse(), udredning(), partshoering(sent="2026-11-23", days=14)):
        sara.complete(sara.only_task(case["id"])["id"], data)
    return case["id"], sara.only_task(case["id"])


def test_svar_task_shows_its_frist_and_the_timer_cancels_it_when_the_frist_passes(services, clock, sara):
    case_id, svar = to_partshoering_svar(sara)
    assert svar["name"] == "Registrér partshøringssvar"
    # 14 days after Monday 23 November 2026 is Monday 7 December; the frist ends 23:59:59 Copenhagen.
    assert svar["due_at"] == "2026-12-07T22:59:59+00:00"

    clock.set(datetime(2026, 12, 7, 22, 0, tzinfo=UTC))
    sara = Api.login(sara.client, "sara")  # tokens last 8 hours; two weeks went by
    assert sweep_timers(services, clock.now()).fired == 0
    assert sara.only_task(case_id)["id"] == svar["id"]

    clock.set(datetime(2026, 12, 8, 7, 0, tzinfo=UTC))
    sara = Api.login(sara.client, "sara")
    assert sweep_timers(services, clock.now()).fired == 1
    assert sweep_timers(services, clock.now()).fired == 0
    assert sara.only_task(case_id)["name"] == "Træf afgørelse"
    assert sara.get(f"/tasks/{svar['id']}").get_json()["status"] == "cancelled"
    actions = [e["action"] for e in sara.get(f"/cases/{case_id}/journal").get_json()]
    assert actions[-3:] == ["task_cancelled", "timer_fired", "task_created"]


def test_an_answer_before_the_frist_removes_the_timer(services, clock, sara):
    case_id, svar = to_partshoering_svar(sara)
    sara.complete(svar["id"], {"svar_modtaget": "2026-11-30"})
    clock.set(datetime(2027, 1, 1, tzinfo=UTC))
    sara = Api.login(sara.client, "sara")
    assert sweep_timers(services, clock.now()).fired == 0
    assert sara.only_task(case_id)["name"] == "Træf afgørelse"
