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
| IOC57_RAW_RETENTION_DAYS | 90 | days of raw payloads that ``ioc57 raw purge`` keeps |
| IOC57_PULL_SCHEDULER | 1 | ``0`` keeps ``ioc57 serve`` and ``ioc57 demo`` from pulling sources on schedule |
| IOC57_WORKDAYS_FILE | (none) | the province's own calendar file: days off and working days announced beyond the shipped ones, in the form of ``ioc57/core/workdays.toml``; a date there overrides the shipped file |
| IOC57_TASKS_REMIND_DAYS | 3 | working days before a task's deadline that its lead agency is reminded (``0``: on the day) |
| IOC57_TRACE_KEY_FILE | ``<db>.trace-key`` beside an SQLite file | the province's Ed25519 key that signs the traceability log's checkpoints (PEM; made on first need, mode 0600); required to seal on PostgreSQL |
| IOC57_TRACE_SEAL_S | 3600 | how often ``ioc57 serve`` seals a checkpoint of each source's traceability log |
| IOC57_FEEDBACK_CATEGORIES_FILE | (none) | the province's own categories of citizen reports and their deadlines in working days, in the form of ``ioc57/feedback/categories.toml``; a category there overrides the shipped one |
| IOC57_FEEDBACK_DEADLINE_S | 300 | how often ``ioc57 serve`` looks for citizen reports whose deadline became near or past |
| IOC57_FEEDBACK_INTAKE_PER_HOUR | 20 | reports one client address may file per hour through the public form, and one Open311 app (its key) through Open311 |
| IOC57_BRIEF_AT | 07:00 | when ``ioc57 serve`` emails the daily brief (of the working day before) each working day, Việt Nam's time |
| IOC57_BRIEF_FONT_DIR | /usr/share/fonts/truetype/dejavu | the folder of ``DejaVuSerif.ttf`` and ``DejaVuSerif-Bold.ttf`` (Debian's fonts-dejavu-core) that the brief's PDF embeds |
| IOC57_URL / IOC57_TOKEN | http://127.0.0.1:8057 / (none) | where ``ioc57 simulate`` sends, and the source token it sends with |

An empty variable counts as unset. This module is the only place that reads the environment.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from sqlalchemy.engine import make_url

PREFIX = "IOC57_"
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}
# how a value pydantic refuses is told, by the kind of refusal
SAYS = {
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "literal_error": "must be {expected}",
}


class SettingsError(ValueError):
    """A setting has a value that cannot be used."""


def variable(field_name: str) -> str:
    """The environment variable of a setting: ``port`` -> ``IOC57_PORT``."""
    return PREFIX + field_name.upper()


class SecretFiles(PydanticBaseSettingsSource):
    """``IOC57_NAME_FILE`` names a file holding the value of an unset ``IOC57_NAME``."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        # every value comes from __call__
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in self.settings_cls.model_fields:
            path = os.environ.get(f"{variable(name)}_FILE")
            if not path or os.environ.get(variable(name)):
                continue
            try:
                values[name] = Path(path).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SettingsError(f"{variable(name)}_FILE: cannot read {path}: {exc}") from exc
        return values


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, env_ignore_empty=True, frozen=True)

    database_url: str = "sqlite:///./ioc57.db"
    secret_key: str = Field("", repr=False)
    admin_password: str = Field("", repr=False)
    host: str = "127.0.0.1"
    port: int = 8057
    login_max_failures: int = 5
    login_max_failures_address: int = 30
    login_max_failures_user: int = 20
    login_window_s: int = 900
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()
    stream_recheck_s: int = Field(5, ge=1)
    secure_cookies: bool = False
    default_lang: Literal["vi", "en"] = "vi"
    db_busy_timeout_s: float = Field(5.0, gt=0, le=3600)
    node_modules: str = str(Path(__file__).resolve().parents[3] / "node_modules")
    raw_retention_days: int = Field(90, ge=1)
    pull_scheduler: bool = True
    workdays_file: Path | None = None
    tasks_remind_days: int = Field(3, ge=0, le=60)
    trace_key_file: Path | None = None
    trace_seal_s: int = Field(3600, ge=1)
    # alerts: the scheduler's round (time-based rules, and a backstop for the event-driven ones)
    alerts_eval_s: float = Field(10.0, gt=0, le=3600)
    # notification grouping, as Alertmanager's: wait for more alerts of a new group, then send the
    # group's changes at most every interval, and repeat what keeps firing after the repeat interval
    alerts_group_wait_s: float = Field(30.0, ge=0, le=86_400)
    alerts_group_interval_s: float = Field(300.0, ge=0, le=86_400)
    alerts_repeat_interval_s: float = Field(14_400.0, ge=0, le=30 * 86_400)
    alerts_notify_s: float = Field(1.0, gt=0, le=60)  # how often due groups and retries are sent
    webhook_timeout_s: float = Field(5.0, gt=0, le=60)
    webhook_max_attempts: int = Field(6, ge=1, le=20)  # then the delivery is a dead letter
    # email through SMTP (no host: no email is sent)
    smtp_host: str = ""
    smtp_port: int = Field(25, ge=1, le=65_535)
    smtp_from: str = "ioc57@localhost"
    smtp_user: str = ""
    smtp_password: str = Field("", repr=False)
    smtp_starttls: bool = False
    # the operations centre's daily brief: when it is sent each working day (HH:MM, Việt Nam's
    # time), and the folder of the DejaVu Serif fonts its PDF embeds (Debian's fonts-dejavu-core)
    brief_at: str = "07:00"
    brief_font_dir: Path = Path("/usr/share/fonts/truetype/dejavu")
    # sensors: how often each station's forecast is made again
    sensors_forecast_s: int = Field(3600, ge=1)
    # citizen reports: the province's categories and deadlines (a file of the form of the shipped
    # one, winning category by category); how often deadlines are checked (near, past)
    feedback_categories_file: Path | None = None
    feedback_deadline_s: float = Field(300.0, gt=0, le=86_400)
    # reports a client address may file per hour through the public form, an Open311 app (its key)
    # through Open311
    feedback_intake_per_hour: int = Field(20, ge=1, le=100_000)
    url: str = "http://127.0.0.1:8057"
    token: str = Field("", repr=False)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, SecretFiles(settings_cls)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            make_url(value)
        except Exception as exc:
            raise ValueError(f"not a database URL: {exc}") from exc
        return value

    @field_validator("brief_at")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", value.strip()):
            raise ValueError(f"{value!r} is not a time of day as HH:MM")
        return value.strip()

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _addresses(cls, value: Any) -> Any:
        """A comma-separated list of IP addresses or networks (``10.0.0.5, 10.1.0.0/16``)."""
        if isinstance(value, str):
            value = tuple(part.strip() for part in value.split(",") if part.strip())
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError as exc:
                raise ValueError(f"{item!r} is not an address or network") from exc
        return value

    @field_validator("secure_cookies", "pull_scheduler", "smtp_starttls", mode="before")
    @classmethod
    def _flag(cls, value: Any, info: ValidationInfo) -> Any:
        """A flag keeps its default unless a word says the opposite (``on``, ``off``, ...)."""
        if not isinstance(value, str):
            return value
        word = value.strip().lower()
        default = cls.model_fields[str(info.field_name)].default
        return word not in FALSE if default else word in TRUE

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        db = make_url(self.database_url).database
        return Path(db) if db and db != ":memory:" else None

    @property
    def trace_key_path(self) -> Path | None:
        """Where the traceability signing key is kept: IOC57_TRACE_KEY_FILE, else beside an
        SQLite file; None for another database without the setting (sealing then says so)."""
        if self.trace_key_file is not None:
            return self.trace_key_file
        path = self.sqlite_path
        return path.with_name(path.name + ".trace-key") if path is not None else None

    def with_secret(self) -> Settings:
        """Fill in a secret key when none was given: kept beside an SQLite file, else random."""
        if self.secret_key:
            return self
        path = self.sqlite_path
        if path is None:
            return self.model_copy(update={"secret_key": secrets.token_urlsafe(32)})
        keyfile = path.with_name(path.name + ".secret")
        if not keyfile.exists():
            if not keyfile.parent.is_dir():  # no database there yet: `ioc57 init` makes the folder
                return self
            keyfile.write_text(secrets.token_urlsafe(32), encoding="utf-8")
            keyfile.chmod(0o600)
        return self.model_copy(update={"secret_key": keyfile.read_text(encoding="utf-8").strip()})


def _told(error: ErrorDetails) -> str:
    """One refused value as a sentence that names its variable."""
    name = variable(str(error["loc"][0]))
    if error["type"] == "value_error":
        return f"{name}: {error['ctx']['error']}"
    says = SAYS.get(error["type"])
    reason = says.format(**error.get("ctx", {})) if says else error["msg"]
    return f"{name} {reason}, not {error['input']!r}"


def read_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with keyword overrides, as given (no secret filled in)."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        raise SettingsError("; ".join(_told(error) for error in exc.errors())) from None


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with keyword overrides (used by the CLI and tests)."""
    return read_settings(**overrides).with_secret()
