"""The PostgreSQL connection pool is sized from the settings (README: Production, connections)."""

from __future__ import annotations

import pytest

from engine.db import make_engine
from web.config import ConfigError, Settings

SERVER = "postgresql+psycopg://sagsflow@127.0.0.1:1/nowhere"  # never connected to: the pool is only built


def test_the_pool_takes_its_size_overflow_timeout_and_recycle_from_the_environment():
    settings = Settings.from_env(
        {
            "SAGSFLOW_DATABASE_URL": SERVER,
            "SAGSFLOW_DB_POOL_SIZE": "9",
            "SAGSFLOW_DB_MAX_OVERFLOW": "0",
            "SAGSFLOW_DB_POOL_TIMEOUT": "7",
            "SAGSFLOW_DB_POOL_RECYCLE": "600",
        }
    )
    pool = make_engine(settings.database_url, settings.pool).pool
    assert (pool.size(), pool._max_overflow, pool._timeout, pool._recycle) == (9, 0, 7, 600)


def test_without_settings_a_process_holds_at_most_ten_connections():
    pool = make_engine(SERVER, Settings.from_env({}).pool).pool
    assert pool.size() + pool._max_overflow == 10


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SAGSFLOW_DB_POOL_SIZE", "0", "SAGSFLOW_DB_POOL_SIZE skal være mindst 1"),
        ("SAGSFLOW_DB_MAX_OVERFLOW", "-1", "SAGSFLOW_DB_MAX_OVERFLOW skal være mindst 0"),
        ("SAGSFLOW_DB_POOL_TIMEOUT", "tre", "SAGSFLOW_DB_POOL_TIMEOUT skal være et heltal"),
    ],
)
def test_a_bad_pool_setting_stops_the_start_naming_the_variable(name, value, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_env({name: value})
