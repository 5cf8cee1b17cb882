"""Stage 1 candidate index (MATCHING.md §3.2): name keys, common tokens, documents."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from firstline.model.watchlist import EntrySchema, ListedName, ListEntry
from firstline.screening.index import CandidateIndex
from firstline.screening.names import name_parts, with_roles
from firstline.screening.normalize import normalize
from firstline.screening.tokens import TokenInfo, token_info

EntryFactory = Callable[..., ListEntry]  # the `make_entry` fixture (conftest.py)
# The shared real list files, as tests/watchlists/conftest.py finds them.
WATCHLISTS = Path(
    os.environ.get("FIRSTLINE_WATCHLISTS") or Path(__file__).parents[3] / "shared" / "watchlists"
)


def build(*entries: ListEntry, common_cap: int = 5000) -> CandidateIndex:
    return CandidateIndex.build(
        ((100 + i, 7, e) for i, e in enumerate(entries)), common_cap=common_cap
    )


def found(index: CandidateIndex, query: str, limit: int = 200) -> list[str]:
    """Source ids of the entries whose names the query retrieves, best first."""
    ids, _weights, _ = index.candidates(name_parts(normalize(query)), limit=limit)
    out: list[str] = []
    for name_no in ids:
        source_id = index.subjects[index.name_subject[int(name_no)]].source_id
        if source_id not in out:
            out.append(source_id)
    return out


@pytest.fixture
def index(make_entry: EntryFactory) -> CandidateIndex:
    return build(
        make_entry("QAD", "Muammar Qaddafi"),
        make_entry("MUL", "Jürgen Müller"),
        make_entry("KAS", "Tobin Kastelbrunner"),
        make_entry("CAT", "Catherine Velkor"),
        make_entry("OLA", "Olaf Scholz"),
        make_entry("ZAN", "Omar bin Zandari"),
    )


# -- build ---------------------------------------------------------------------------------


def test_subjects_keep_caller_keys(index: CandidateIndex) -> None:
    assert [s.key for s in index.subjects] == [100, 101, 102, 103, 104, 105]
    assert all(s.list_key == 7 for s in index.subjects)


def test_duplicate_names_of_an_entry_are_indexed_once(make_entry: EntryFactory) -> None:
    idx = build(make_entry("DUP", "Darius Velkor", "DARIUS VELKOR", "Velkor, Darius"))
    # "Velkor, Darius" has other token order, so it is a second name.
    assert idx.stats.names == 2


# -- name retrieval --------------------------------------------------------------------------


def test_exact_name_is_found(index: CandidateIndex) -> None:
    assert found(index, "Muammar Qaddafi") == ["QAD"]


def test_one_exact_token_is_enough(index: CandidateIndex) -> None:
    assert found(index, "Kastelbrunner") == ["KAS"]


def test_diacritics_stripped_query_finds_listed_umlaut(index: CandidateIndex) -> None:
    assert found(index, "Jurgen Muller") == ["MUL"]


def test_icao_spelled_query_finds_listed_umlaut(index: CandidateIndex) -> None:
    assert found(index, "JUERGEN MUELLER") == ["MUL"]


def test_umlaut_query_finds_icao_spelled_listed_name(make_entry: EntryFactory) -> None:
    idx = build(make_entry("MUE", "Mueller"))
    assert found(idx, "Müller") == ["MUE"]


def test_icao_spelled_short_token_finds_listed_slashed_o(make_entry: EntryFactory) -> None:
    idx = build(make_entry("VOE", "Vøe"))
    assert found(idx, "Voee") == ["VOE"]


def test_icao_spelled_query_reaches_listed_token_at_fold_strength(index: CandidateIndex) -> None:
    variants = index.variants(token_info("mueller"))
    assert variants[index.vocab["muller"]] >= 0.95


def test_phonetic_variant_is_found(index: CandidateIndex) -> None:
    assert found(index, "Kathryn") == ["CAT"]


def test_transliteration_variant_is_found(index: CandidateIndex) -> None:
    assert found(index, "Moamar Kadhafi") == ["QAD"]


def test_skeleton_variant_is_found(make_entry: EntryFactory) -> None:
    idx = build(make_entry("TIK", "Saddam Hussein altikriti"))
    assert found(idx, "Tikriti") == ["TIK"]


def test_one_letter_typo_is_found(index: CandidateIndex) -> None:
    assert found(index, "Kastelbrumner") == ["KAS"]


def test_two_letter_typo_in_long_token_found_by_deletion_neighbourhood(
    index: CandidateIndex,
) -> None:
    query = token_info("kasteblrunner")  # "lb" swapped: sound and skeleton both differ
    listed = index.infos[index.vocab["kastelbrunner"]]
    assert not set(query.phonetic) & set(listed.phonetic)
    assert not set(query.skeletons) & set(listed.skeletons)
    assert found(index, "Kasteblrunner") == ["KAS"]


def test_unrelated_name_finds_nothing(index: CandidateIndex) -> None:
    assert found(index, "Ysolde Pirwitz") == []


def test_particles_never_retrieve(index: CandidateIndex) -> None:
    assert found(index, "bin") == []


def test_rarer_shared_token_ranks_higher(make_entry: EntryFactory) -> None:
    idx = build(
        make_entry("RARE", "Ysolde Tavani"),
        make_entry("C1", "Darius Ombry"),
        make_entry("C2", "Amira Ombry"),
        make_entry("C3", "Tobin Ombry"),
    )
    assert found(idx, "Ysolde Ombry")[0] == "RARE"


def test_family_role_weighs_more_in_retrieval(make_entry: EntryFactory) -> None:
    idx = build(make_entry("A", "Darius Ombry"), make_entry("B", "Tavi Velkor"))
    parts = with_roles(normalize("Velkor"), normalize("Darius"))
    ids = idx.candidates(parts).names
    assert idx.subjects[idx.name_subject[int(ids[0])]].source_id == "B"


def test_limit_is_respected(make_entry: EntryFactory) -> None:
    idx = build(*(make_entry(f"V{i}", f"Velkor Name{chr(97 + i)}x") for i in range(8)))
    ids, weights, _ = idx.candidates(name_parts(normalize("Velkor")), limit=3)
    assert len(ids) == 3 and len(weights) == 3
    assert list(weights) == sorted(weights, reverse=True)


# -- common tokens and the pair index ----------------------------------------------------------


@pytest.fixture
def common_index(make_entry: EntryFactory) -> CandidateIndex:
    # "mohammed" and "ali" are in 5 names each: above common_cap=2.
    return build(
        make_entry("MA1", "Mohammed Ali Zandari"),
        make_entry("MA2", "Mohammed Ali Tavani"),
        make_entry("MA3", "Mohammed Ali"),
        make_entry("MK", "Mohammed Karimi"),
        make_entry("MO", "Mohammed Ombry"),
        make_entry("AH", "Ali Hosseini"),
        make_entry("AV", "Ali Velkor"),
        common_cap=2,
    )


def test_common_tokens_are_counted(common_index: CandidateIndex) -> None:
    assert common_index.df[common_index.vocab["mohammed"]] == 5
    assert common_index.df[common_index.vocab["ali"]] == 5
    assert common_index.stats.pair_postings > 0


def test_common_token_alone_retrieves_nothing(common_index: CandidateIndex) -> None:
    assert found(common_index, "Mohammed") == []
    assert found(common_index, "Ali") == []


def test_two_common_tokens_retrieve_through_the_pair_index(common_index: CandidateIndex) -> None:
    assert sorted(found(common_index, "Mohammed Ali")) == ["MA1", "MA2", "MA3"]


def test_pair_index_is_order_free(common_index: CandidateIndex) -> None:
    assert sorted(found(common_index, "Ali Mohammed")) == ["MA1", "MA2", "MA3"]


def test_pair_index_accepts_variants_of_common_tokens(common_index: CandidateIndex) -> None:
    assert sorted(found(common_index, "Muhammad Ali")) == ["MA1", "MA2", "MA3"]


def test_rare_token_still_retrieves_beside_a_common_one(common_index: CandidateIndex) -> None:
    assert found(common_index, "Mohammed Karimi") == ["MK"]


# -- documents ---------------------------------------------------------------------------------


@pytest.fixture
def doc_index(make_entry: EntryFactory) -> CandidateIndex:
    return build(
        make_entry("SCH", "Olaf Scholz", documents=[("C01X00T47", "DEU")]),
        make_entry("SHORT", "Tobin Velkor", documents=[("A12", "FRA")]),
        make_entry("FOUR", "Amira Tavani", documents=[("ZK42", None)]),
    )


def test_exact_document_number(doc_index: CandidateIndex) -> None:
    assert doc_index.documents("C01X00T47") == [(0, "exact")]


def test_document_number_is_folded_before_lookup(doc_index: CandidateIndex) -> None:
    assert doc_index.documents(" c01x-00t 47 ") == [(0, "exact")]


def test_ocr_confused_document_number(doc_index: CandidateIndex) -> None:
    assert doc_index.documents("CO1XOOT47") == [(0, "ocr")]


def test_document_number_one_character_apart(doc_index: CandidateIndex) -> None:
    assert doc_index.documents("C01X00T48") == [(0, "near")]
    assert doc_index.documents("C01X00T4") == [(0, "near")]
    assert doc_index.documents("C01X00T471") == [(0, "near")]


def test_document_number_two_characters_apart_is_not_found(doc_index: CandidateIndex) -> None:
    assert doc_index.documents("C01X99T47") == []


def test_other_document_number_is_not_found(doc_index: CandidateIndex) -> None:
    assert doc_index.documents("ZZ9988776") == []


def test_short_document_numbers_are_ignored(doc_index: CandidateIndex) -> None:
    assert doc_index.documents("A12") == []
    assert doc_index.subjects[1].documents == ()


def test_four_character_document_number_matches_exactly_only(doc_index: CandidateIndex) -> None:
    assert doc_index.documents("ZK42") == [(2, "exact")]
    assert doc_index.documents("ZK43") == []


def test_subject_keeps_folded_number_and_country(doc_index: CandidateIndex) -> None:
    assert doc_index.subjects[0].documents == (("C01X00T47", "DEU"),)


# -- glued words -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("glued", "listed"),
    [("Ramimakhlouf", "Rami Makhlouf"), ("blackrock inc", "BlackRock, Inc."),
     ("Goodwill Company", "Good Will Company")],
)  # fmt: skip
def test_a_glued_word_finds_the_name_written_apart(
    make_entry: EntryFactory, glued: str, listed: str
) -> None:
    index = build(make_entry("GLU", listed), make_entry("OTH", "Omar bin Zandari"))
    assert found(index, glued) == ["GLU"]


def test_a_glued_word_with_particles_retrieves_by_its_name(make_entry: EntryFactory) -> None:
    index = build(make_entry("VDB", "Van der Bilt"), make_entry("OTH", "Omar bin Zandari"))
    assert found(index, "Vanderbilt") == ["VDB"]


def test_a_word_cut_only_into_particles_finds_nothing(make_entry: EntryFactory) -> None:
    # Particles never retrieve, not even as the pieces of a glued word.
    index = build(make_entry("VDL", "Van der Linde"))
    assert found(index, "Vander") == []


def test_a_known_word_is_not_cut(make_entry: EntryFactory) -> None:
    index = build(make_entry("ROC", "Black Rock"), make_entry("BLR", "Blackrock Holdings"))
    assert found(index, "Blackrock") == ["BLR"]


_SEED_SCRIPT = """
import csv, hashlib, sys
from firstline.model.watchlist import EntrySchema, ListedName, ListEntry
from firstline.screening.index import CandidateIndex
from firstline.screening.names import name_parts
from firstline.screening.normalize import normalize
with open(sys.argv[1], encoding="utf-8") as handle:
    names = [row["full_name"] for row in csv.DictReader(handle)][:24000]
entries = [
    ListEntry(source_id=str(n), schema=EntrySchema.PERSON, names=[ListedName(name)])
    for n, name in enumerate(names[:20000])
]
index = CandidateIndex.build((n, 0, entry) for n, entry in enumerate(entries))
digest = hashlib.sha1()
for name in names[20000:]:
    found = index.candidates(name_parts(normalize(name)), limit=20)
    digest.update(found.names.tobytes())
    digest.update(found.weights.tobytes())
print(digest.hexdigest())
"""


def test_candidates_are_the_same_whatever_the_hash_seed() -> None:
    """Python hashes strings with a seed drawn per process: the order a set gives its keys
    in changes from one run to the next. Stage 1 must not depend on it (which variants are
    kept, the order of floating-point sums), or the same traveller could be alerted in one
    worker and not in another."""
    negatives = WATCHLISTS / "benchmarks" / "yente_negatives_global.csv"
    digests = {
        subprocess.run(
            [sys.executable, "-c", _SEED_SCRIPT, str(negatives)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def _all_variants(index: CandidateIndex, info: TokenInfo) -> dict[int, float]:
    """`variants` the plain way: every key's every token, strongest kept, then the cap."""
    found: dict[int, float] = {}

    def offer(tid: int, strength: float) -> None:
        found[tid] = max(found.get(tid, 0.0), strength)

    for text, strength in ((info.text, 1.0), (info.icao, 0.95)):
        if text in index.vocab:
            offer(index.vocab[text], strength)
    for tid in index._keys.get(f"t:{info.text}", ()):
        offer(tid, 0.95)
    strengths = {"m": 0.75, "s": 0.7, "t": 0.95, "d": 0.8, "p": 0.6, "n": 0.75}
    for key in index._token_keys(info, query=True):
        tids = index._keys.get(key, ())
        if len(tids) <= 300:
            for tid in tids:
                offer(tid, strengths[key[0]])
    if info.text not in index.vocab and len(info.text) >= 6:
        for tid in index._pieces(info.text):
            offer(tid, 0.9)
    ranked = sorted(found.items(), key=lambda item: (-item[1], index._df[item[0]], item[0]))
    return dict(ranked[:12])


@pytest.fixture(scope="module")
def negatives() -> list[str]:
    path = WATCHLISTS / "benchmarks" / "yente_negatives_global.csv"
    with path.open(encoding="utf-8") as handle:
        return [row["full_name"] for row in csv.DictReader(handle)]


def test_variants_read_only_what_they_keep_and_keep_the_same(negatives: list[str]) -> None:
    """`variants` stops reading a key once it holds as many tokens as it may keep (keys hold
    their tokens rarest first): it must keep what reading every token would."""
    index = CandidateIndex.build(
        (n, 0, ListEntry(source_id=str(n), schema=EntrySchema.PERSON, names=[ListedName(name)]))
        for n, name in enumerate(negatives[:20000])
    )
    tokens = {p.info for name in negatives[20000:30000] for p in name_parts(normalize(name))}
    capped = 0
    for info in tokens:
        expected = _all_variants(index, info)
        assert index.variants(info) == expected, info.text
        capped += len(expected) == 12
    assert len(tokens) > 5000 and capped > 1000  # the cap was at work, not only small sets


def test_stored_reach_is_what_a_query_token_would_find(negatives: list[str]) -> None:
    """Each vocabulary token's reach is stored at build time (flat arrays): it must be what
    stage 1 would work out for that token as a query, and only for that token."""
    index = CandidateIndex.build(
        (n, 0, ListEntry(source_id=str(n), schema=EntrySchema.PERSON, names=[ListedName(name)]))
        for n, name in enumerate(negatives[:5000])
    )
    for info in index.infos:
        stored = index._stored_reach(info)
        found = index._find_reach(info)
        assert stored is not None
        assert (stored.starts, stored.ends, stored.weights, stored.common, stored.best) == (
            found.starts,
            found.ends,
            found.weights,
            found.common,
            found.best,
        ), info.text
    other_fold = token_info(index.infos[0].text, index.infos[0].text + "x")
    assert index._stored_reach(other_fold) is None
    assert index._stored_reach(token_info("zzqxv")) is None
