"""Settings from environment variables; a secret may also come from ``NAME_FILE``.

| variable | default | meaning |
|---|---|---|
| IOC57_DATABASE_URL | sqlite:///./ioc57.db | SQLAlchemy URL (``postgresql+psycopg://...`` for PostgreSQL) |
| IOC57_SECRET_KEY | generated and kept in ``<db>.secret`` for SQLite | signs session cookies |
| IOC57_ADMIN_PASSWORD | generated and printed by ``ioc57 init`` | the first admin's password |
| IOC57_HOST / IOC57_PORT | 127.0.0.1 / 8057 | where ``ioc57 serve`` listens |
| IOC57_LOGIN_MAX_FAILURES | 5 | failed logins per user and address before 429 |
| IOC57_LOGIN_MAX_FAILURES_ADDRESS | 30 | failed logins from one address, any users (a spray) |
| IOC57_LOGIN_MAX_FAILURES_USER | 20 | failed logins of one user, any addresses |
| IOC57_LOGIN_WINDOW_S | 900 | the window those failures are counted in |
| IOC57_TRUSTED_PROXIES | (none) | proxies whose ``X-Forwarded-For`` is read: addresses or networks, comma-separated |
| IOC57_STREAM_RECHECK_S | 5 | an open live stream re-checks its user, session or token this often |
| IOC57_SECURE_COOKIES | false | mark the session cookie Secure (behind HTTPS) |
| IOC57_DEFAULT_LANG | vi | language of pages for a visitor who has not chosen |
| IOC57_DB_BUSY_TIMEOUT_S | 5 | how long a web request waits for a locked database before it answers 503 (commands that load in bulk wait 30 s) |
| IOC57_NODE_MODULES | ./node_modules of the checkout | where ``npm ci`` put the browser libraries (Chart.js) |
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy.engine import make_url


class SettingsError(ValueError):
    """A setting has a value that cannot be used."""


def read_env(name: str, default: str | None = None) -> str | None:
    """Return ``$NAME``, or the content of the file named by ``$NAME_FILE``, or ``default``."""
    if name in os.environ:
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SettingsError(f"{name}_FILE: cannot read {path}: {exc}") from exc
    return default


def _int(name: str, default: int) -> int:
    raw = read_env(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from exc


def _float(name: str, default: float) -> float:
    raw = read_env(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from exc
    if not 0 < value <= 3600:
        raise SettingsError(f"{name} must be between 0 and 3600 seconds, not {raw!r}")
    return value


def _addresses(name: str) -> tuple[str, ...]:
    """A comma-separated list of IP addresses or networks (``10.0.0.5, 10.1.0.0/16``)."""
    import ipaddress

    items = tuple(part.strip() for part in (read_env(name) or "").split(",") if part.strip())
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError as exc:
            raise SettingsError(f"{name}: {item!r} is not an address or network") from exc
    return items


def _bool(name: str, default: bool) -> bool:
    raw = read_env(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///./ioc57.db"
    secret_key: str = ""
    host: str = "127.0.0.1"
    port: int = 8057
    login_max_failures: int = 5
    login_max_failures_address: int = 30
    login_max_failures_user: int = 20
    login_window_s: int = 900
    trusted_proxies: tuple[str, ...] = ()
    stream_recheck_s: int = 5
    secure_cookies: bool = False
    default_lang: str = "vi"
    db_busy_timeout_s: float = 5.0
    node_modules: str = str(Path(__file__).resolve().parents[3] / "node_modules")
    extra: dict = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        db = make_url(self.database_url).database
        return Path(db) if db and db != ":memory:" else None

    def with_secret(self) -> Settings:
        """Fill in a secret key when none was given: kept beside an SQLite file, else random."""
        if self.secret_key:
            return self
        path = self.sqlite_path
        if path is None:
            return replace(self, secret_key=secrets.token_urlsafe(32))
        keyfile = path.with_name(path.name + ".secret")
        if not keyfile.exists():
            if not keyfile.parent.is_dir():  # no database there yet: `ioc57 init` makes the folder
                return self
            keyfile.write_text(secrets.token_urlsafe(32), encoding="utf-8")
            keyfile.chmod(0o600)
        return replace(self, secret_key=keyfile.read_text(encoding="utf-8").strip())


def load_settings(**overrides) -> Settings:
    """Settings from the environment, with keyword overrides (used by the CLI and tests)."""
    values = dict(
        database_url=read_env("IOC57_DATABASE_URL", "sqlite:///./ioc57.db"),
        secret_key=read_env("IOC57_SECRET_KEY", "") or "",
        host=read_env("IOC57_HOST", "127.0.0.1"),
        port=_int("IOC57_PORT", 8057),
        login_max_failures=_int("IOC57_LOGIN_MAX_FAILURES", 5),
        login_max_failures_address=_int("IOC57_LOGIN_MAX_FAILURES_ADDRESS", 30),
        login_max_failures_user=_int("IOC57_LOGIN_MAX_FAILURES_USER", 20),
        login_window_s=_int("IOC57_LOGIN_WINDOW_S", 900),
        trusted_proxies=_addresses("IOC57_TRUSTED_PROXIES"),
        stream_recheck_s=_int("IOC57_STREAM_RECHECK_S", 5),
        secure_cookies=_bool("IOC57_SECURE_COOKIES", False),
        default_lang=read_env("IOC57_DEFAULT_LANG", "vi"),
        db_busy_timeout_s=_float("IOC57_DB_BUSY_TIMEOUT_S", 5.0),
        node_modules=read_env("IOC57_NODE_MODULES", Settings.node_modules),
    )
    values.update({k: v for k, v in overrides.items() if v is not None})
    if values["stream_recheck_s"] < 1:
        raise SettingsError("IOC57_STREAM_RECHECK_S must be at least 1")
    if values["default_lang"] not in ("vi", "en"):
        raise SettingsError("IOC57_DEFAULT_LANG must be 'vi' or 'en'")
    try:
        make_url(values["database_url"])
    except Exception as exc:
        raise SettingsError(f"IOC57_DATABASE_URL is not a database URL: {exc}") from exc
    return Settings(**values).with_secret()
