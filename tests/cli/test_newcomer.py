"""A newcomer at the command line: a command on a database not made yet says so in one line and
makes nothing; ``--help`` writes nothing; ``--database-url`` names the database before or after the
command's name."""

from __future__ import annotations

import os
import subprocess

import click
import pytest
from click.testing import CliRunner

from ioc57.cli import main

from ..support.servers import run_ioc57 as run


def one_line_error(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    return lines[0]


@pytest.mark.parametrize(
    "args", [("source", "list"), ("user", "list"), ("rollups", "rebuild"), ("tasks", "remind")]
)
def test_a_command_in_a_fresh_folder_says_to_init_and_leaves_no_file(tmp_path, args):
    line = one_line_error(run(tmp_path, *args))
    assert f"no database file at {tmp_path / 'ioc57.db'}" in line and "ioc57 init" in line
    assert list(tmp_path.iterdir()) == []  # no empty ioc57.db, no secret key


def test_a_command_on_an_empty_database_says_to_init_it(empty_db_url, tmp_path):
    line = one_line_error(run(tmp_path, "source", "list", url=empty_db_url))
    assert "ioc57 init" in line
    assert list(tmp_path.iterdir()) == []  # on SQLite, the file named is not made either


def test_check_on_a_fresh_folder_fails_and_makes_no_file(tmp_path):
    done = run(tmp_path, "check")
    assert done.returncode == 1 and "ioc57 init" in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []


def commands(group: click.Group, path: tuple[str, ...] = ()):
    """Every command of ``ioc57``, groups and their subcommands: the words that call it, and it."""
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


def test_help_of_every_command_writes_nothing(tmp_path, monkeypatch):
    for name in [n for n in os.environ if n.startswith("IOC57_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # the default database is ./ioc57.db: its folder exists
    called = [words for words, _ in commands(main)]
    assert ("demo",) in called and ("source", "list") in called
    runner = CliRunner()
    for words in [(), *called]:
        done = runner.invoke(main, [*words, "--help"])
        assert done.exit_code == 0, (words, done.output)
        assert "Usage:" in done.output
        assert list(tmp_path.iterdir()) == [], (words, list(tmp_path.iterdir()))


def test_every_command_takes_the_database_url_after_its_name(tmp_path):
    for words, command in commands(main):
        if not isinstance(command, click.Group):
            options = [o for p in command.params for o in getattr(p, "opts", ())]
            assert "--database-url" in options, words
    db = tmp_path / "here.db"  # and it is the database the command uses
    line = one_line_error(run(tmp_path, "user", "list", "--database-url", f"sqlite:///{db}"))
    assert str(db) in line


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("nonsense://somewhere", "nonsense"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "127.0.0.1"),
    ],
)
def test_a_url_of_no_database_is_one_line(tmp_path, where, url, said):
    args = ("user", "list")
    given = ("--database-url", url)
    line = one_line_error(run(tmp_path, *(given + args if where == "before" else args + given)))
    assert said in line


def test_user_list_with_the_database_url_before_or_after(db_url, tmp_path):
    for args in (
        ("--database-url", db_url, "user", "list"),
        ("user", "list", "--database-url", db_url),
    ):
        done = run(tmp_path, *args, url="sqlite:///nowhere/at/all.db")
        assert done.returncode == 0, done.stderr
        assert any(line.split()[:2] == ["admin", "admin"] for line in done.stdout.splitlines())


def test_demo_takes_the_database_url_as_every_command_does(tmp_path):
    (tmp_path / "a-file").write_text("a file, not a folder")
    db = tmp_path / "a-file" / "x.db"
    line = one_line_error(run(tmp_path, "demo", "--no-serve", "--database-url", f"sqlite:///{db}"))
    assert str(db) in line
