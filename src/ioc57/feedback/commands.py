"""``ioc57 feedback``: citizen reports from the command line."""

from __future__ import annotations

import click
import orjson

from ioc57.core import commandline


@click.group("feedback")
def feedback_command() -> None:
    """Citizen reports (hotline 1022): the suggestion's model."""


@feedback_command.command("model-check")
@click.option("--province", default=None, help="A province's code (default: every province).")
@click.option(
    "--holdout",
    type=click.FloatRange(0.05, 0.9),
    default=0.2,
    show_default=True,
    help="The share of confirmed reports held out to test on.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Of the shuffle.")
@click.pass_context
def model_check(ctx: click.Context, province: str | None, holdout: float, seed: int) -> None:
    """Measure the suggested category and agency on held-out confirmed reports: prints, per
    province, as JSON, each model's accuracy, the baseline's (the most frequent class) and the
    sizes of the training and test parts."""
    from ioc57.feedback.suggest import examples
    from ioc57.feedback.suggest_check import check
    from ioc57.feedback.suggest_job import provinces

    with commandline.engine(ctx).connect() as conn:
        chosen = [province] if province else provinces(conn)
        learnt = {code: examples(conn, code) for code in chosen}
    measured = [check(code, found, holdout, seed) for code, found in learnt.items()]
    click.echo(orjson.dumps(measured, option=orjson.OPT_INDENT_2).decode())
