"""Commands for risk rules: import, export, list, fields, test, run, backtest, stats."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from firstline.cli.app import JsonOption, app, console, err, open_default_store, print_json
from firstline.rules.fields import FIELDS
from firstline.rules.operators import OPERATORS
from firstline.services import rules as rule_service

rules_app = typer.Typer(
    help="Risk rules: import, test, back-test, statistics.", no_args_is_help=True
)
app.add_typer(rules_app, name="rules")


def _date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{name} {value!r}: use YYYY-MM-DD") from exc


@rules_app.command("import")
def import_(file: Annotated[Path, typer.Argument(exists=True, help="Rule pack (YAML).")]) -> None:
    """Check a rule pack and store it: new and changed rules become new versions."""
    report = rule_service.import_pack(open_default_store(), file.read_text(encoding="utf-8"))
    console.print(
        f"rules: {len(report.new)} new, {len(report.changed)} changed (new version), "
        f"{len(report.unchanged)} unchanged; lookup lists changed: {len(report.lookups_changed)}"
    )
    for key in report.new + report.changed:
        console.print(f"  {key}")


@rules_app.command("export")
def export(file: Annotated[Path, typer.Argument(help="Where to write the pack (YAML).")]) -> None:
    """Write every rule's current version and the lookup lists as one pack."""
    file.write_text(rule_service.export_pack(open_default_store()), encoding="utf-8")
    console.print(f"written {file}")


@rules_app.command("list")
def list_(as_json: JsonOption = False) -> None:
    """Rules with status, version, category, severity, owner and dates."""
    rows = rule_service.list_rules(open_default_store())
    if as_json:
        print_json(rows)
        return
    table = Table("rule", "title", "status", "v", "category", "severity", "score", "owner",
                  "start", "expiry", title="Rules")  # fmt: skip
    for r in rows:
        table.add_row(
            r["key"], r["title"], r["status"], str(r["current_version"]), r["category"],
            r["severity"], str(r["score"]), r["owner"] or "", str(r["start"] or ""),
            str(r["expiry"] or ""),
        )  # fmt: skip
    console.print(table)


@rules_app.command("fields")
def fields(as_json: JsonOption = False) -> None:
    """Every field a rule can test, its type, operators and meaning."""
    if as_json:
        print_json(
            [
                {
                    "field": f.name,
                    "type": f.type.value,
                    "label": f.label,
                    "description": f.description,
                    "operators": list(OPERATORS[f.type]),
                    "example": f.example,
                }
                for f in FIELDS
            ]  # fmt: skip
        )
        return
    table = Table("field", "type", "meaning", "operators", title="Rule fields")
    for f in FIELDS:
        table.add_row(f.name, f.type.value, f.description, ", ".join(OPERATORS[f.type]))
    console.print(table)


@rules_app.command("test")
def test(rule: Annotated[str, typer.Argument(help="Rule id.")]) -> None:
    """Run a rule's own examples (must hit / must not hit)."""
    found, _version, lookups = rule_service.get_rule(open_default_store(), rule)
    results = rule_service.run_tests(found, lookups)
    if not results:
        console.print(f"{rule} has no tests")
        return
    for result in results:
        mark = "[green]pass[/]" if result.passed else "[red]FAIL[/]"
        console.print(f"{mark} {result.example}: {result.detail}")
    if not all(r.passed for r in results):
        raise typer.Exit(1)


@rules_app.command("run")
def run(
    flight: Annotated[list[int] | None, typer.Option(help="Flight id (repeatable).")] = None,
    all_flights: Annotated[bool, typer.Option("--all", help="Every flight loaded.")] = False,
    date_from: Annotated[str | None, typer.Option("--from", help="Flights departing from.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Flights departing until.")] = None,
) -> None:
    """Evaluate the active and shadow rules now: on flights, a period, or everything."""
    from firstline.services import overview

    store = open_default_store()
    ids = list(flight or [])
    first, last = _date(date_from, "--from"), _date(date_to, "--to")
    if all_flights or first or last:
        ids += [
            int(r["id"])
            for r in overview.flights(store)
            if (first is None or (r["departure_date"] and r["departure_date"] >= first))
            and (last is None or (r["departure_date"] and r["departure_date"] <= last))
        ]
    if not ids and (all_flights or first or last):
        console.print("no flights loaded for that period: nothing to evaluate")
        return
    if not ids:
        raise typer.BadParameter("give --flight ID, --from/--to or --all")
    running = [r for r in rule_service.list_rules(store) if r["status"] in ("active", "shadow")]
    if not running:
        console.print("no active or shadow rule to run: see firstline rules list / rules import")
        return
    evaluator = rule_service.Evaluator(store)
    total = rule_service.EvaluationSummary()
    ids = sorted(set(ids))
    # Named flights also re-evaluate the flights sharing their bookings; a whole period or
    # everything already includes them.
    related = not (all_flights or first or last)
    with Progress(
        TextColumn("[bold]rules"), BarColumn(), MofNCompleteColumn(), TextColumn("flights"),
        console=err, disable=len(ids) <= 50,
    ) as progress:  # fmt: skip
        task = progress.add_task("rules", total=len(ids))
        for start in range(0, len(ids), 50):
            part = evaluator.evaluate_flights(ids[start : start + 50], related=related)
            total.travellers += part.travellers
            total.new_hits += part.new_hits
            total.withdrawn_hits += part.withdrawn_hits
            total.seconds += part.seconds
            progress.update(task, advance=len(ids[start : start + 50]))
    console.print(
        f"evaluated {total.travellers} travellers in {total.seconds:.1f} s: "
        f"{total.new_hits} new hits, {total.withdrawn_hits} withdrawn"
    )


@rules_app.command("backtest")
def backtest(
    rule: Annotated[str, typer.Argument(help="Rule id (any status, drafts included).")],
    date_from: Annotated[str | None, typer.Option("--from", help="First departure date.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last departure date.")] = None,
    as_json: JsonOption = False,
) -> None:
    """What a rule would have hit on the stored history (nothing is stored)."""
    report = rule_service.backtest(
        open_default_store(),
        rule,
        date_from=_date(date_from, "--from"),
        date_to=_date(date_to, "--to"),
    )
    if as_json:
        print_json(
            {"rule": report.rule, "from": report.date_from, "to": report.date_to,
             "travellers": report.travellers, "hits": report.hits,
             "per_thousand": round(report.per_thousand, 2), "examples": report.examples}
        )  # fmt: skip
        return
    console.print(
        f"{rule}: {report.hits} of {report.travellers} travellers "
        f"({report.per_thousand:.2f} per 1,000)"
    )
    for example in report.examples:
        console.print(
            f"  traveller {example['traveller_id']} flight {example['flight_id']} "
            f"{example['departure']}: {'; '.join(example['why'])}"
        )


@rules_app.command("stats")
def stats(as_json: JsonOption = False) -> None:
    """Per rule: hits, hits per 1,000 travellers, outcomes, precision, and warnings."""
    rows = rule_service.stats(open_default_store())
    if as_json:
        print_json(rows)
        return
    table = Table("rule", "status", "v", "hits", "per 1,000", "shadow", "confirmed",
                  "false pos.", "precision", "at the port", "flags",
                  title="Rule statistics")  # fmt: skip
    for r in rows:
        port = ", ".join(f"{n} {o.replace('_', ' ')}" for o, n in sorted(r["outcomes"].items()))
        table.add_row(
            r["rule"], r["status"], str(r["version"]), str(r["hits"]), f"{r['per_thousand']:.2f}",
            str(r["shadow_hits"]), str(r["confirmed"]), str(r["false_positive"]),
            "" if r["precision"] is None else f"{r['precision']:.2f}", port,
            "; ".join(r["flags"]),
        )  # fmt: skip
    console.print(table)
