"""Name normalisation, identical at index time and at query time.

A name becomes a list of lowercase ASCII tokens. The rules come from how names really reach a
border: airlines write them in ICAO 9303 style (A-Z only, Ü as UE, Cyrillic by the ICAO table,
Arabic by each issuing State's habits), lists write them with diacritics or in the original
script. So every token keeps two Latin forms when they differ (diacritics stripped and ICAO
folded), and non-Latin scripts are romanised here, the token-level comparison (phonetic codes,
consonant skeletons, typo distance) absorbing the remaining scheme differences.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

# ICAO 9303 Part 3 table for Latin letters that do not just lose a diacritic.
_ICAO_LATIN = {
    "ä": "ae",
    "å": "aa",
    "ö": "oe",
    "ø": "oe",
    "ü": "ue",
    "ß": "ss",
    "þ": "th",
    "æ": "ae",
    "œ": "oe",
    "ĳ": "ij",
    "đ": "d",
    "ł": "l",
    "ı": "i",
}
# Letters NFKD does not decompose, for the diacritics-stripped form.
_STRIP_LATIN = {"ø": "o", "ß": "ss", "þ": "th", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "ı": "i"}

# ICAO 9303 (2013) Cyrillic transliteration, as Russian and Ukrainian passports print it.
_ICAO_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "і": "i",
    "ї": "i", "є": "ie", "ґ": "g", "ў": "u",
}  # fmt: skip

# Honorifics and titles, including those airlines append to the given name (JOHN MR).
TITLES = frozenset(
    """mr mrs ms miss mstr master mx dr prof sir dame lord lady rev fr sr sra srta mme mlle
    herr frau hr sheikh shaikh sheik shaykh mullah mulla maulana maulvi smt chd inf
    president praesident prasident presidente general gen colonel col major maj captain capt
    minister ambassador senator governor judge king queen prince princess emir""".split()
)
# Legal forms and joining words of organisation names: kept, but weighted like particles, and
# abbreviations written out so that LTD meets LIMITED and CORP meets CORPORATION.
ORG_WORDS = frozenset(
    """limited llc inc incorporated corporation company ag sa gmbh plc jsc ojsc oao ooo pjsc
    cjsc zao pao bv nv spa srl sarl kg oy ab sp zoo spzoo ltda sas llp lp group holding holdings
    the of and for und et""".split()
)
# Legal forms written out, in several languages, and their abbreviations: each becomes one
# token (SIEMENS AKTIENGESELLSCHAFT meets SIEMENS AG, OAO GAZPROM meets GAZPROM JSC). Russian
# open, closed and public joint-stock companies are all JSC here: lists and registers disagree on
# which one a company is, and the form says little about identity. ZAO and PAO stay as they are:
# they are also Chinese family names.
_LEGAL_FORMS: dict[tuple[str, ...], str] = {
    ("aktiengesellschaft",): "ag",
    ("kommanditgesellschaft",): "kg",
    ("gesellschaft", "mit", "beschrankter", "haftung"): "gmbh",
    ("joint", "stock", "company"): "jsc",
    ("open", "joint", "stock", "company"): "jsc",
    ("closed", "joint", "stock", "company"): "jsc",
    ("public", "joint", "stock", "company"): "jsc",
    ("ojsc",): "jsc",
    ("pjsc",): "jsc",
    ("cjsc",): "jsc",
    ("oao",): "jsc",
    ("limited", "liability", "company"): "llc",
    ("ooo",): "llc",
    ("limited", "liability", "partnership"): "llp",
    ("limited", "partnership"): "lp",
    ("public", "limited", "company"): "plc",
    ("incorporated",): "inc",
    ("societatea", "cu", "raspundere", "limitata"): "srl",
    ("societa", "a", "responsabilita", "limitata"): "srl",
    ("societa", "per", "azioni"): "spa",
    ("sp", "z", "oo"): "spzoo",
    ("spolka", "z", "ograniczona", "odpowiedzialnoscia"): "spzoo",
    ("societe", "anonyme"): "sa",
    ("sociedad", "anonima"): "sa",
    ("besloten", "vennootschap"): "bv",
    ("naamloze", "vennootschap"): "nv",
}
_LONGEST_FORM = max(len(k) for k in _LEGAL_FORMS)
# The forms by all their words but the last, for names cut inside their last word.
_FORMS_BY_HEAD: dict[tuple[str, ...], list[tuple[str, str]]] = {}
for _key, _code in _LEGAL_FORMS.items():
    _FORMS_BY_HEAD.setdefault(_key[:-1], []).append((_key[-1], _code))
# Numbers written as words become digits (BRIGADE FORTY-FOUR meets BRIGADE 44). TEN is left
# out: it is also a Dutch particle (TEN BOSCH).
_UNITS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine".split())}  # fmt: skip
_NUMBERS = _UNITS | {
    "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
    "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}  # fmt: skip
_TENS = {"twenty": "2", "thirty": "3", "forty": "4", "fourty": "4", "fifty": "5", "sixty": "6",
         "seventy": "7", "eighty": "8", "ninety": "9"}  # fmt: skip
# Every word `_words` may change: a name holding none is left as it is.
_FORM_WORDS = frozenset(w for form in _LEGAL_FORMS for w in form) | _NUMBERS.keys() | _TENS.keys()
SYNONYMS = {
    "ltd": "limited", "corp": "corporation", "co": "company", "intl": "international",
    "int": "international", "1st": "first", "mfg": "manufacturing", "bros": "brothers",
    "assn": "association", "dept": "department", "univ": "university", "natl": "national",
    "svcs": "services", "srvces": "services", "tech": "technology", "comm": "communications",
    "grp": "group", "hldgs": "holdings", "mgmt": "management",
}  # fmt: skip
# Particles that carry little identity: they count for less in alignment and never retrieve.
PARTICLES = (
    frozenset(
        """al el ul ad ar as ash at az bin ibn ben bint bent abu abou de del della der di da das
    do dos du la le van von vander ter ten y e mac""".split()
    )
    | ORG_WORDS
)

_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# Apostrophes and dots vanish inside a word (O'BRIEN, U.S.A.); everything else splits.
_JOINERS = re.compile(r"['’ʼ`´.]")
_SPLIT = re.compile(r"[^a-z0-9]+")
# Names glued together (SergeiLavrov, SiemensAG): two lower-case letters then a capital
# starting a word or an all-capital ending. One lower-case letter is a prefix (McDonald).
_GLUED = re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z])|(?<=[a-z]{3})(?=[A-Z]{2,}\b)")


@dataclass(frozen=True, slots=True)
class NormalName:
    """A normalised name: tokens in order, their ICAO forms where different, and flags."""

    tokens: tuple[str, ...]
    icao: tuple[str, ...]  # same length; equal to the token when folding changes nothing
    truncated: bool = False  # an MRZ name that filled its field: the last token may be cut

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def _script_of(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else ""


def _romanise_char(char: str) -> str:
    """A character's romanisation: ICAO for Cyrillic, anyascii (a syllable) otherwise."""
    lower = char.lower()
    if lower in _ICAO_CYRILLIC:
        mapped = _ICAO_CYRILLIC[lower]
        return mapped.upper() if char != lower and mapped else mapped
    if ord(char) < 0x250:
        return char
    script = _script_of(char)
    if script == "ARABIC":
        return _arabic(char)
    roman = anyascii(char)
    # Han and Hangul come back as one capitalised syllable per character (ZhangWei); keep a
    # space so that syllables stay separable tokens.
    if script in ("CJK", "HANGUL") and roman:
        roman = roman + " "
    return roman


class _Romanised(dict[int, str]):
    """Characters' romanisations, each worked out once, for `str.translate`."""

    def __missing__(self, code: int) -> str:
        roman = self[code] = _romanise_char(chr(code))
        return roman


_ROMANISED = _Romanised()


def _romanise_run(text: str) -> str:
    """Romanise non-Latin text character by character (`_romanise_char`)."""
    return text.translate(_ROMANISED)


# Arabic letters whose anyascii form misleads a Latin comparison: hamza carriers read as
# apostrophes, ta marbuta as "h", alif maqsura as "y".
_ARABIC = {"ة": "a", "ى": "a", "ء": "", "أ": "a", "إ": "i", "آ": "a", "ؤ": "u", "ئ": "i"}


def _arabic(char: str) -> str:
    return _ARABIC.get(char) if char in _ARABIC else anyascii(char)  # type: ignore[return-value]


def _strip_arabic_article(text: str) -> str:
    # "التكريتي" → "ال تكريتي": the article becomes its own particle token, as lists write it.
    return re.sub(r"(^|\s)ال(?=\S{2,})", r"\1al ", text)


def _latin_forms(word: str) -> tuple[str, str]:
    """(diacritics stripped, ICAO folded) forms of a lowercase word."""
    if word.isascii():
        return word, word  # most names: nothing to strip or fold
    icao_chars: list[str] = []
    strip_chars: list[str] = []
    for char in word:
        if char in _ICAO_LATIN:
            icao_chars.append(_ICAO_LATIN[char])
            strip_chars.append(_STRIP_LATIN.get(char) or _decompose(char))
        else:
            plain = _decompose(char)
            icao_chars.append(plain)
            strip_chars.append(plain)
    return "".join(strip_chars), "".join(icao_chars)


def _decompose(char: str) -> str:
    if char.isascii():
        return char
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def normalize(text: str, *, keep_titles: bool = False) -> NormalName:
    """Normalise a free-text name (any script, any order) into tokens."""
    text = _JOINERS.sub("", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)))
    text = _GLUED.sub(" ", text)
    if not text.isascii() and any(ord(c) >= 0x250 for c in text):
        if any("\u0600" <= c <= "\u06ff" for c in text):
            text = _strip_arabic_article(text)
        text = _romanise_run(text)
    text = text.casefold()
    tokens: list[str] = []
    icao: list[str] = []
    for word in text.split():
        if word.isascii() and word.isalnum():
            parts = folded_parts = [word]  # most words: one token, nothing to fold
        else:
            stripped, folded = _latin_forms(word)
            parts = [p for p in _SPLIT.split(stripped) if p]
            folded_parts = [p for p in _SPLIT.split(folded) if p]
            if len(folded_parts) != len(parts):
                folded_parts = parts
        for part, fold in zip(parts, folded_parts, strict=True):
            if not keep_titles and part in TITLES:
                continue
            part = SYNONYMS.get(part, part)
            tokens.append(part)
            icao.append(SYNONYMS.get(fold, fold))
    if (
        len(tokens) > 1 or (tokens and (tokens[0] in _NUMBERS or tokens[0] in _TENS))
    ) and not _FORM_WORDS.isdisjoint(tokens):
        tokens, icao = _words(tokens, icao)
    return NormalName(tuple(tokens), tuple(icao))


def _legal_form(words: list[str], *, at_end: bool) -> str | None:
    form = _LEGAL_FORMS.get(tuple(words))
    if form is None and at_end and len(words) > 1 and len(words[-1]) >= 3:
        # A name cut at the end of its field (JOINT STOCK COMPAN) still ends in its form.
        form = next(
            (code for last, code in _FORMS_BY_HEAD.get(tuple(words[:-1]), ())
             if last.startswith(words[-1])),
            None,
        )  # fmt: skip
    return form


def _words(tokens: list[str], icao: list[str]) -> tuple[list[str], list[str]]:
    """Legal forms folded to one token each, numbers written as words to digits."""
    out: list[str] = []
    out_icao: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        for size in range(min(_LONGEST_FORM, len(tokens) - i), 0, -1):
            form = _legal_form(tokens[i : i + size], at_end=i + size == len(tokens))
            if form is not None:
                out.append(form)
                out_icao.append(form)
                i += size
                break
        else:
            if token in _TENS:
                following = tokens[i + 1] if i + 1 < len(tokens) else ""
                digit = len(following) == 1 and following in "123456789"
                unit = following if digit else _UNITS.get(following, "")
                if unit and unit != "0":
                    number = _TENS[token] + unit
                    i += 1
                else:
                    number = _TENS[token] + "0"
                out.append(number)
                out_icao.append(number)
            elif token in _NUMBERS:
                out.append(_NUMBERS[token])
                out_icao.append(_NUMBERS[token])
            else:
                out.append(token)
                out_icao.append(icao[i])
            i += 1
    return out, out_icao


def split_mrz(field: str, width: int = 39) -> tuple[NormalName, NormalName, bool]:
    """An MRZ name field (SURNAME<<GIVEN<NAMES) as (family, given, possibly truncated)."""
    clean = field.strip().upper()
    truncated = len(clean) >= width and not clean.endswith("<")
    surname, _, given = clean.partition("<<")
    return normalize(surname.replace("<", " ")), normalize(given.replace("<", " ")), truncated


def normalize_mrz(field: str, width: int = 39) -> NormalName:
    """Normalise an MRZ name field, flagging possible truncation."""
    family, given, truncated = split_mrz(field, width)
    return NormalName(family.tokens + given.tokens, family.icao + given.icao, truncated=truncated)


def fold_document(number: str) -> str:
    """A document number as compared: uppercase letters and digits only."""
    # ASCII only: documents print A-Z and 0-9; anything else is a keying artefact.
    text = unicodedata.normalize("NFKD", number).upper()
    return "".join(c for c in text if c.isascii() and c.isalnum())


# Characters an OCR reader or a typist confuses on a travel document.
_OCR = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8",
                      "Z": "2", "G": "6"})  # fmt: skip


def ocr_fold(number: str) -> str:
    """The OCR-folded form of a folded document number (O/0, I/1, S/5, B/8 ...)."""
    return number.translate(_OCR)
