"""What the matcher knows about one name token, and how two tokens compare.

A token is compared by the strongest evidence it shares with another: the same letters, the same
ICAO fold, the same sound (Double Metaphone), the same consonant skeleton (which absorbs vowel
and transliteration drift: MUAMMAR/MOAMAR, QADDAFI/KADHAFI), an initial, or a small typo. Each
method has a fixed score so that an explanation can say why two tokens were taken as equal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from metaphone import doublemetaphone
from rapidfuzz.distance import JaroWinkler, Levenshtein

from firstline.screening.memo import remember
from firstline.screening.normalize import PARTICLES

# Method scores. Exact and ICAO fold are certain; the sound and skeleton keys are strong but
# can pair different names (ALI/ELI), a one-letter typo is as strong as a sound match.
EXACT = 1.0
FOLD = 0.98
PREFIX = 0.95  # a truncated MRZ name: the listed token starts with the cut query token
TYPO1 = 0.9
TYPO_SHORT = 0.78  # one letter apart in a four-letter name
PHONETIC = 0.88
SKELETON = 0.86
INITIAL = 0.9  # weighted down separately: an initial says little
NICKNAME = 0.85  # a short form of the same given name (BILL for WILLIAM)
ABJAD = 0.8  # the same consonants, one side written without vowels (romanised Arabic)
# Below this a pair is not a match of the same name part at all.
MIN_TOKEN_SCORE = 0.6

# Transliteration digraphs folded before the skeleton is taken: SH/SCH/SZ, KH/CH, ZH/J ...
_DIGRAPHS = [
    ("shch", "s"), ("tsch", "c"), ("sch", "s"), ("tch", "c"), ("ch", "c"), ("sh", "s"),
    ("sz", "s"), ("kh", "k"), ("gh", "g"), ("th", "t"), ("dh", "d"), ("zh", "j"), ("dj", "j"),
    ("dzh", "j"), ("ph", "f"), ("ck", "k"), ("ts", "c"), ("tz", "c"),
]  # fmt: skip
_LETTERS = str.maketrans({"q": "k", "w": "v", "x": "ks", "z": "s", "c": "k"})
# Letters folded and vowels dropped in one pass (no folded letter is a vowel).
_SKELETON_LETTERS = _LETTERS | str.maketrans("", "", "aeiouy")
_DOUBLES = re.compile(r"(.)\1+")


@lru_cache(maxsize=500_000)
def skeleton(token: str) -> str:
    """Consonant skeleton: digraphs folded, vowels dropped, doubled letters collapsed."""
    text = token
    for digraph, repl in _DIGRAPHS:
        if digraph in text:
            text = text.replace(digraph, repl)
    # Arabic romanisations write the same vowel as a, e, i, o, u or nothing at all.
    text = text.translate(_SKELETON_LETTERS)
    # Looking costs a fifth of substituting, and most skeletons have no doubled letter (the
    # joined spellings stage 1 makes of every traveller's name are new strings each time).
    return _DOUBLES.sub(r"\1", text) if _DOUBLES.search(text) else text


# Letters a digraph holds: where two words meet at another letter, no digraph can span the
# join, so the skeleton of the joined word is made of the words' own skeletons.
_DIGRAPH_LETTERS = frozenset("".join(d for d, _ in _DIGRAPHS))


def joined_skeleton(texts: Sequence[str]) -> str:
    """`skeleton("".join(texts))`, from the words' own (cached) skeletons where they meet at a
    letter no digraph holds: stage 1 looks up adjacent parts of every traveller's name written
    as one word, new strings each time."""
    skel = skeleton(texts[0])
    for before, text in pairwise(texts):
        if before[-1:] in _DIGRAPH_LETTERS and text[:1] in _DIGRAPH_LETTERS:
            return skeleton("".join(texts))  # SH in AS|HRAF: worked out whole
        nxt = skeleton(text)
        # Doubled letters collapse across the join too (MUHAMMAD|DIN).
        skel = skel + nxt[1:] if skel and nxt and skel[-1] == nxt[0] else skel + nxt
    return skel


# Short forms of given names that share no letters, sound or consonants with the full form
# (BILL/WILLIAM, BIBI/BENJAMIN, SASHA/ALEXANDER), and the same name in other languages
# (JOHN/JUAN/GIOVANNI, PETER/PEDRO/PIOTR): spelling methods cannot pair them. A form may belong
# to several names (TED: EDWARD and THEODORE).
_NICKNAMES = {
    "william": "bill will willy billy liam guillermo guillaume wilhelm",
    "robert": "bob bobby rob robbie bert roberto",
    "richard": "dick rick ricky rich ricardo riccardo",
    "james": "jim jimmy jamie",
    "michael": "mike mick mikey miguel michel michele",
    "thomas": "tom tommy tomas tomasz",
    "anthony": "tony antonio antoine anton",
    "benjamin": "ben benny bibi",
    "alexander": "alex sasha sacha sandy aleksandr oleksandr alejandro alessandro",
    "elizabeth": "liz beth betty lisa eliza isabel",
    "katherine": "kate kathy katie catherine",
    "margaret": "maggie peggy meg",
    "edward": "ed eddie ted ned eduardo edouard",
    "theodore": "ted teddy theo fyodor teodoro",
    "charles": "charlie chuck carlos carlo karl",
    "joseph": "joe joey jose giuseppe josef",
    "jose": "pepe",
    "john": "jon johnny jack juan jean giovanni johann joao",
    "peter": "pete pedro pierre pietro piotr pyotr petr",
    "paul": "pablo paolo pavel",
    "stephen": "steve steven stefan esteban stepan etienne",
    "george": "jorge giorgio georg",
    "andrew": "andy andre andres andrei andrey",
    "henry": "harry enrique henri heinrich enrico",
    "mary": "maria marie",
    "francisco": "paco pancho",
    "ignacio": "nacho",
    "jesus": "chuy",
    "dmitri": "dima dmitriy dmitry",
    "vladimir": "vova volodya",
    "ivan": "vanya",
    "nikolai": "kolya",
    "mikhail": "misha",
    "yekaterina": "katya ekaterina",
    "johannes": "hans",
    "giuseppe": "beppe peppe",
}
_FORMS: dict[str, list[str]] = {}
for _full, _shorts in _NICKNAMES.items():
    for _form in (_full, *_shorts.split()):
        _FORMS.setdefault(_form, [])
        if _full not in _FORMS[_form]:
            _FORMS[_form].append(_full)
CANONICAL: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _FORMS.items()}


def canonical(text: str) -> tuple[str, ...]:
    """The full given names a token is a form of, when the nickname table knows it."""
    return CANONICAL.get(text, ())


@dataclass(frozen=True, slots=True)
class TokenInfo:
    text: str
    icao: str
    phonetic: tuple[str, ...]
    skeletons: tuple[str, ...]
    particle: bool
    initial: bool
    numeric: bool
    abjad: bool  # no vowel at all: a romanised abjad (Arabic, Hebrew) spelling
    # No A, E, I, O or U: romanised Arabic writes its long vowels ي and و as Y and W (HSYN for
    # HUSSEIN, DWRY for DURI), so those count as consonants here.
    unvowelled: bool
    consonants: str | None  # as an abjad writes them (`_consonants`), two or more

    # Everything else is derived from the two spellings: hashing them alone keeps the cached
    # name comparisons (keyed by tuples of parts) cheap.
    def __hash__(self) -> int:
        return hash((self.text, self.icao))


# Vowels, W and Y dropped, letters folded as for the skeleton, digraphs left apart: TH, KH and
# SH are two letters in a letter-by-letter romanisation (THR for TAHIR).
_NO_VOWELS = _LETTERS | str.maketrans("", "", "aeiouwy")


def _consonants(text: str) -> str | None:
    key = text.translate(_NO_VOWELS)
    if _DOUBLES.search(key):
        key = _DOUBLES.sub(r"\1", key)
    return key if len(key) >= 2 else None


@lru_cache(maxsize=500_000)
def skeletons(text: str) -> tuple[str, ...]:
    """The consonant skeletons a token is indexed under: its own (two letters or more) and,
    for "altikriti" ("al tikriti" written as one word), the article-free one too."""
    return _skeletons([text], skeleton(text))


def joined_skeletons(texts: Sequence[str]) -> tuple[str, ...]:
    """`skeletons("".join(texts))`, made of the words' own skeletons (`joined_skeleton`)."""
    return _skeletons(texts, joined_skeleton(texts))


def _skeletons(texts: Sequence[str], skel: str) -> tuple[str, ...]:
    found = [skel] if len(skel) >= 2 else []
    joined = "".join(texts)
    if joined[:2] in ("al", "el", "ul") and len(joined) > 4:
        # The words after the article's two letters.
        rest, drop = list(texts), 2
        while drop:
            if len(rest[0]) <= drop:
                drop -= len(rest.pop(0))
            else:
                rest[0], drop = rest[0][drop:], 0
        bare = joined_skeleton(rest)
        if len(bare) >= 2 and bare not in found:
            found.append(bare)
    return tuple(found)


@lru_cache(maxsize=500_000)
def token_info(text: str, icao: str | None = None) -> TokenInfo:
    icao = icao or text
    codes = tuple(dict.fromkeys(c for c in doublemetaphone(text) if c))
    abjad = len(text) >= 2 and not any(v in text for v in "aeiouy")
    return TokenInfo(
        text=text,
        icao=icao,
        phonetic=codes,
        skeletons=skeletons(text),
        particle=text in PARTICLES,
        initial=len(text) == 1,
        numeric=text.isdigit(),
        abjad=abjad and not text.isdigit(),
        unvowelled=len(text) >= 2 and not any(v in text for v in "aeiou") and not text.isdigit(),
        consonants=_consonants(text),
    )


_COMPARED_SIZE = 1_000_000
_compared: dict[tuple[str, str, str, str], tuple[float, str]] = {}


def compared_tokens() -> dict[tuple[str, str, str, str], tuple[float, str]]:
    """`compare`'s cache, keyed by (query text, query ICAO, listed text, listed ICAO), for a
    caller that compares many pairs to read before calling."""
    return _compared


def compare(query: TokenInfo, listed: TokenInfo) -> tuple[float, str]:
    """Similarity of two tokens in [0, 1] and the name of the method that found it."""
    # Remembered by the two spellings: all the rest is derived from them.
    key = (query.text, query.icao, listed.text, listed.icao)
    return remember(_compared, _COMPARED_SIZE, key, _similarity, query, listed)


def _similarity(query: TokenInfo, listed: TokenInfo) -> tuple[float, str]:
    if query.text == listed.text:
        return EXACT, "exact"
    if query.icao == listed.icao or query.icao == listed.text or query.text == listed.icao:
        return FOLD, "ICAO spelling"
    if query.numeric or listed.numeric:
        return 0.0, "different number"
    if query.initial or listed.initial:
        if query.text[0] == listed.text[0]:
            return INITIAL, "initial"
        return 0.0, "different initial"
    best, method = 0.0, "different"
    full_distance = Levenshtein.distance(query.text, listed.text)
    distance = min(full_distance, 3)
    shortest = min(len(query.text), len(listed.text))
    longest = max(len(query.text), len(listed.text))
    # One letter in a short name is another name (YANG/GANG, HANG/HONG): from five letters on
    # it is a typo; at four only with the same first letter, and weaker.
    if distance == 1 and (shortest >= 5 or (shortest == 4 and query.text[0] == listed.text[0])):
        best, method = (TYPO1 if shortest >= 5 else TYPO_SHORT), "one letter apart"
    # A shared sound code alone pairs JOHN with JANE or WEBER with JABBER: the spelling must
    # stay close too.
    if (
        best < PHONETIC
        and shortest >= 3
        and full_distance <= (1 if shortest <= 4 else max(2, shortest // 2))
        and not set(query.phonetic).isdisjoint(listed.phonetic)
    ):
        # Short names sharing a sound (KIM/GIM, HANG/HONG) may be variants or other names.
        best, method = (PHONETIC if shortest > 4 else max(best, TYPO_SHORT)), "same sound"
    # Two-consonant skeletons (LS for LOUIS and ELOISE) pair too many different names, unless
    # one side is itself written without vowels, as romanised Arabic is (GL for GUL); and a
    # skeleton shared by words of very different length (AYAKANEKO, KNIC) is a coincidence.
    abjad = query.abjad or listed.abjad
    if (
        best < SKELETON
        and (abjad or shortest / longest >= 0.6)
        and any(
            len(k) >= 3 or (len(k) == 2 and abjad)
            for k in set(query.skeletons).intersection(listed.skeletons)
        )
    ):
        best, method = SKELETON, "same consonants"
    if (
        best < ABJAD
        and (query.unvowelled or listed.unvowelled)
        and query.consonants is not None
        and query.consonants == listed.consonants
        # And the same first letter once a written vowel is set aside (SYF/SAIF, BD/ABD; not
        # SHHY/YSHW, both SH).
        and query.text.lstrip("aeiou")[:1] == listed.text.lstrip("aeiou")[:1]
    ):
        # A name written without its vowels (Arabic script, romanised letter by letter)
        # against one written with them: the consonants alone.
        best, method = ABJAD, "same consonants"
    if best < NICKNAME:
        forms = canonical(query.text)
        if forms and not set(forms).isdisjoint(canonical(listed.text)):
            best, method = NICKNAME, "nickname"
    if best == 0.0:
        # Transliteration drift: a Jaro-Winkler similarity scaled so that only close
        # spellings clear MIN_TOKEN_SCORE (JW 0.9 → 0.765, JW 0.8 → 0.64).
        similarity = JaroWinkler.normalized_similarity(query.text, listed.text)
        if distance == 2 and shortest >= 6:
            similarity = max(similarity, 0.92)
        # Short names are close by Jaro-Winkler whatever their letters: scaled harder.
        best = similarity * (0.85 if shortest >= 5 else 0.7)
        method = "similar spelling" if best >= MIN_TOKEN_SCORE else "different"
    return best, method
