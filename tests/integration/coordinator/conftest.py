"""Fixtures of the coordinator-area integration tests."""

import pytest

from tests.integration.coordinator.helpers import Browser, make_coordinator


@pytest.fixture
async def rt03(db):
    return await make_coordinator("rt03.test")


@pytest.fixture
async def browser(client, login_as, rt03):
    await login_as(rt03)
    return Browser(client)
