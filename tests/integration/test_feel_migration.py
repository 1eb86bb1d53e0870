"""Migration 0005: stored versions with Python expressions are converted to FEEL and keep working."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import create_engine, text

from engine.decisions import parse_decision
from engine.diagrams import parse_diagram
from tasks.cases.process_data import SYSTEM_DATA_NAMES as PROCESS_DATA_NAMES
from tasks.definitions.deployment import read_forms
from tests.conftest import PROCESSES, TEST_PROCESSES
from web.database import alembic_config

OLD_TABLE = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="Frist" namespace="x">
  <decision id="sagsbehandlingsfrist" name="Frist">
    <decisionTable id="t" hitPolicy="FIRST">
      <input id="i"><inputExpression id="ie" typeRef="string"><text>ydelse</text></inputExpression></input>
      <output id="o" name="frist" typeRef="string"/>
      <rule id="r1"><inputEntry id="r1i"><text>'SEL § 85'</text></inputEntry>
        <outputEntry id="r1o"><text>'8 uger'</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="r2i"><text>-</text></inputEntry>
        <outputEntry id="r2o"><text>"1 uge"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>"""


def test_stored_python_versions_are_translated_to_feel_and_rehashed(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0004")
    old_bpmn = (TEST_PROCESSES / "legacy" / "sagsbehandling_python.bpmn").read_text(encoding="utf-8")
    forms = read_forms(PROCESSES / "forms")
    now = datetime(2026, 11, 23, tzinfo=UTC)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO process_versions (process_key, version, name, bpmn_xml, forms, content_hash, deployed_at)"
                " VALUES ('sagsbehandling', 1, 'Sagsbehandling', :xml, :forms, 'gammel', :now)"
            ),
            {"xml": old_bpmn, "forms": json.dumps(forms), "now": now},
        )
        conn.execute(
            text(
                "INSERT INTO decision_versions (decision_key, version, name, dmn_xml, content_hash, deployed_at)"
                " VALUES ('sagsbehandlingsfrist', 1, 'Frist', :xml, 'gammel', :now)"
            ),
            {"xml": OLD_TABLE, "now": now},
        )
    command.upgrade(config, "head")
    with engine.connect() as conn:
        bpmn_xml, process_hash = conn.execute(text("SELECT bpmn_xml, content_hash FROM process_versions")).one()
        dmn_xml, table_hash = conn.execute(text("SELECT dmn_xml, content_hash FROM decision_versions")).one()
    engine.dispose()
    assert "==" not in bpmn_xml and "True" not in bpmn_xml and "if kadence_godkendt:" not in bpmn_xml
    parse_diagram(bpmn_xml, forms, data_names=PROCESS_DATA_NAMES)  # FEEL that passes every deploy check
    assert process_hash == hashlib.sha256(bpmn_xml.encode() + json.dumps(forms, sort_keys=True).encode()).hexdigest()
    table = parse_decision(dmn_xml)
    assert table.evaluate({"ydelse": "SEL § 85"}) == {"frist": "8 uger"}
    assert table.evaluate({"ydelse": "SEL § 108"}) == {"frist": "1 uge"}
    assert table_hash == hashlib.sha256(dmn_xml.encode("utf-8")).hexdigest()
