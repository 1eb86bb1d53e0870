"""The API fuzzed from its own OpenAPI document (schemathesis): no 5xx, responses match the schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.helpers import Api, henvendelse, make_user


@pytest.fixture
def api_schema(app, services, client):
    make_user(services, "fuzz", "sagsbehandler", "faglig_konsulent", "procesejer", "administrator", team=None)
    token = Api.login(client, "fuzz")
    case = token.open_case()
    token.complete(token.only_task(case["id"])["id"], henvendelse())
    app.config["FUZZ_TOKEN"] = token.token
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


# Revoking the shared token would turn every later request into a 401; revocation has its own test.
schema = schemathesis.pytest.from_fixture("api_schema").exclude(path_regex=r".*/auth/revoke$")


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@pytest.mark.slow
def test_no_request_makes_the_api_fail_or_break_its_contract(case, app):
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {app.config['FUZZ_TOKEN']}"}
    case.call_and_validate(
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
