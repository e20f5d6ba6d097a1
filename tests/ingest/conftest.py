import pytest

from ..support.ingest import Pusher
from ..support.sensors import make_station
from .records import DVC


@pytest.fixture
def dvc(client, api):
    return Pusher(client, api, DVC)


@pytest.fixture
def everything(client, api):
    """A source that may send every type for province 82."""
    spec = {
        "name": "lgsp-82",
        "types": ["procedure", "dossier", "feedback", "reading", "observation"],
        "units": ["82"],
    }
    make_station(client, api, "MT-01")  # the station of ``records.reading``
    return Pusher(client, api, spec)
