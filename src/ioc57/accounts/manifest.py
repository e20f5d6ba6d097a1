"""What the accounts module brings: users, tokens and sessions, their API and pages."""

from __future__ import annotations

from fastapi import FastAPI

from ioc57.accounts import commands, device_commands, tables
from ioc57.core.access import ALL
from ioc57.modules import Module, Panel


def _install(app: FastAPI) -> None:
    from ioc57.accounts.auth import authenticate  # the web app's: a command reads no request

    app.state.authenticate = authenticate  # how every request's principal is read


MODULE = Module(
    name="accounts",
    tables=(tables.users, tables.tokens, tables.login_failures, tables.sessions, tables.devices),
    api=("ioc57.accounts.api:router",),
    pages=("ioc57.accounts.pages:router",),
    panels=(Panel("ioc57.accounts.overview:accounts_panel", 30),),
    actions={
        "users.read": ("admin", "leader"),
        "users.write": ("admin",),
        "tokens.create": ("admin",),
        "tokens.create_own": ("admin", "leader", "operator", "officer", "viewer"),
        "tokens.manage": ("admin",),  # list and revoke anyone's tokens
        "tokens.manage_own": ALL,  # list and revoke one's own
    },
    commands=(commands.user, commands.token, device_commands.device),
    install=_install,
    demo="ioc57.accounts.demo:load_demo",
)
