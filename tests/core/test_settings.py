"""Settings come from the environment; a secret may come from NAME_FILE."""

import pytest

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
