"""The matcher: candidate index (stage 1), fast pre-score (stage 2), explained score (stage 3).

Score: 0.9 x the name alignment score, plus graded adjustments for date of birth, nationality
and gender (`facts.py`), so that a name alone never reaches 1.0 and the top of the scale is kept
for names with agreeing facts: alerts can be ranked instead of saturating at 1.0 (the
OpenSanctions logic-v2 complaint). A document number on the list matches whatever the name:
exact gives at least 0.97, an OCR confusion (O/0, I/1) 0.9 and one character apart 0.8.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from firstline.model.watchlist import ListedDate, ListEntry, NameKind
from firstline.screening.facts import (
    Fact,
    compare_birth_dates,
    compare_gender,
    compare_nationality,
    fact_params,
)
from firstline.screening.index import CandidateIndex, Subject, name_variants
from firstline.screening.kernels import stage2_order
from firstline.screening.memo import remember
from firstline.screening.names import (
    NameComparison,
    NamePart,
    PreparedName,
    compare_prepared,
    name_parts,
    prepare_name,
    score_prepared,
    with_roles,
)
from firstline.screening.normalize import fold_document, normalize, ocr_fold, split_mrz
from firstline.texts import N_, Message, listing, message, said

ALGORITHM = "firstline-v1"
NAME_WEIGHT = 0.9
KIND_FACTOR = {NameKind.WEAK_ALIAS: 0.9, NameKind.FORMER: 0.97}
# A number one character apart is below the default alert threshold on its own: in a list of
# millions of lost documents, one-character neighbours of real passports are common.
DOCUMENT_SCORES = {"exact": 0.97, "ocr": 0.9, "near": 0.65}
DOCUMENT_WORDS = {
    "exact": N_("same document number"),
    "ocr": N_("same document number but for characters a reader confuses (O/0, I/1, S/5, B/8)"),
    "near": N_("document number one character apart"),
}
# Stage 2 keeps at most this many names: those holding at least STAGE2_SHARE of the query's
# retrieval weight or a quick similarity of at least STAGE2_CUT (0-100). Set on the benchmark's
# stage-2 candidate recall (bench/screening_quality.py).
STAGE1_LIMIT = 100  # names taken from the index per query, by rarity-weighted overlap
STAGE2_KEEP = 6
STAGE2_SHARE = 0.55
STAGE2_CUT = 60.0
_PREPARED_CACHE = 200_000  # listed names kept prepared for comparison

# The explanation in words: English templates (firstline.texts) that pages translate.
NAME_KINDS = {
    "alias": N_("an alias"),
    "weak_alias": N_("a weak alias (nickname or nom de guerre)"),
    "former": N_("a former name"),
    "original_script": N_("the name in original script"),
}
LISTED_NAME = N_("the listed name")
NAME_MATCHES = N_("Name matches {kind} at {score:.2f}.")
NAME_PARTS = N_("Name parts: {parts}.")
# Signs only, nothing to translate but the method (web/labels.py has the methods' names).
PAIR_CLOSE = "{query} ~ {listed} ({method})"
NOT_LISTED = N_("Not on the list: {names}.")
NOT_GIVEN = N_("Listed but not given: {names}.")
SWAPPED = N_("Family and given names are swapped.")
ISSUED_ELSEWHERE = N_("{document}, but issued by {country} not {listed}")


@dataclass(slots=True)
class Query:
    """A person to screen: a name (free text, or family and given names), and facts."""

    name: str | None = None
    family: str | None = None
    given: str | None = None
    birth_date: date | ListedDate | None = None
    nationality: str | None = None
    gender: str | None = None
    documents: tuple[tuple[str, str | None], ...] = ()  # (number, issuing country)
    mrz: bool = False  # `name` is an MRZ name field (SURNAME<<GIVEN<NAMES)
    # Entry kinds that can be this query: a traveller is a person, never a company or a
    # vessel (None: any kind, for free screening from the command line).
    schemas: frozenset[str] | None = None

    def digest(self) -> str:
        """A stable hash of everything screening reads of the query."""
        text = repr(
            (
                self.name,
                self.family,
                self.given,
                str(self.birth_date) if self.birth_date else None,
                self.nationality,
                self.gender,
                self.documents,
                self.mrz,
            )
        )
        return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()

    def parts(self) -> tuple[tuple[NamePart, ...], bool]:
        if self.mrz and self.name:
            family, given, truncated = split_mrz(self.name)
            # MRZ order (family first) so that the last part is the one a full field cuts.
            parts = name_parts(family, ["family"] * len(family.tokens)) + name_parts(
                given, ["given"] * len(given.tokens)
            )
            return parts, truncated
        if self.family or self.given:
            return with_roles(normalize(self.family or ""), normalize(self.given or "")), False
        return name_parts(normalize(self.name or "")), False


@dataclass(slots=True)
class Match:
    subject: Subject
    score: float
    listed_name: str | None = None
    name_kind: str | None = None
    name: NameComparison | None = None
    facts: list[Fact] = field(default_factory=list)
    evidence: float = 0.0  # rarity of what matched: ranks equal scores (common names last)

    def explanation(self) -> dict[str, Any]:
        """Structured explanation, stored with a hit and shown to the analyst."""
        out: dict[str, Any] = {"algorithm": ALGORITHM, "score": self.score}
        if self.name is not None:
            out["name"] = {
                "listed_name": self.listed_name,
                "kind": self.name_kind,
                "score": round(self.name.score, 3),
                "pairs": [
                    {"query": p.query, "listed": p.listed, "method": p.method, "score": p.score}
                    for p in self.name.pairs
                ],
                # Copies: the comparison is cached and shared between matches.
                "unmatched_query": list(self.name.unmatched_query),
                "unmatched_listed": list(self.name.unmatched_listed),
                "swapped": self.name.swapped,
            }
        out["facts"] = [
            {"field": f.field, "outcome": f.outcome, "adjustment": f.adjustment, "text": f.text}
            | _fact_message(f)
            for f in self.facts
        ]
        sentences = self.sentences()
        out["summary"] = [said(line) for line in sentences]
        # The same lines as templates and parameters, for pages in other languages.
        out["sentences"] = sentences
        return out

    def summary(self) -> list[str]:
        """The explanation in sentences, as an analyst reads it."""
        return [said(line) for line in self.sentences()]

    def sentences(self) -> list[Message]:
        """The summary's lines as messages (firstline.texts): built only for the matches
        explained, never while screening."""
        lines: list[Message] = []
        if self.name is not None:
            kind = message(NAME_KINDS.get(self.name_kind or "", LISTED_NAME))
            lines.append(message(NAME_MATCHES, {"kind": kind, "score": self.name.score}))
            words = [
                f"{p.query} = {p.listed}"
                if p.method == "exact"
                else message(
                    PAIR_CLOSE, {"query": p.query, "listed": p.listed, "method": message(p.method)}
                )
                for p in self.name.pairs
            ]
            if words:
                lines.append(message(NAME_PARTS, {"parts": listing(words)}))
            if self.name.unmatched_query:
                names = ", ".join(self.name.unmatched_query)
                lines.append(message(NOT_LISTED, {"names": names}))
            if self.name.unmatched_listed:
                names = ", ".join(self.name.unmatched_listed)
                lines.append(message(NOT_GIVEN, {"names": names}))
            if self.name.swapped:
                lines.append(message(SWAPPED))
        for fact in self.facts:
            if fact.outcome != "unknown" or fact.field == "date_of_birth":
                lines.append(_fact_message(fact) | {"sentence": True})
        return lines


def _within_reach(kind: NameKind, adjustment: float, min_score: float) -> bool:
    """Whether a name of this kind, even matched perfectly, could reach `min_score` with its
    facts' `adjustment` (exact or an upper bound); the margin covers the score's rounding."""
    return NAME_WEIGHT * KIND_FACTOR.get(kind, 1.0) + adjustment + 0.0005 >= min_score


def _score(name_score: float, adjustment: float) -> float:
    """The final score of a name score (kind factor applied) and the facts' adjustment."""
    return round(min(max(NAME_WEIGHT * name_score + adjustment, 0.0), 1.0), 3)


def _fact_message(fact: Fact) -> Message:
    """A fact's template and parameters as stored with a hit."""
    return message(fact.template, fact_params(fact))


class Matcher:
    """Screens queries against an index of list entries."""

    def __init__(self, index: CandidateIndex) -> None:
        self.index = index
        # Listed names prepared for comparison (`prepare_name`), by name number: the same
        # listed names come back for every traveller who shares their parts.
        self._prepared: dict[int, PreparedName] = {}

    def _listed_name(self, name_no: int) -> PreparedName:
        return remember(self._prepared, _PREPARED_CACHE, name_no, self._prepare_listed, name_no)

    def _prepare_listed(self, name_no: int) -> PreparedName:
        return prepare_name(self.index.parts_of(name_no))

    @classmethod
    def from_entries(
        cls, entries: Iterable[tuple[int, int, ListEntry]], *, common_cap: int = 5000
    ) -> Matcher:
        return cls(CandidateIndex.build(entries, common_cap=common_cap))

    def screen(self, query: Query, *, top: int = 10, min_score: float = 0.0) -> list[Match]:
        by_subject: dict[int, Match] = {}
        # Documents first: a subject found by its document keeps its name comparison in the
        # explanation even when the name alone could not reach `min_score`.
        documents = [
            (subject_no, number, country, how)
            for number, country in query.documents
            for subject_no, how in self.index.documents(number)
        ]
        keep = {subject_no for subject_no, *_ in documents}
        # A free-text name may pack spellings ("HUSAIN SALIMI; HOSAIN SALIMI"): each counts.
        names = name_variants(query.name) if query.name and not query.mrz else [query.name]
        for name in names:
            variant = replace(query, name=name) if name != query.name else query
            parts, truncated = variant.parts()
            if parts:
                kept = self._stage2(parts, variant)
                prepared = prepare_name(parts, forms=True)
                for name_no, bound in self._reachable(variant, kept, min_score, keep):
                    self._score_name(
                        variant, prepared, truncated, name_no, bound, by_subject, min_score, keep
                    )
        for subject_no, number, country, how in documents:
            self._document_match(subject_no, number, country, how, query, by_subject)
        matches = [m for m in by_subject.values() if m.score >= min_score]
        matches.sort(key=lambda m: (-m.score, -m.evidence, m.subject.source_id))
        return matches[:top]

    def _stage2(self, parts: Sequence[NamePart], query: Query | None = None) -> list[int]:
        index = self.index

        def prefer(names: npt.NDArray[np.int32]) -> npt.NDArray[np.float64]:
            assert query is not None
            return index.facts.upper_packed(
                index.name_facts, query.birth_date, query.nationality, query.gender, names
            )

        has_facts = query is not None and bool(
            query.birth_date or query.nationality or query.gender
        )
        ids, weights, query_weight = index.candidates(
            parts, limit=STAGE1_LIMIT, prefer=prefer if has_facts else None
        )
        if len(ids) == 0:
            return []
        # Share of the query's retrieval weight each name holds: a name sharing only one
        # common part with the query (JOHN of JOHN SMITH) cannot score high; it is dropped
        # here instead of being aligned in stage 3. The best name always goes through.
        # Cheap whole-string similarity (rapidfuzz's token_sort_ratio, computed on the
        # index's letter codes); with the share it saves names whose spelling drifted too far
        # for token_sort (transliterations).
        quick = self.index.sort_ratios([p.info.text for p in parts], ids)
        positions, key, order = stage2_order(
            weights, quick, query_weight or 1.0, STAGE2_SHARE, STAGE2_CUT
        )
        if (
            has_facts
            and len(order) > STAGE2_KEEP
            and key[order[STAGE2_KEEP - 1]] == key[order[STAGE2_KEEP]]
        ):
            # Homonyms tie across the cut: those whose facts could agree go first.
            order = np.lexsort((-prefer(ids[positions]), key))
        kept: list[int] = ids[positions[order[:STAGE2_KEEP]]].tolist()
        return kept

    def _reachable(
        self, query: Query, names: list[int], min_score: float, keep: set[int]
    ) -> list[tuple[int, float]]:
        """The names whose entries could still reach `min_score` given the facts' upper
        bound (`FactBounds`), each with that bound: found without reading each entry's facts,
        which `_score_name` does only for the names whose alignment leaves them in reach."""
        if min_score <= 0.0 or not names:
            return [(name_no, math.inf) for name_no in names]
        index = self.index
        upper = index.facts.upper_packed(
            index.name_facts,
            query.birth_date,
            query.nationality,
            query.gender,
            np.array(names, dtype=np.int32),
        )
        return [
            (name_no, bound)
            for name_no, bound in zip(names, upper.tolist(), strict=True)
            if _within_reach(index.name_kind[name_no], bound, min_score)
            or int(index.name_subject[name_no]) in keep
        ]

    def _score_name(
        self,
        query: Query,
        prepared: PreparedName,
        truncated: bool,
        name_no: int,
        upper: float,
        by_subject: dict[int, Match],
        min_score: float = 0.0,
        keep: set[int] | frozenset[int] = frozenset(),
    ) -> None:
        index = self.index
        subject_no = int(index.name_subject[name_no])
        if query.schemas is not None and index.subject_schema[subject_no] not in query.schemas:
            return
        kind = index.name_kind[name_no]
        listed = self._listed_name(name_no)
        factor = KIND_FACTOR.get(kind, 1.0)
        kept = subject_no in keep
        # Exact pruning, not a heuristic: with the facts' upper bound, this name cannot lift
        # its entry to `min_score`, so neither is the alignment explained nor are the entry's
        # own facts compared. Most names reaching this stage for a traveller who is not listed
        # end here, and a forked worker does not touch (and copy) the memory of an entry it
        # drops. (The margin covers the bound's sums being added in another order than the
        # facts'.)
        if not kept and min_score > 0.0:
            name_score = score_prepared(prepared, listed, truncated=truncated) * factor
            if _score(name_score, upper + 1e-9) < min_score:
                return
        comparison = compare_prepared(prepared, listed, truncated=truncated)
        name_score = comparison.score * factor
        subject = index.subjects[subject_no]
        facts = self._facts(query, subject)
        score = _score(name_score, sum(f.adjustment for f in facts))
        if score < min_score and not kept:
            return  # dropped by `screen` anyway: no match built
        current = by_subject.get(subject_no)
        if current is not None and current.name is not None and current.name_kind:
            current_factor = KIND_FACTOR.get(NameKind(current.name_kind), 1.0)
            if current.name.score * current_factor >= name_score:
                return
        # Ranks equal (clamped) scores: rarer matched names, then more agreeing facts.
        evidence = sum(self.index.rarity(p.listed) * p.score for p in comparison.pairs)
        evidence += 10.0 * sum(max(f.adjustment, 0.0) for f in facts)
        match = Match(
            subject=subject,
            score=score,
            listed_name=self.index.name_text[name_no],
            name_kind=str(kind),
            name=comparison,
            facts=facts,
            evidence=evidence,
        )
        if current is not None:
            # Keep document evidence found earlier.
            match.facts += [f for f in current.facts if f.field == "document"]
            match.score = max(match.score, current.score)
        by_subject[subject_no] = match

    def _facts(self, query: Query, subject: Subject) -> list[Fact]:
        return [
            compare_birth_dates(query.birth_date, subject.birth_dates),
            compare_nationality(query.nationality, subject.nationalities),
            compare_gender(query.gender, subject.gender),
        ]

    def _document_match(
        self,
        subject_no: int,
        number: str,
        country: str | None,
        how: str,
        query: Query,
        by_subject: dict[int, Match],
    ) -> None:
        subject = self.index.subjects[subject_no]
        folded = fold_document(number)
        # The listed document this number stands for: same number, same OCR fold, or the
        # subject's only document (a near miss).
        listed_country = next(
            (c for n, c in subject.documents if n == folded),
            next(
                (c for n, c in subject.documents if ocr_fold(n) == ocr_fold(folded)),
                subject.documents[0][1] if len(subject.documents) == 1 else None,
            ),
        )
        score = DOCUMENT_SCORES[how]
        fact = Fact("document", how, 0.0, DOCUMENT_WORDS[how])
        if country and listed_country and country.upper() != listed_country.upper():
            # A number reused by another issuing State is a different document.
            score -= 0.15
            elsewhere = {"country": country.upper(), "listed": listed_country.upper()}
            fact = Fact("document", how, 0.0, ISSUED_ELSEWHERE,
                        {"document": message(DOCUMENT_WORDS[how]), **elsewhere})  # fmt: skip
        match = by_subject.get(subject_no)
        if match is None:
            match = Match(subject=subject, score=0.0, facts=self._facts(query, subject))
            by_subject[subject_no] = match
        match.facts.append(fact)
        match.score = round(max(match.score, score), 3)
        match.evidence += 10.0
