import pytest

from ..support.indicators import Reporter


@pytest.fixture
def leader(client, api):
    return Reporter(client, api.user("lanhdao", "leader"))


@pytest.fixture
def officer(client, api):
    return Reporter(client, api.user("canbo.tinh", "officer", unit="82"))
