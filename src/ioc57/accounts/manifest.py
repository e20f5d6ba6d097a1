"""What the accounts module brings: users, tokens and sessions, their API and pages."""

from __future__ import annotations

from fastapi import FastAPI

from ioc57.accounts import api, commands, pages, tables
from ioc57.accounts.auth import authenticate
from ioc57.accounts.demo import load_demo
from ioc57.accounts.overview import accounts_panel
from ioc57.core.access import ALL
from ioc57.modules import Module, Panel


def _install(app: FastAPI) -> None:
    app.state.authenticate = authenticate  # how every request's principal is read


MODULE = Module(
    name="accounts",
    tables=(tables.users, tables.tokens, tables.login_failures, tables.sessions),
    api=(api.router,),
    pages=(pages.router,),
    panels=(Panel(accounts_panel, 30),),
    actions={
        "users.read": ("admin", "leader"),
        "users.write": ("admin",),
        "tokens.create": ("admin",),
        "tokens.create_own": ("admin", "leader", "operator", "officer", "viewer"),
        "tokens.manage": ("admin",),  # list and revoke anyone's tokens
        "tokens.manage_own": ALL,  # list and revoke one's own
    },
    commands=(commands.user, commands.token),
    install=_install,
    demo=load_demo,
)
