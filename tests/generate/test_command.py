"""`firstline generate` writes a day into the folder asked for and sums it up."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from firstline.cli import app


def test_generate_command(tmp_path: Path) -> None:
    out = tmp_path / "day"
    args = ["generate", "--date", "2030-05-01", "--airport", "cdg", "--flights", "2"]
    result = CliRunner().invoke(app, [*args, "--seed", "4", "--out", str(out), "--no-scenarios"])
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in out.iterdir() if path.is_file())
    assert len(names) == 14 and all("_20300501_" in name for name in names)
    assert (out / "_answers" / "deviations.json").is_file()  # deviations are on by default
    clean = tmp_path / "clean"
    args = [*args, "--seed", "4", "--out", str(clean), "--no-scenarios", "--no-deviations"]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert not (clean / "_answers").exists()
    assert "Generated traffic" in result.stdout


def test_generate_command_plants_scenarios(tmp_path: Path) -> None:
    args = ["generate", "--date", "2030-05-01", "--flights", "2", "--out", str(tmp_path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    names = {path.name for path in (tmp_path / "_answers").iterdir()}
    assert names == {
        "answer_key.json",
        "watchlist.csv",
        "lost_stolen_documents.csv",
        "deviations.json",  # deviations are on by default
    }
    assert "planted" in result.stdout


def test_ingest_skips_the_answers_of_a_generated_day(tmp_path: Path) -> None:
    from firstline.services.ingest import iter_files

    out = tmp_path / "day"
    args = ["generate", "--date", "2030-05-01", "--flights", "2", "--out", str(out)]
    assert CliRunner().invoke(app, args).exit_code == 0
    read = [p.name for p in iter_files([out])]
    assert read and not any(name.endswith((".csv", ".json")) for name in read)
    # Named explicitly, a file is always read (and quarantined if it is not a message).
    answer_key = out / "_answers" / "answer_key.json"
    assert list(iter_files([answer_key])) == [answer_key]


def test_generate_refuses_a_bad_date(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["generate", "--date", "tomorrow", "--out", str(tmp_path)])
    assert result.exit_code == 2
