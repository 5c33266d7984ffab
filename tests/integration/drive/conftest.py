"""Fixtures of the drive's integration tests."""

import pytest

from tests.integration import staff_fixtures as fx


@pytest.fixture
async def officer(client, login_as):
    """A Kota officer, signed in."""
    user = await fx.staff("kota")
    await login_as(user)
    return user
