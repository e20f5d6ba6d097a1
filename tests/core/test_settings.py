"""Settings come from the environment; a secret may come from NAME_FILE."""

import re
from pathlib import Path

import pytest

from ioc57.core import settings as settings_module
from ioc57.core.settings import SettingsError, load_settings


def test_defaults(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("IOC57_DATABASE_URL", "IOC57_SECRET_KEY", "IOC57_PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.database_url == "sqlite:///./ioc57.db" and settings.port == 8057
    assert settings.secret_key  # generated and kept beside the database file
    assert load_settings().secret_key == settings.secret_key


def test_a_secret_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.delenv("IOC57_SECRET_KEY", raising=False)
    monkeypatch.setenv("IOC57_SECRET_KEY_FILE", str(secret))
    assert load_settings(database_url=f"sqlite:///{tmp_path}/x.db").secret_key == "from-a-file"


def test_bad_values_are_named(monkeypatch):
    monkeypatch.setenv("IOC57_PORT", "eighty")
    with pytest.raises(SettingsError, match="IOC57_PORT"):
        load_settings()
    monkeypatch.delenv("IOC57_PORT")
    monkeypatch.setenv("IOC57_SECRET_KEY_FILE", "/nonexistent/secret")
    monkeypatch.delenv("IOC57_SECRET_KEY", raising=False)
    with pytest.raises(SettingsError, match="IOC57_SECRET_KEY_FILE"):
        load_settings()


def test_every_setting_is_read_here(monkeypatch, tmp_path):
    token = tmp_path / "token"
    token.write_text("ioc57_from-a-file\n")
    monkeypatch.delenv("IOC57_TOKEN", raising=False)
    monkeypatch.setenv("IOC57_TOKEN_FILE", str(token))
    monkeypatch.setenv("IOC57_PULL_SCHEDULER", "off")
    monkeypatch.setenv("IOC57_RAW_RETENTION_DAYS", "30")
    monkeypatch.setenv("IOC57_PORT", "")  # empty is unset
    settings = load_settings(secret_key="k")
    assert settings.token == "ioc57_from-a-file" and settings.port == 8057
    assert settings.pull_scheduler is False and settings.raw_retention_days == 30
    monkeypatch.setenv("IOC57_RAW_RETENTION_DAYS", "0")
    with pytest.raises(SettingsError, match="IOC57_RAW_RETENTION_DAYS must be at least 1"):
        load_settings(secret_key="k")


def test_no_other_module_reads_the_environment():
    source = Path(settings_module.__file__).parent.parent
    readers = [
        path.relative_to(source).as_posix()
        for path in sorted(source.rglob("*.py"))
        if re.search(r"os\.environ|getenv|envvar=", path.read_text(encoding="utf-8"))
    ]
    assert readers == ["core/settings.py"]
