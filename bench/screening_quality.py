"""Screening quality: recall at fixed alert rates, on the shared lists, beside two baselines.

Protocol (docs/screening.md, MATCHING.md §4):
- Alert rate: the 50,000 synthetic non-listed persons are screened against the UN list; the
  threshold for a 1 % (0.1 %) alert rate is the 99th (99.9th) percentile of their best scores
  on a seeded calibration half; the rate is then reported on the other half.
- Recall: (1) UN leave-one-name-out, the query is one alias or original-script name and the
  index holds the entry without it; (2) seeded perturbations of UN primary names; (3) the
  nomenklatura labelled pairs. A positive counts when its entry scores at or above the threshold.
- Two modes: name only, and name with the entry's own date of birth and nationality (a listed
  person travels with their real birth date); negatives carry their own birth date and
  nationality in the second mode, so each mode has its own thresholds.
- Baselines in the same run: GTAS's published rule (Double Metaphone equal and Jaro-Winkler
  >= 0.95 with birth years within 3; binary, one operating point) and plain rapidfuzz
  token_sort_ratio over every list name (brute force).

Run: python bench/screening_quality.py [--negatives N] [--seed S]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
from anyascii import anyascii
from metaphone import doublemetaphone
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from firstline.model.watchlist import EntrySchema, ListedName, ListEntry, NameKind
from firstline.screening.matcher import Matcher, Query
from firstline.screening.normalize import normalize
from firstline.watchlists.countries import to_alpha3
from firstline.watchlists.formats import read_list

SHARED = Path(__file__).resolve().parents[2] / "shared" / "watchlists"
UN = SHARED / "un" / "un_consolidated_2026-02-27.xml"
NEGATIVES = SHARED / "benchmarks" / "yente_negatives_global.csv"
NAME_BENCH = SHARED / "benchmarks" / "nomenklatura_name_bench_cases.csv"
CROSS_SCRIPT = SHARED / "benchmarks" / "cross_script_pairs.csv"
RATES = (0.01, 0.001)


@dataclass(slots=True)
class Positive:
    family: str  # "alias", "weak_alias", "former", "original_script", or a perturbation name
    entry_no: int
    query: Query


def load_un() -> list[ListEntry]:
    _info, items = read_list([UN], "un-xml")
    return [item for item in items if isinstance(item, ListEntry)]


def load_negatives(limit: int | None) -> list[Query]:
    out = []
    with NEGATIVES.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            given = " ".join(p for p in (row["first_name"], row["middle_name"]) if p)
            gender = {"male": "M", "female": "F"}.get(row["gender"])
            out.append(
                Query(
                    family=row["last_name"],
                    given=given,
                    birth_date=date.fromisoformat(row["date_of_birth"]),
                    nationality=to_alpha3(row["nationality"]),
                    gender=gender,
                )
            )
            if limit and len(out) >= limit:
                break
    return out


def name_only(query: Query) -> Query:
    return replace(query, birth_date=None, nationality=None, gender=None)


def with_facts(query: Query, entry: ListEntry) -> Query:
    birth = entry.birth_dates[0] if entry.birth_dates else None
    nationality = entry.nationalities[0] if entry.nationalities else None
    return replace(query, birth_date=birth, nationality=nationality, gender=entry.gender)


def best_scores(matcher: Matcher, queries: Sequence[Query]) -> np.ndarray:
    out = np.zeros(len(queries))
    for i, query in enumerate(queries):
        found = matcher.screen(query, top=1)
        out[i] = found[0].score if found else 0.0
    return out


# -- positives ------------------------------------------------------------------------------


def leave_one_out(entries: list[ListEntry]) -> list[tuple[list[ListEntry], list[Positive]]]:
    """Folds: fold k holds out the k-th non-primary name of every entry that has one."""
    folds: dict[int, list[Positive]] = defaultdict(list)
    for entry_no, entry in enumerate(entries):
        primary = normalize(entry.primary_name or "").text
        others = [n for n in entry.names if n.kind is not NameKind.PRIMARY]
        for k, name in enumerate(others):
            if normalize(name.full).text == primary:
                continue  # identical to the primary: not a test of anything
            folds[k].append(Positive(str(name.kind), entry_no, Query(name=name.full)))
    out = []
    for k, positives in sorted(folds.items()):
        held = {p.entry_no for p in positives}
        fold_entries = []
        for entry_no, entry in enumerate(entries):
            if entry_no in held:
                others = [n for n in entry.names if n.kind is not NameKind.PRIMARY]
                kept = [n for n in entry.names if n is not others[k]]
                entry = replace(entry, names=kept)
            fold_entries.append(entry)
        out.append((fold_entries, positives))
    return out


_HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "i": "і", "c": "с", "p": "р"}


def perturbations(entries: list[ListEntry], rng: random.Random) -> list[Positive]:
    """Seeded edits of UN individuals' primary names (MATCHING.md §4 perturbation families)."""
    out: list[Positive] = []
    letters = "abcdefghijklmnopqrstuvwxyz"
    for entry_no, entry in enumerate(entries):
        if entry.schema is not EntrySchema.PERSON or not entry.primary_name:
            continue
        tokens = entry.primary_name.split()
        if len(tokens) < 2:
            continue
        text = " ".join(tokens)

        def edit(word: str) -> str:
            # Typos keep the case of the word they hit (an upper-case name gets upper-case typos).
            pool = letters.upper() if word.isupper() else letters
            i = rng.randrange(len(word))
            choice = rng.choice(("sub", "del", "ins", "swap"))
            if choice == "sub":
                return word[:i] + rng.choice(pool) + word[i + 1 :]
            if choice == "del" and len(word) > 3:
                return word[:i] + word[i + 1 :]
            if choice == "swap" and i + 1 < len(word):
                return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            return word[:i] + rng.choice(pool) + word[i:]

        longest = max(range(len(tokens)), key=lambda j: len(tokens[j]))
        one = tokens.copy()
        one[longest] = edit(one[longest])
        two = tokens.copy()
        two[longest] = edit(edit(two[longest]))
        swapped = tokens[1:] + tokens[:1]
        variants = {
            "typo (1 edit)": " ".join(one),
            "typo (2 edits)": " ".join(two),
            "token order": " ".join(swapped),
            "surname first with comma": f"{tokens[-1]}, {' '.join(tokens[:-1])}",
            "initial": " ".join([tokens[0][0]] + tokens[1:]),
            "uppercase ascii": text.upper(),
            "homoglyph": "".join(_HOMOGLYPHS.get(c, c) if rng.random() < 0.15 else c for c in text),
            "invisible character": text[:3] + "\u200b" + text[3:],
        }
        if len(tokens) >= 3:
            variants["dropped middle name"] = " ".join(tokens[:1] + tokens[2:])
        mrz = "<".join(tokens[-1:]).upper() + "<<" + "<".join(tokens[:-1]).upper()
        variants["MRZ form"] = mrz
        for family, name in variants.items():
            query = Query(name=name, mrz=family == "MRZ form")
            out.append(Positive(family, entry_no, query))
        if entry.birth_dates and entry.birth_dates[0].day:
            listed = entry.birth_dates[0]
            swap_ok = listed.day is not None and listed.month is not None and listed.day <= 12
            dobs = {"DOB one year off": date(listed.year + 1, listed.month or 1, listed.day)}
            if swap_ok and listed.day != listed.month:
                dobs["DOB day/month swapped"] = date(listed.year, listed.day, listed.month or 1)
            for family, value in dobs.items():
                out.append(Positive(family, entry_no, Query(name=text, birth_date=value)))
    return out


# -- scoring positives ------------------------------------------------------------------------


def positive_scores(
    matcher: Matcher, positives: Sequence[Positive], facts: bool, entries: list[ListEntry]
) -> np.ndarray:
    out = np.zeros(len(positives))
    for i, positive in enumerate(positives):
        query = positive.query
        if facts:
            query = with_facts(query, entries[positive.entry_no])
        for match in matcher.screen(query, top=10):
            if match.subject.key == positive.entry_no:
                out[i] = match.score
                break
    return out


def candidate_recall(matcher: Matcher, positives: Sequence[Positive]) -> tuple[float, float]:
    """Share of positives whose entry reaches stage 1 (index) and stage 2 (pre-score)."""
    stage1 = stage2 = 0
    for positive in positives:
        parts, _ = positive.query.parts()
        ids = matcher.index.candidates(parts).names
        subjects = {matcher.index.subjects[matcher.index.name_subject[int(i)]].key for i in ids}
        stage1 += positive.entry_no in subjects
        kept = {
            matcher.index.subjects[matcher.index.name_subject[n]].key
            for n in matcher._stage2(parts)  # noqa: SLF001 - the benchmark measures the stage
        }
        stage2 += positive.entry_no in kept
    n = max(len(positives), 1)
    return stage1 / n, stage2 / n


def bootstrap(hits: np.ndarray, rng: np.random.Generator, rounds: int = 500) -> tuple[float, float]:
    if len(hits) == 0:
        return 0.0, 0.0
    means = [hits[rng.integers(0, len(hits), len(hits))].mean() for _ in range(rounds)]
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


# -- baselines ------------------------------------------------------------------------------


def plain_names(entries: list[ListEntry]) -> tuple[list[str], list[int]]:
    names, owners = [], []
    for entry_no, entry in enumerate(entries):
        for name in entry.names:
            names.append(normalize(name.full).text)
            owners.append(entry_no)
    return names, owners


def query_text(query: Query) -> str:
    if query.name:
        return normalize(query.name.replace("<", " ")).text
    return normalize(f"{query.given or ''} {query.family or ''}").text


def rapidfuzz_scores(
    queries: Sequence[Query], names: list[str], owners: list[int], n_entries: int
) -> np.ndarray:
    """Best token_sort_ratio per (query, entry), brute force over every list name."""
    texts = [query_text(q) for q in queries]
    out = np.zeros((len(texts), n_entries), dtype=np.float32)
    owner = np.array(owners)
    # Names come in entry order: the max over each entry's names is a reduceat.
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    for start in range(0, len(texts), 500):
        block = process.cdist(
            texts[start : start + 500],
            names,
            scorer=fuzz.token_sort_ratio,
            workers=2,
            dtype=np.uint8,
        )
        per_entry = np.maximum.reduceat(block, starts, axis=1).astype(np.float32) / 100.0
        out[start : start + len(block), owner[starts]] = per_entry
    return out


def _dm(text: str) -> set[str]:
    codes = set()
    for token in text.split():
        codes.update(c for c in doublemetaphone(token) if c)
    return codes


def gtas_hits(
    queries: Sequence[Query],
    entries: list[ListEntry],
    names: list[str],
    owners: list[int],
    targets: Sequence[int] | None = None,
) -> np.ndarray:
    """GTAS rule: equal Double Metaphone keys and full-name JW >= 0.95, birth years within 3.

    Returns, per query, 1 if the rule fires on its target entry (targets given) or on any
    entry (targets None).
    """
    texts = [query_text(q) for q in queries]
    out = np.zeros(len(texts))
    name_dm = [_dm(n) for n in names]
    for start in range(0, len(texts), 500):
        block = process.cdist(
            texts[start : start + 500],
            names,
            scorer=JaroWinkler.normalized_similarity,
            workers=2,
            score_cutoff=0.95,
        )
        for row, col in zip(*np.nonzero(block), strict=True):
            qi = start + int(row)
            entry_no = owners[int(col)]
            if targets is not None and targets[qi] != entry_no:
                continue
            if _dm(texts[qi]) != name_dm[int(col)]:
                continue
            birth = queries[qi].birth_date
            years = [d.year for d in entries[entry_no].birth_dates]
            if birth is not None and years and min(abs(birth.year - y) for y in years) > 3:
                continue
            out[qi] = 1.0
    return out


# -- report ---------------------------------------------------------------------------------


def thresholds(calibration: np.ndarray) -> dict[float, float]:
    return {rate: float(np.quantile(calibration, 1.0 - rate)) for rate in RATES}


def script_of(query: Query) -> str:
    text = (query.family or "") + (query.given or "")
    for char in text:
        if char.isalpha():
            if ord(char) < 0x250:
                return "Latin"
            import unicodedata

            return unicodedata.name(char, "?").split()[0].title()
    return "?"


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--negatives", type=int, default=None, help="Use the first N only.")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(list(argv) if argv is not None else None)
    rng = random.Random(args.seed)
    nrng = np.random.default_rng(args.seed)
    started = time.perf_counter()

    entries = load_un()
    keyed = [(i, 0, e) for i, e in enumerate(entries)]
    matcher = Matcher.from_entries(keyed)
    negatives = load_negatives(args.negatives)
    order = list(range(len(negatives)))
    rng.shuffle(order)
    half = len(order) // 2
    calib_idx, report_idx = np.array(order[:half]), np.array(order[half:])
    print(
        f"UN entries {len(entries)}, names {matcher.index.stats.names}; "
        f"negatives {len(negatives)} (calibrate on {half}, report on {len(order) - half})"
    )

    folds = leave_one_out(entries)
    loo = [p for _, ps in folds for p in ps]
    perturbed = perturbations(entries, rng)
    print(f"positives: leave-one-name-out {len(loo)}, perturbed {len(perturbed)}")

    results: dict[str, dict[str, float]] = {}
    for mode in ("name only", "name + DOB + nationality"):
        facts = mode != "name only"
        t0 = time.perf_counter()
        queries = negatives if facts else [name_only(q) for q in negatives]
        neg = best_scores(matcher, queries)
        neg_seconds = time.perf_counter() - t0
        cut = thresholds(neg[calib_idx])
        loo_scores = np.concatenate(
            [
                positive_scores(
                    Matcher.from_entries((i, 0, e) for i, e in enumerate(fold_entries)),
                    positives,
                    facts,
                    entries,
                )
                for fold_entries, positives in folds
            ]
        )
        pert_scores = positive_scores(matcher, perturbed, facts, entries)
        print(f"\n=== {mode} === ({len(queries) / neg_seconds:,.0f} negatives/s screened)")
        for rate, threshold in cut.items():
            alert = float((neg[report_idx] >= threshold).mean())
            loo_hit = loo_scores >= threshold
            pert_hit = pert_scores >= threshold
            lo, hi = bootstrap(loo_hit.astype(float), nrng)
            print(
                f"alert rate {rate:.1%}: threshold {threshold:.3f}; measured alert rate on the "
                f"report half {alert:.2%}"
            )
            print(f"  UN leave-one-name-out recall {loo_hit.mean():.3f} (95% CI {lo:.3f}-{hi:.3f})")
            by_kind: dict[str, list[bool]] = defaultdict(list)
            for positive, hit in zip(loo, loo_hit, strict=True):
                by_kind[positive.family].append(bool(hit))
            print(
                "   "
                + ", ".join(
                    f"{k} {statistics.mean(v):.3f} (n={len(v)})" for k, v in sorted(by_kind.items())
                )
            )
            print(f"  perturbed UN names recall {pert_hit.mean():.3f}")
            by_family: dict[str, list[bool]] = defaultdict(list)
            for positive, hit in zip(perturbed, pert_hit, strict=True):
                by_family[positive.family].append(bool(hit))
            print(
                "   "
                + ", ".join(f"{k} {statistics.mean(v):.2f}" for k, v in sorted(by_family.items()))
            )
            results[f"{mode} @ {rate}"] = {
                "threshold": threshold,
                "alert_rate": alert,
                "loo_recall": float(loo_hit.mean()),
                "perturbed_recall": float(pert_hit.mean()),
            }
        for fixed in (0.70, 0.75, 0.80):
            alert = float((neg[report_idx] >= fixed).mean())
            print(
                f"at {fixed:.2f}: alert rate {alert:.2%}, UN leave-one-out recall "
                f"{(loo_scores >= fixed).mean():.3f}, perturbed {(pert_scores >= fixed).mean():.3f}"
            )
        by_script: dict[str, list[float]] = defaultdict(list)
        for i in report_idx:
            by_script[script_of(negatives[i])].append(float(neg[i]))
        threshold = cut[0.01]
        print(
            "  alert rate by script at the 1% threshold: "
            + ", ".join(
                f"{s} {np.mean(np.array(v) >= threshold):.2%}" for s, v in sorted(by_script.items())
            )
        )

    # Candidate recall (stage 1 and stage 2), on the full index for perturbed names.
    s1, s2 = candidate_recall(matcher, perturbed)
    loo_s = [
        candidate_recall(Matcher.from_entries((i, 0, e) for i, e in enumerate(fe)), ps)
        for fe, ps in folds
    ]
    weights = [len(ps) for _, ps in folds]
    l1 = sum(a * w for (a, _), w in zip(loo_s, weights, strict=True)) / sum(weights)
    l2 = sum(b * w for (_, b), w in zip(loo_s, weights, strict=True)) / sum(weights)
    print(
        f"\ncandidate recall: perturbed stage 1 {s1:.3f}, stage 2 {s2:.3f}; "
        f"leave-one-name-out stage 1 {l1:.3f}, stage 2 {l2:.3f}"
    )

    name_evidence(folds, entries, negatives)

    # Baselines, name only, on the same queries.
    names, owners = plain_names(entries)
    print("\n=== baselines (name only) ===")
    neg_q = [name_only(q) for q in negatives]
    rf_neg = rapidfuzz_scores(neg_q, names, owners, len(entries)).max(axis=1)
    rf_cut = thresholds(rf_neg[calib_idx])
    loo_rf = []
    for fold_entries, positives in folds:
        fnames, fowners = plain_names(fold_entries)
        sc = rapidfuzz_scores([p.query for p in positives], fnames, fowners, len(entries))
        loo_rf.extend(sc[i, p.entry_no] for i, p in enumerate(positives))
    pert_rf_all = rapidfuzz_scores([p.query for p in perturbed], names, owners, len(entries))
    pert_rf = np.array([pert_rf_all[i, p.entry_no] for i, p in enumerate(perturbed)])
    loo_rf_arr = np.array(loo_rf)
    for rate, threshold in rf_cut.items():
        print(
            f"rapidfuzz token_sort @ {rate:.1%} (threshold {threshold:.2f}): UN leave-one-out "
            f"recall {(loo_rf_arr >= threshold).mean():.3f}, perturbed "
            f"{(pert_rf >= threshold).mean():.3f}"
        )
    gtas_neg = gtas_hits(negatives, entries, names, owners)
    gtas_loo = []
    for fold_entries, positives in folds:
        fnames, fowners = plain_names(fold_entries)
        qs = [with_facts(p.query, entries[p.entry_no]) for p in positives]
        gtas_loo.extend(
            gtas_hits(qs, fold_entries, fnames, fowners, [p.entry_no for p in positives])
        )
    gtas_pert = gtas_hits(
        [with_facts(p.query, entries[p.entry_no]) for p in perturbed],
        entries,
        names,
        owners,
        [p.entry_no for p in perturbed],
    )
    print(
        f"GTAS rule (DM equal, JW >= 0.95, DOB year within 3; with DOB): alert rate "
        f"{gtas_neg[report_idx].mean():.2%}, UN leave-one-out recall {np.mean(gtas_loo):.3f}, "
        f"perturbed {gtas_pert.mean():.3f}"
    )

    name_bench(nrng, results)
    cross_script()
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0


# -- what the names hold --------------------------------------------------------------------


def _evidence_tokens(text: str) -> set[str]:
    """A name's tokens as this product romanises them and as anyascii does (a token related
    under either counts)."""
    tokens = set(normalize(text).tokens)
    tokens.update(
        t for t in "".join(c if c.isalnum() else " " for c in anyascii(text).lower()).split()
    )
    return tokens


STRICT_RATIO = 75  # rapidfuzz ratio of two tokens of three letters or more
LENIENT_RATIO = 60


def _sounds(token: str) -> set[str]:
    return {c for c in doublemetaphone(token) if c}


def _relation(a: str, b: str, ratio: float, sound_a: set[str], sound_b: set[str]) -> int:
    """2 when two tokens are the same or close (strict), 1 when related at all (lenient), else
    0; `ratio` is their rapidfuzz ratio (computed in bulk by the caller)."""
    long = len(a) >= 3 and len(b) >= 3
    if a == b or (long and ratio >= STRICT_RATIO):
        return 2
    if (long and (ratio >= LENIENT_RATIO or a[:3] == b[:3])) or not sound_a.isdisjoint(sound_b):
        return 1
    return 0


def _initials(tokens: set[str]) -> str | None:
    """A name's initials in letter order, for acronyms written in any order (PLA, LPA)."""
    return "".join(sorted(t[0] for t in tokens)) if len(tokens) > 1 else None


def _strongest(
    query: Sequence[str], vocab: Sequence[str], sounds: Sequence[set[str]]
) -> list[tuple[str, int]]:
    """Each vocabulary token related to a query token, with the strongest relation."""
    if not query or not vocab:
        return []
    ratios = process.cdist(query, vocab, scorer=fuzz.ratio)
    found: dict[str, int] = {}
    for i, a in enumerate(query):
        sound = _sounds(a)
        for j, b in enumerate(vocab):
            relation = _relation(a, b, float(ratios[i, j]), sound, sounds[j])
            if relation > found.get(b, 0):
                found[b] = relation
    return list(found.items())


def name_evidence(
    folds: list[tuple[list[ListEntry], list[Positive]]],
    entries: list[ListEntry],
    negatives: Sequence[Query],
    sample: int = 500,
) -> None:
    """How many leave-one-name-out pairs hold any name evidence at all, whatever the matcher:
    a token of the query related to a token of the entry's other names (`_relation`). Strict:
    the same, or rapidfuzz ratio >= 75 (three letters or more). Lenient: ratio >= 60, the same
    first three letters, a shared Double Metaphone code, or the query token is the initials of
    another name (an acronym). A pair with no such token (a nom de guerre, a kunya, another
    company's name) can be found by its name only if unrelated names are, so these shares bound
    the recall any name matcher reaches at a low alert rate."""
    by_kind: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for fold_entries, positives in folds:
        for positive in positives:
            entry = fold_entries[positive.entry_no]
            query = sorted(_evidence_tokens(positive.query.name or ""))
            names = [_evidence_tokens(n.full) for n in entry.names]
            others = sorted(set().union(*names)) if names else []
            relations = [r for _, r in _strongest(query, others, [_sounds(t) for t in others])]
            initials = {_initials(n) for n in names} - {None}
            acronym = any("".join(sorted(a)) in initials for a in query if len(a) >= 2)
            by_kind[positive.family].append((2 in relations, bool(relations) or acronym))
    pairs = [p for v in by_kind.values() for p in v]
    print(
        f"\nname evidence (leave-one-name-out pairs, any matcher): a related token "
        f"strict {np.mean([s for s, _ in pairs]):.3f}, lenient {np.mean([x for _, x in pairs]):.3f}"
        f" of {len(pairs)}"
    )
    print(
        "   "
        + ", ".join(
            f"{k} {np.mean([s for s, _ in v]):.3f}/{np.mean([x for _, x in v]):.3f} (n={len(v)})"
            for k, v in sorted(by_kind.items())
        )
    )
    # The same relations from non-listed people to every entry: how common they are by chance.
    owned: dict[str, set[int]] = defaultdict(set)
    for entry_no, entry in enumerate(entries):
        for name in entry.names:
            for token in _evidence_tokens(name.full):
                owned[token].add(entry_no)
    vocab = sorted(owned)
    sounds = [_sounds(t) for t in vocab]
    by_initials: dict[str, set[int]] = defaultdict(set)
    for entry_no, entry in enumerate(entries):
        for name in entry.names:
            if (letters := _initials(_evidence_tokens(name.full))) is not None:
                by_initials[letters].add(entry_no)
    strict_counts, lenient_counts = [], []
    for query in random.Random(1).sample(list(negatives), min(sample, len(negatives))):
        tokens = sorted(_evidence_tokens(f"{query.given or ''} {query.family or ''}"))
        strict_found: set[int] = set()
        lenient_found: set[int] = set()
        for token, relation in _strongest(tokens, vocab, sounds):
            lenient_found |= owned[token]
            if relation == 2:
                strict_found |= owned[token]
        for token in tokens:
            if len(token) >= 2:
                lenient_found |= by_initials.get("".join(sorted(token)), set())
        strict_counts.append(len(strict_found))
        lenient_counts.append(len(lenient_found))
    print(
        f"   by chance, {len(strict_counts)} non-listed people against the {len(entries)} "
        f"entries: strict relation with {np.mean(strict_counts):.1f} entries on average "
        f"({np.mean(np.array(strict_counts) > 0):.1%} with at least one), lenient with "
        f"{np.mean(lenient_counts):.1f} ({np.mean(np.array(lenient_counts) > 0):.1%})"
    )


def name_bench(rng: np.random.Generator, results: dict[str, dict[str, float]]) -> None:
    """nomenklatura labelled pairs: recall and false-match rate per tier, calibration order."""
    rows = list(csv.DictReader(NAME_BENCH.open(encoding="utf-8")))
    scores = np.zeros(len(rows))
    for i, row in enumerate(rows):
        schema = EntrySchema.PERSON if row["schema"] == "Person" else EntrySchema.ORGANIZATION
        entry = ListEntry(str(i), schema, [ListedName(row["name2"])])
        found = Matcher.from_entries([(i, 0, entry)]).screen(Query(name=row["name1"]), top=1)
        scores[i] = found[0].score if found else 0.0
    print("\n=== nomenklatura name bench (826 labelled pairs, name only) ===")
    for key, cut in (("name only @ 0.01", None), ("name only @ 0.001", None)):
        threshold = results[key]["threshold"] if cut is None else cut
        tiers: dict[str, list[bool]] = defaultdict(list)
        for row, score in zip(rows, scores, strict=True):
            quality = row["quality"] or "MEDIUM"
            label = "match" if row["is_match"] == "true" else "non-match"
            tiers[f"{quality} {label}"].append(bool(score >= threshold))
        matches = [
            s >= threshold for r, s in zip(rows, scores, strict=True) if r["is_match"] == "true"
        ]
        non = [s >= threshold for r, s in zip(rows, scores, strict=True) if r["is_match"] != "true"]
        print(
            f"threshold {threshold:.3f} ({key.split('@')[1].strip()} alert rate): recall "
            f"{np.mean(matches):.3f}, false-match rate {np.mean(non):.3f}; "
            + ", ".join(f"{k} {np.mean(v):.2f} (n={len(v)})" for k, v in sorted(tiers.items()))
        )
    order = [
        "STRONG match",
        "MEDIUM match",
        "WEAK match",
        "WEAK non-match",
        "MEDIUM non-match",
        "STRONG non-match",
    ]
    means = {}
    for label in order:
        quality, kind = label.split(" ", 1)
        vals = [
            s
            for r, s in zip(rows, scores, strict=True)
            if (r["quality"] or "MEDIUM") == quality
            and (r["is_match"] == "true") == (kind == "match")
        ]
        means[label] = float(np.mean(vals)) if vals else float("nan")
    print(
        "mean score per tier (should fall left to right): "
        + " > ".join(f"{k} {v:.3f}" for k, v in means.items())
    )


def cross_script() -> None:
    pairs = []
    for line in CROSS_SCRIPT.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, expected, _min, description = line.split(",", 3)
        pairs.append((query, expected, description))
    scores = []
    for i, (query, expected, _d) in enumerate(pairs):
        entry = ListEntry(str(i), EntrySchema.PERSON, [ListedName(expected)])
        found = Matcher.from_entries([(i, 0, entry)]).screen(Query(name=query), top=1)
        scores.append(found[0].score if found else 0.0)
    print(
        f"\ncross-script smoke test: {len(pairs)} pairs, mean score {np.mean(scores):.3f}, "
        f"scored >= 0.70: {sum(s >= 0.7 for s in scores)}"
    )
    # Descriptions, not the names: the bench prints no personal names.
    for (_q, _e, description), score in zip(pairs, scores, strict=True):
        print(f"  {score:.2f}  {description}")


if __name__ == "__main__":
    sys.exit(main())
