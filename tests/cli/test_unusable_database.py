"""``serve``, ``init`` and ``demo`` on a database they cannot use: one clear line, exit 2."""

from __future__ import annotations

import subprocess

import pytest

from ..support.servers import run_ioc57 as run


def assert_one_clear_line(done: subprocess.CompletedProcess, *words: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_serve_on_a_file_in_a_missing_folder(tmp_path):
    db = tmp_path / "nonexistent" / "dir" / "x.db"
    done = run(tmp_path, "serve", "--port", "1", url=f"sqlite:///{db}")
    assert_one_clear_line(done, str(db), "ioc57 init")
    assert not (tmp_path / "nonexistent").exists()  # nothing made on the way


def test_serve_on_an_empty_database_says_to_init_it(tmp_path):
    (tmp_path / "empty.db").write_bytes(b"")
    done = run(tmp_path, "serve", "--port", "1", url=f"sqlite:///{tmp_path / 'empty.db'}")
    assert_one_clear_line(done, "schema", "ioc57 init")


def test_serve_on_a_file_that_is_not_a_database(tmp_path):
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    done = run(tmp_path, "serve", "--port", "1", url=f"sqlite:///{tmp_path / 'junk.db'}")
    assert_one_clear_line(done, "not a database")


@pytest.mark.parametrize("command", [("init",), ("demo", "--no-serve")])
def test_init_and_demo_where_no_database_can_be_made(tmp_path, command):
    (tmp_path / "a-file").write_text("a file, not a folder")
    db = tmp_path / "a-file" / "x.db"
    if command[0] == "demo":
        done = run(tmp_path, *command, "--db", str(db))
    else:
        done = run(tmp_path, *command, url=f"sqlite:///{db}")
    assert_one_clear_line(done, str(db))
