"""`firstline generate` writes a day into the folder asked for and sums it up."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from firstline.cli import app


def test_generate_command(tmp_path: Path) -> None:
    out = tmp_path / "day"
    args = ["generate", "--date", "2030-05-01", "--airport", "cdg", "--flights", "2"]
    result = CliRunner().invoke(app, [*args, "--seed", "4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in out.iterdir())
    assert len(names) == 8 and all("_20300501_" in name for name in names)
    assert "Generated traffic" in result.stdout


def test_generate_refuses_a_bad_date(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["generate", "--date", "tomorrow", "--out", str(tmp_path)])
    assert result.exit_code == 2
