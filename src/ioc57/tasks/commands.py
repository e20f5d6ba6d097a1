"""``ioc57 tasks``: the action programmes' tasks from the command line."""

from __future__ import annotations

import click

from ioc57.core import commandline
from ioc57.core.clock import today
from ioc57.tasks.reminders import send_reminders


@click.group("tasks")
def tasks_command() -> None:
    """Action programmes and their tasks."""


@tasks_command.command("remind")
@click.pass_context
def tasks_remind(ctx: click.Context) -> None:
    """Send the reminders due today that were not sent yet (the app sends them every hour): a
    few working days before a task's deadline (IOC57_TASKS_REMIND_DAYS) and once it is past."""
    days = commandline.settings(ctx).tasks_remind_days
    sent = send_reminders(commandline.engine(ctx), today(), days=days)
    soon = sum(1 for event in sent if event.type == "tasks.due_soon")
    click.echo(f"reminders sent: {soon} due soon, {len(sent) - soon} overdue")
