"""docs/records.md is the record contract as ``ioc57 contract`` writes it from the schemas: the
committed file cannot drift from what the gate accepts (run ``ioc57 contract --out
docs/records.md`` after changing a record type)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ioc57.cli import main
from ioc57.ingest.types import RECORD_TYPES

DOC = Path(__file__).resolve().parents[2] / "docs" / "records.md"


def test_the_committed_contract_is_the_generated_one(tmp_path):
    out = tmp_path / "records.md"
    ran = CliRunner().invoke(main, ["contract", "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    assert DOC.read_text(encoding="utf-8") == out.read_text(encoding="utf-8"), (
        "docs/records.md differs from the schemas: run `ioc57 contract --out docs/records.md`"
    )


def test_the_contract_names_every_record_type_and_its_fields():
    ran = CliRunner().invoke(main, ["contract"])
    assert ran.exit_code == 0, ran.output
    text = ran.output
    for name in RECORD_TYPES:
        assert f"\n## {name}\n" in text and f"`POST /api/v1/ingest/{name}`" in text, name
    assert "| `received_at` | datetime | yes |" in text
    assert '| `channel` | `"online"` \\| `"direct"` \\| `"postal"` | yes |' in text
    assert "| `suspended_days` | integer |  | " in text and "default `0`" in text
