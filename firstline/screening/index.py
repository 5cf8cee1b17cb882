"""Stage 1: the in-memory candidate index over every name of every active list entry.

Comparing each traveller with each listed name is what makes GTAS screen 5 travellers a second.
Here the fuzzy work happens on the *vocabulary* (distinct name tokens, a few hundred thousand
even for a million entries), not on the entries: a query token finds the vocabulary tokens that
share its letters, its ICAO fold, its sound, its consonant skeleton or a one-edit neighbour
(SymSpell deletions), and only then the names that contain them. Names are ranked by
rarity-weighted overlap (IDF, so MOHAMMED and ALI count little) and capped. A token too common
to retrieve on its own (more names than `common_cap`) retrieves only together with another
common token of the same query, through a pair index, so that MOHAMMED ALI still finds
MOHAMMED ALI in a million names without scanning fifty thousand MOHAMMEDs.
Postings are numpy arrays (CSR), not Python sets, so a million entries fit in memory.
"""

from __future__ import annotations

import math
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from firstline.model.watchlist import ListedDate, ListedName, ListEntry, NameKind
from firstline.screening.facts import FactBounds
from firstline.screening.kernels import choose, sort_ratios, sum_top
from firstline.screening.memo import remember
from firstline.screening.names import NamePart, name_parts, with_roles
from firstline.screening.normalize import fold_document, normalize, ocr_fold
from firstline.screening.tokens import TokenInfo, canonical, joined_skeletons

IntArray = npt.NDArray[np.int64]

# Retrieval strength of each way a query token can reach a vocabulary token.
_EXACT, _FOLD, _TYPO, _SOUND, _SKELETON, _PREFIX = 1.0, 0.95, 0.8, 0.75, 0.7, 0.6
_SPLIT = 0.9  # a glued word's pieces
_KEY_STRENGTH = {"m": _SOUND, "s": _SKELETON, "t": _FOLD, "d": _TYPO, "p": _PREFIX, "n": _SOUND}
_MIN_PIECE = 3
_MAX_VARIANTS = 12  # vocabulary tokens one query token may reach (strongest, then rarest)
_MIN_DELETE_LENGTH = 5  # shorter tokens: one deletion reaches too many other names
_MAX_KEY_TOKENS = 300  # a fuzzy key shared by more vocabulary tokens is not followed
# A joined run of parts whose skeleton is that common is made of short syllables (YU SHU YING:
# SNG, shared by 109 tokens against a million entries): it found no name in a measured sample
# of travellers, and cost a third of the postings read. ABDULLAH's (BDLH) is shared by 44.
_MAX_JOINED_TOKENS = 60
_VARIANT_CACHE = 200_000  # query tokens whose retrieval is remembered


@dataclass(frozen=True, slots=True)
class Subject:
    """What the scorer needs of a list entry, kept compact for million-entry lists."""

    key: int  # the caller's key for the entry (a database id, or a position)
    list_key: int
    source_id: str
    schema: str
    birth_dates: tuple[ListedDate, ...]
    nationalities: tuple[str, ...]
    gender: str | None
    documents: tuple[tuple[str, str | None], ...]  # (folded number, issuing country)


@dataclass(slots=True)
class IndexStats:
    subjects: int = 0
    names: int = 0
    vocabulary: int = 0
    keys: int = 0
    postings: int = 0
    pair_postings: int = 0
    documents: int = 0


def _deletes(text: str) -> set[str]:
    return {text[:i] + text[i + 1 :] for i in range(len(text))}


def _hash(text: str) -> int:
    # Python's str hash: stable inside one process, which is the index's whole life.
    return hash(text)


def listed_parts(name_text: str, given: str | None, family: str | None) -> tuple[NamePart, ...]:
    if family:
        return with_roles(normalize(family), normalize(given or ""))
    return name_parts(normalize(name_text))


_PARENTHESES = re.compile(r"\(([^()]*)\)")


def name_variants(text: str) -> list[str]:
    """The names one published name field stands for.

    Lists pack several spellings into one alias ("HUSAIN SALIMI; HOSAIN SALIMI") and put
    acronyms in parentheses ("AFGHAN SUPPORT COMMITTEE (ASC)"): each is a name of its own.
    """
    out: list[str] = []
    for piece in text.split(";"):
        piece = piece.strip()
        if not piece:
            continue
        inner = _PARENTHESES.findall(piece)
        bare = _PARENTHESES.sub(" ", piece).strip()
        out.append(bare or piece)
        out.extend(i.strip() for i in inner if i.strip() and len(i.strip()) <= 40)
    return list(dict.fromkeys(out)) or [text]


class Candidates(NamedTuple):
    """What stage 1 found for a query."""

    names: npt.NDArray[np.int32]  # best first
    weights: npt.NDArray[np.float64]  # each name's rarity-weighted evidence
    # The most a name could have gathered: every query part found by its strongest variant.
    # Returned, not kept on the index, which threads of the web application share.
    query_weight: float


@dataclass(slots=True)
class _Reach:
    starts: list[int]
    ends: list[int]
    weights: list[float]
    common: list[tuple[int, float]]  # variants too common to retrieve alone: (tid, weight)
    best: float  # the strongest variant's weight


@dataclass(slots=True)
class _Builder:
    vocab: dict[str, int] = field(default_factory=dict)
    infos: list[TokenInfo] = field(default_factory=list)
    postings: list[list[int]] = field(default_factory=list)
    name_norm: list[str] = field(default_factory=list)
    name_subject: list[int] = field(default_factory=list)
    name_parts: list[tuple[NamePart, ...]] = field(default_factory=list)
    # One NamePart object per (text, ICAO fold, role), shared by every name holding it.
    parts: dict[tuple[str, str, str | None], int] = field(default_factory=dict)
    part_ids: list[int] = field(default_factory=list)  # every name's, one after the other


class CandidateIndex:
    """Names, vocabulary, postings and document keys of a set of list entries."""

    def __init__(self, common_cap: int = 5000) -> None:
        self.common_cap = common_cap
        self.subjects: list[Subject] = []
        # Each subject's schema again, as one of a few shared strings: checked for every name
        # scored, without reading (and, in a forked worker, copying) the subject itself.
        self.subject_schema: list[str] = []
        # Per name, its subject's number. An array, not a list of a million Python ints:
        # reading an int object writes its reference count, which makes a forked screening
        # worker copy the page holding it.
        self.name_subject: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self.name_kind: list[NameKind] = []
        self.name_text: list[str] = []
        # Every name's parts as numbers into `part_objects` (one object per text, ICAO fold and
        # role, shared by all the names holding it), name n's from `_part_starts[n]` on: no
        # per-name tuple of per-name objects, which a forked worker would copy on reading.
        self.part_objects: list[NamePart] = []
        self._part_ids: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._part_starts: IntArray = np.zeros(1, dtype=np.int64)
        # Each name's normalised text, tokens sorted, as letter codes one after the other
        # (`_text_offsets` says where each starts): the stage-2 string similarity reads them in
        # a compiled loop, without a million Python strings a forked worker would copy.
        self._letters: dict[str, int] = {}  # letter -> code; 0 is a letter no name holds
        self._text_codes: npt.NDArray[np.unsignedinteger[Any]] = np.zeros(0, dtype=np.uint8)
        self._text_offsets: IntArray = np.zeros(1, dtype=np.int64)
        # Per name, its entry's facts packed (FactBounds.packed), to rank homonyms.
        self.name_facts: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.facts = FactBounds()  # per subject, what its facts could add to a score
        self.vocab: dict[str, int] = {}
        self.infos: list[TokenInfo] = []
        self.idf: npt.NDArray[np.float64] = np.zeros(0)
        self.df: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._df: list[int] = []
        self._idf: list[float] = []
        self._offsets: IntArray = np.zeros(1, dtype=np.int64)
        self._starts: list[int] = [0]  # the offsets as Python ints, for slicing in loops
        self._reach: dict[tuple[str, str], _Reach] = {}
        # Every vocabulary token's reach, worked out at build time and kept flat (token t's
        # slices from `_stored_offsets[t]`, its common variants from `_stored_common[t]`): a
        # traveller's token is most often a listed one, and after a list change re-screens
        # thousands of travellers, none should wait for it. Arrays, so that a forked worker
        # reads them without copying.
        self._stored_offsets: IntArray = np.zeros(1, dtype=np.int64)
        self._stored_slices: IntArray = np.zeros((0, 2), dtype=np.int64)
        self._stored_weights: npt.NDArray[np.float64] = np.zeros(0)
        self._stored_common: IntArray = np.zeros(1, dtype=np.int64)
        self._stored_common_tids: IntArray = np.zeros(0, dtype=np.int64)
        self._stored_common_weights: npt.NDArray[np.float64] = np.zeros(0)
        self._stored_best: npt.NDArray[np.float64] = np.zeros(0)
        self._joined: dict[str, _Reach] = {}
        self._postings: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._keys: dict[str, tuple[int, ...]] = {}
        self._pair_keys: IntArray = np.zeros(0, dtype=np.int64)
        self._pair_names: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._doc_exact: dict[str, list[int]] = {}
        self._doc_ocr: dict[str, list[int]] = {}
        self._doc_near_keys: IntArray = np.zeros(0, dtype=np.int64)
        self._doc_near_subjects: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self.stats = IndexStats()

    # -- building -------------------------------------------------------------------------

    @classmethod
    def build(
        cls, entries: Iterable[tuple[int, int, ListEntry]], *, common_cap: int = 5000
    ) -> CandidateIndex:
        """Index `(entry key, list key, entry)` triples."""
        index = cls(common_cap)
        builder = _Builder()
        near: list[tuple[int, int]] = []
        for key, list_key, entry in entries:
            index._add(key, list_key, entry, builder, near)
        index._finish(builder, near)
        # The listed names filled the normalisation cache, and travellers' names are others:
        # each would evict a listed one, freeing memory a forked worker shares with its parent
        # (and so copying it). Screening fills the cache with its own.
        normalize.cache_clear()
        return index

    def _add(
        self,
        key: int,
        list_key: int,
        entry: ListEntry,
        builder: _Builder,
        near: list[tuple[int, int]],
    ) -> None:
        docs = tuple(
            (folded, doc.country)
            for doc in entry.documents
            if len(folded := fold_document(doc.number)) >= 4
        )
        subject_no = len(self.subjects)
        self.subject_schema.append(sys.intern(str(entry.schema)))
        self.facts.add(entry.birth_dates, entry.nationalities, entry.gender)
        self.subjects.append(
            Subject(
                key=key,
                list_key=list_key,
                source_id=entry.source_id,
                schema=str(entry.schema),
                birth_dates=tuple(entry.birth_dates),
                nationalities=tuple(entry.nationalities),
                gender=entry.gender,
                documents=docs,
            )
        )
        for number, _country in docs:
            self._doc_exact.setdefault(number, []).append(subject_no)
            self._doc_ocr.setdefault(ocr_fold(number), []).append(subject_no)
            if len(number) >= 6:
                keys = _deletes(ocr_fold(number)) | {ocr_fold(number)}
                near.extend((_hash(d), subject_no) for d in keys)
        seen: set[tuple[str, ...]] = set()
        for listed, text, parts in self._names_of(entry):
            signature = tuple(p.info.text for p in parts)
            if not parts or signature in seen:
                continue
            seen.add(signature)
            name_no = len(self.name_text)
            numbers: list[int] = []
            for piece in parts:
                spelling = (piece.info.text, piece.info.icao, piece.role)
                part_no = builder.parts.get(spelling)
                if part_no is None:
                    part_no = builder.parts[spelling] = len(self.part_objects)
                    self.part_objects.append(piece)
                numbers.append(part_no)
            builder.part_ids += numbers
            # The shared objects, so that this name's own die now.
            builder.name_parts.append(tuple([self.part_objects[n] for n in numbers]))
            builder.name_subject.append(subject_no)
            self.name_kind.append(listed.kind)
            self.name_text.append(text)
            builder.name_norm.append(" ".join(p.info.text for p in parts))
            for part in dict.fromkeys(p.info for p in parts):
                tid = builder.vocab.get(part.text)
                if tid is None:
                    tid = len(builder.infos)
                    builder.vocab[part.text] = tid
                    builder.infos.append(part)
                    builder.postings.append([])
                builder.postings[tid].append(name_no)

    @staticmethod
    def _names_of(
        entry: ListEntry,
    ) -> Iterator[tuple[ListedName, str, tuple[NamePart, ...]]]:
        for listed in entry.names:
            if listed.family:
                yield listed, listed.full, listed_parts(listed.full, listed.given, listed.family)
                continue
            for text in name_variants(listed.full):
                yield listed, text, listed_parts(text, None, None)

    def _finish(self, builder: _Builder, near: list[tuple[int, int]]) -> None:
        self.vocab = builder.vocab
        self.infos = builder.infos
        names = max(len(self.name_text), 1)
        lengths = np.fromiter((len(p) for p in builder.postings), dtype=np.int64)
        self.df = lengths
        # Plain Python lists beside the arrays: numpy scalar access is slow in loops.
        self._df = lengths.tolist()
        self.idf = np.log1p(names / np.maximum(lengths, 1))
        self._idf = self.idf.tolist()
        self._offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self._offsets[1:])
        self._starts = self._offsets.tolist()
        flat = np.fromiter(
            (n for plist in builder.postings for n in plist),
            dtype=np.int32,
            count=int(self._offsets[-1]),
        )
        self._postings = flat
        keys: dict[str, list[int]] = defaultdict(list)
        for tid, info in enumerate(self.infos):
            if info.particle:
                continue
            for k in self._token_keys(info, query=False):
                keys[k].append(tid)
        # Each key's tokens rarest first (then by number: the sort is stable), which lets
        # `variants` stop reading a key once it has as many as it may keep.
        rarity = self._df.__getitem__
        self._keys = {k: tuple(sorted(v, key=rarity)) for k, v in keys.items()}
        self._build_pairs(builder.name_parts)
        self._store_reach()
        self._part_ids = np.array(builder.part_ids, dtype=np.int32)
        counts = np.fromiter((len(p) for p in builder.name_parts), dtype=np.int64)
        self._part_starts = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=self._part_starts[1:])
        if near:
            pairs = np.array(near, dtype=np.int64)
            order = np.argsort(pairs[:, 0], kind="stable")
            self._doc_near_keys = pairs[order, 0]
            self._doc_near_subjects = pairs[order, 1].astype(np.int32)
        self._code_texts(builder.name_norm)
        self.name_subject = np.array(builder.name_subject, dtype=np.int32)
        self.name_facts = self.facts.packed()[self.name_subject]
        self.stats = IndexStats(
            subjects=len(self.subjects),
            names=len(self.name_text),
            vocabulary=len(self.infos),
            keys=len(self._keys),
            postings=len(self._postings),
            pair_postings=len(self._pair_keys),
            documents=len(self._doc_exact),
        )

    def _code_texts(self, texts: list[str]) -> None:
        ordered = [" ".join(sorted(text.split())) for text in texts]
        joined = "".join(ordered)
        self._letters = {c: n + 1 for n, c in enumerate(sorted(set(joined)))}
        coded = joined.translate({ord(c): n for c, n in self._letters.items()})
        if len(self._letters) < 256:
            self._text_codes = np.frombuffer(coded.encode("latin-1"), dtype=np.uint8).copy()
        else:
            wide = np.frombuffer(coded.encode("utf-32-le"), dtype=np.uint32)
            small = len(self._letters) < 65536
            self._text_codes = wide.astype(np.uint16) if small else wide.copy()
        lengths = np.fromiter((len(t) for t in ordered), dtype=np.int64, count=len(ordered))
        self._text_offsets = np.zeros(len(ordered) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self._text_offsets[1:])

    def sort_ratios(
        self, tokens: Iterable[str], names: npt.NDArray[np.int32]
    ) -> npt.NDArray[np.float32]:
        """rapidfuzz's `fuzz.token_sort_ratio` (0-100) of a name's normalised `tokens` against
        each of `names`' normalised texts, the same figures to the last bit
        (`kernels.sort_ratios`)."""
        ordered = " ".join(sorted(tokens))
        query = np.array([self._letters.get(c, 0) for c in ordered], dtype=self._text_codes.dtype)
        return sort_ratios(
            query, self._text_codes, self._text_offsets, names, len(self._letters) + 1
        )

    def _store_reach(self) -> None:
        slices: list[tuple[int, int]] = []
        weights: list[float] = []
        common_tids: list[int] = []
        common_weights: list[float] = []
        offsets = [0]
        common_offsets = [0]
        best: list[float] = []
        for info in self.infos:
            reach = self._find_reach(info)
            slices += zip(reach.starts, reach.ends, strict=True)
            weights += reach.weights
            offsets.append(len(weights))
            common_tids += [tid for tid, _ in reach.common]
            common_weights += [weight for _, weight in reach.common]
            common_offsets.append(len(common_tids))
            best.append(reach.best)
        self._stored_offsets = np.array(offsets, dtype=np.int64)
        self._stored_slices = np.array(slices, dtype=np.int64).reshape(-1, 2)
        self._stored_weights = np.array(weights, dtype=np.float64)
        self._stored_common = np.array(common_offsets, dtype=np.int64)
        self._stored_common_tids = np.array(common_tids, dtype=np.int64)
        self._stored_common_weights = np.array(common_weights, dtype=np.float64)
        self._stored_best = np.array(best, dtype=np.float64)

    def _stored_reach(self, info: TokenInfo) -> _Reach | None:
        """A vocabulary token's reach as the build stored it; None for another token (or the
        same letters with another ICAO fold, whose reach may differ)."""
        tid = self.vocab.get(info.text)
        if tid is None or self.infos[tid].icao != info.icao:
            return None
        start, end = self._stored_offsets[tid : tid + 2].tolist()
        first, last = self._stored_common[tid : tid + 2].tolist()
        return _Reach(
            self._stored_slices[start:end, 0].tolist(),
            self._stored_slices[start:end, 1].tolist(),
            self._stored_weights[start:end].tolist(),
            list(
                zip(
                    self._stored_common_tids[first:last].tolist(),
                    self._stored_common_weights[first:last].tolist(),
                    strict=True,
                )
            ),
            float(self._stored_best[tid]),
        )

    def parts_of(self, name_no: int) -> tuple[NamePart, ...]:
        """A listed name's parts."""
        start, end = self._part_starts[name_no : name_no + 2].tolist()
        objects = self.part_objects
        return tuple([objects[n] for n in self._part_ids[start:end].tolist()])

    def _build_pairs(self, name_parts: list[tuple[NamePart, ...]]) -> None:
        common = self.df > self.common_cap
        if not common.any():
            return
        width = len(self.infos)
        keys: list[int] = []
        names: list[int] = []
        for name_no, parts in enumerate(name_parts):
            tids = sorted(
                {t for p in parts if (t := self.vocab[p.info.text]) is not None and common[t]}
            )
            for a in range(len(tids)):
                for b in range(a + 1, len(tids)):
                    keys.append(tids[a] * width + tids[b])
                    names.append(name_no)
        if keys:
            karr = np.array(keys, dtype=np.int64)
            order = np.argsort(karr, kind="stable")
            self._pair_keys = karr[order]
            self._pair_names = np.array(names, dtype=np.int32)[order]

    @staticmethod
    def _token_keys(info: TokenInfo, *, query: bool) -> list[str]:
        keys = [f"m:{code}" for code in info.phonetic if len(code) >= 2]
        keys += [f"s:{skel}" for skel in info.skeletons if len(skel) >= 3]
        if info.icao != info.text:
            keys.append(f"t:{info.icao}")
        # Long names whose endings drift (ALEXANDROS/ALEXANDER, MOHAMMADI/MOHAMMADY): no single
        # edit, sound or skeleton joins them, a shared six-letter start does.
        if len(info.text) >= 7:
            keys.append(f"p:{info.text[:6]}")
        keys += [f"n:{full}" for full in canonical(info.text)]
        if len(info.text) >= _MIN_DELETE_LENGTH:
            keys.append(f"d:{info.text}")
            keys += [f"d:{d}" for d in _deletes(info.text)]
        elif not query:
            keys.append(f"d:{info.text}")  # reachable by a longer query token's deletion
        return keys

    # -- retrieval ------------------------------------------------------------------------

    def variants(self, info: TokenInfo) -> dict[int, float]:
        """Vocabulary tokens a query token may stand for, with retrieval strength (remembered
        per token by `_token_reach`, which is what screening calls).

        The `_MAX_VARIANTS` strongest, then rarest, then first in the vocabulary. A sound key
        may lead to 300 tokens: keys are read strongest first, and each key's tokens are
        stored rarest first, so that only as many are read as could still be kept.
        """
        # Tokens by strength: one group per strength, read strongest first.
        groups: dict[float, list[tuple[int, ...]]] = {}
        for text, strength in ((info.text, _EXACT), (info.icao, _FOLD)):
            tid = self.vocab.get(text)
            if tid is not None:
                groups.setdefault(strength, []).append((tid,))
        # A query already in ICAO spelling (MUELLER) reaches listed MÜLLER by its ICAO key.
        folded = self._keys.get(f"t:{info.text}")
        if folded:
            groups.setdefault(_FOLD, []).append(folded)
        for key in self._token_keys(info, query=True):
            tids = self._keys.get(key)
            # A sound or skeleton shared by hundreds of tokens says nothing.
            if tids and len(tids) <= _MAX_KEY_TOKENS:
                groups.setdefault(_KEY_STRENGTH[key[0]], []).append(tids)
        if info.text not in self.vocab and len(info.text) >= 6:
            pieces = self._pieces(info.text)
            if pieces:
                rarest = sorted(set(pieces), key=self._df.__getitem__)
                groups.setdefault(_SPLIT, []).append(tuple(rarest))
        found: dict[int, float] = {}
        for strength in sorted(groups, reverse=True):
            # Every token found so far holds a stronger variant than this group's.
            room = _MAX_VARIANTS - len(found)
            if room <= 0:
                break
            picked: set[int] = set()
            for tids in groups[strength]:
                taken = 0
                for tid in tids:
                    if tid not in found and tid not in picked:
                        picked.add(tid)
                        taken += 1
                        if taken == room:
                            break
            df = self._df
            for tid in sorted(picked, key=lambda t: (df[t], t))[:room]:
                found[tid] = strength
        return found

    def _token_reach(self, info: TokenInfo) -> _Reach:
        """Where a query token's variants lead: posting slices and their weights (before the
        part's role factor), computed once per distinct token."""
        # Travellers' given names and surnames repeat all day: each token's answer is kept.
        return remember(self._reach, _VARIANT_CACHE, (info.text, info.icao), self._reach_of, info)

    def _reach_of(self, info: TokenInfo) -> _Reach:
        return self._stored_reach(info) or self._find_reach(info)

    def _find_reach(self, info: TokenInfo) -> _Reach:
        starts: list[int] = []
        ends: list[int] = []
        weights: list[float] = []
        common: list[tuple[int, float]] = []
        best = 0.0
        # In vocabulary order, so that the sums stage 1 makes (floating point, whose last bit
        # depends on the order of additions) are the same in every process.
        for tid, strength in sorted(self.variants(info).items()):
            weight = self._idf[tid] * strength
            best = max(best, weight)
            if self._df[tid] <= self.common_cap:
                starts.append(self._starts[tid])
                ends.append(self._starts[tid + 1])
                weights.append(weight)
            else:
                common.append((tid, weight))
        return _Reach(starts, ends, weights, common, best)

    def _joined_reach(self, texts: list[str]) -> _Reach:
        """Vocabulary tokens sharing a consonant skeleton with adjacent query parts written as
        one word (ABD AL LAH, ABDULLAH)."""
        joined = "".join(texts)
        return remember(self._joined, _VARIANT_CACHE, joined, self._find_joined, texts)

    def _find_joined(self, texts: list[str]) -> _Reach:
        starts: list[int] = []
        ends: list[int] = []
        weights: list[float] = []
        # Only the skeletons: a sound code of the joined text would go unused.
        for skel in joined_skeletons(texts):
            tids = self._keys.get(f"s:{skel}", ())
            if len(tids) > _MAX_JOINED_TOKENS:
                continue
            for tid in tids:
                if self._df[tid] <= self.common_cap:
                    starts.append(self._starts[tid])
                    ends.append(self._starts[tid + 1])
                    weights.append(self._idf[tid] * _SKELETON)
        return _Reach(starts, ends, weights, [], 0.0)

    def _pieces(self, text: str, depth: int = 2) -> list[int]:
        """Vocabulary tokens a glued word is made of (RAMIMAKHLOUF: RAMI, MAKHLOUF; BLACKROCK:
        BLACK, ROCK; VANDERBILT: VAN, DER, BILT), the scorer then joining the listed parts
        again. Only words unknown to the vocabulary, cut into two or three known words; the
        pieces that retrieve are those of three letters or more that are not particles."""
        out: list[int] = []
        for cut in range(2, len(text) - 1):
            head = self.vocab.get(text[:cut])
            if head is None:
                continue
            tail = self.vocab.get(text[cut:])
            if tail is not None:
                found = [head, tail]
            elif depth > 1 and len(text) - cut >= 4:
                rest = self._pieces(text[cut:], depth - 1)
                found = [head, *rest] if rest else []
            else:
                found = []
            retrieving = [
                tid
                for tid in found
                if not self.infos[tid].particle and len(self.infos[tid].text) >= _MIN_PIECE
            ]
            out += retrieving
        return out

    def candidates(
        self,
        parts: Sequence[NamePart],
        limit: int = 200,
        prefer: Callable[[npt.NDArray[np.int32]], npt.NDArray[np.float64]] | None = None,
    ) -> Candidates:
        """Names sharing rare-enough evidence with the query, best first (stage 1).

        `prefer` chooses among names of equal weight at the cut (homonyms: a million entries
        hold hundreds of JOHN SMITHs), higher first; the matcher passes what the query's facts
        could add to each name's entry, so that the JOHN SMITH born the traveller's year is
        kept. Without it, or among equals still, a fixed pseudo-random order decides.
        """
        starts: list[int] = []
        ends: list[int] = []
        weights: list[float] = []  # one per posting slice
        pair_starts: list[int] = []  # slices of the pair index, summed after the others
        pair_ends: list[int] = []
        pair_weights: list[float] = []
        common: list[tuple[int, int, float]] = []  # (query part, tid, weight)
        query_weight = 0.0
        for position, part in enumerate(parts):
            if part.info.particle:
                continue
            role = 1.3 if part.role == "family" else 1.0
            reach = self._token_reach(part.info)
            starts += reach.starts
            ends += reach.ends
            weights += [w * role for w in reach.weights] if role != 1.0 else reach.weights
            common += [(position, tid, w * role) for tid, w in reach.common]
            query_weight += reach.best * role
        # Parts written apart on one side and as one word on the other (ABD AL LAH, ABDULLAH),
        # which no single part retrieves: look the joined neighbours up by their skeleton.
        texts = [p.info.text for p in parts]
        for size in (2, 3):
            for first in range(len(parts) - size + 1):
                reach = self._joined_reach(texts[first : first + size])
                starts += reach.starts
                ends += reach.ends
                weights += reach.weights
        if len(common) > 1 and len(self._pair_keys):
            width = len(self.infos)
            keys: list[int] = []
            sums: list[float] = []
            for i, (pos_a, tid_a, w_a) in enumerate(common):
                for pos_b, tid_b, w_b in common[i + 1 :]:
                    if pos_a != pos_b:
                        keys.append(min(tid_a, tid_b) * width + max(tid_a, tid_b))
                        sums.append(w_a + w_b)
            # All pairs looked up at once: common names come in several spellings, and their
            # pairs multiply (MOHAMMED, MOHAMMAD, MUHAMMAD with ALI, ALY: six).
            wanted = np.array(keys, dtype=np.int64)
            lows = np.searchsorted(self._pair_keys, wanted, "left").tolist()
            highs = np.searchsorted(self._pair_keys, wanted, "right").tolist()
            for low, high, weight in zip(lows, highs, sums, strict=True):
                if high > low:
                    pair_starts.append(low)
                    pair_ends.append(high)
                    pair_weights.append(weight)
        if not starts and not pair_starts:
            return Candidates(np.zeros(0, dtype=np.int32), np.zeros(0), query_weight)
        unique, totals, above = sum_top(
            self._postings,
            (starts, ends, weights),
            self._pair_names,
            (pair_starts, pair_ends, pair_weights),
            limit,
        )
        # The `limit` best, best first. Names tied at the cut share the same evidence:
        # preferred first, then in a fixed pseudo-random order that depends neither on the
        # order the postings were gathered in nor on where the names stand in their list;
        # equal sums in that order too (the caller breaks the ties it cares about).
        bounds = prefer(unique[above:]) if prefer is not None and len(unique) > limit else None
        return Candidates(*choose(unique, totals, above, bounds, limit), query_weight)

    def documents(self, number: str) -> list[tuple[int, str]]:
        """Subjects holding this document number: exactly, OCR-confused, or one edit apart."""
        folded = fold_document(number)
        if len(folded) < 4:
            return []
        found: dict[int, str] = {}
        for subject_no in self._doc_exact.get(folded, ()):
            found[subject_no] = "exact"
        for subject_no in self._doc_ocr.get(ocr_fold(folded), ()):
            found.setdefault(subject_no, "ocr")
        if len(folded) >= 6 and len(self._doc_near_keys):
            probe = {_hash(d) for d in _deletes(ocr_fold(folded))}
            probe.add(_hash(ocr_fold(folded)))
            keys = np.fromiter(probe, dtype=np.int64)
            starts = np.searchsorted(self._doc_near_keys, keys, "left")
            ends = np.searchsorted(self._doc_near_keys, keys, "right")
            for start, end in zip(starts, ends, strict=True):
                for subject_no in self._doc_near_subjects[start:end]:
                    found.setdefault(int(subject_no), "near")
        return list(found.items())

    def rarity(self, text: str) -> float:
        tid = self.vocab.get(text)
        return self._idf[tid] if tid is not None else math.log1p(len(self.name_text))
