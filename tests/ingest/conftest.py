import pytest

from ..support.ingest import Pusher
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
    return Pusher(client, api, spec)
