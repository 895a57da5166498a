"""Vietnamese text: clean-up, matching keys, upper case, lists, and alphabetical order.

Pure: no I/O, no clock, no locale. Text read from workbooks comes in three Unicode forms
(precomposed NFC, decomposed NFD, and the "Unicode tổ hợp" / cp1258 mix of a precomposed vowel
plus a combining tone) and two tone placements (``hòa``/``hoà``, ``thủy``/``thuỷ``), which are
all different strings to Python. :func:`normalize` makes display text NFC and tidy;
:func:`match_key` folds everything that should not distinguish two names (form, tone placement,
case, spacing) and is for comparing only, never for display. :func:`sort_key` gives the order of
ICU's ``vi`` collator without PyICU: the letters ``a ă â b c d đ e ê … o ô ơ … u ư …`` differ
at the first level, the tones (ngang, huyền, hỏi, ngã, sắc, nặng) at the second, case (lower
first) at the third.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Literal

from pipeline.vi._util import require_bool, require_str, show

# Characters that never belong in Vietnamese text: SOFT HYPHEN (a TCVN3 leftover, where it was
# the letter ư) and zero-width spaces/joiners; ETH (Ð, ð) typed for Đ, đ.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_CLEAN = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111", **dict.fromkeys(_INVISIBLE)})
_TO_CLEAN = re.compile(f"[\u00d0\u00f0{_INVISIBLE}]")
_SPACES = re.compile(r"[^\S\n]+")  # any whitespace run except line breaks
_AROUND_NEWLINE = re.compile(r" ?\n ?")
_ANY_SPACE = re.compile(r"\s+")

_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
# Tone ranks in the CLDR "vi" order: ngang (none) < huyền < hỏi < ngã < sắc < nặng.
_TONE_RANK = {_GRAVE: 1, _HOOK: 2, _TILDE: 3, _ACUTE: 4, _DOT: 5}


def normalize(text: str) -> str:
    """Clean text for display and storage: NFC, tidy spaces, no invisible leftovers.

    - NFC, which also merges the decomposed and the "Unicode tổ hợp" (cp1258) forms;
    - ``Ð`` (U+00D0 ETH) typed for ``Đ`` becomes ``Đ``;
    - soft hyphens and zero-width characters are removed (decode TCVN3 text *before* calling
      this, since there U+00AD is the letter ``ư``);
    - runs of spaces, tabs and no-break spaces become one space; line breaks are kept, the
      spaces around them and at both ends are removed.

    >>> normalize("Vie\\u0323\\u0302t  Nam ")
    'Việt Nam'
    >>> normalize("Vi\\u00ea\\u0323t\\u00a0Nam") == "Việt Nam"
    True
    >>> normalize("\\u00d0ảng")
    'Đảng'
    """
    if text.__class__ is str:  # the usual case, checked without a call
        return _normalize(text)
    return _normalize(str(require_str(text, "normalize")))


@functools.lru_cache(maxsize=1 << 16)
def _normalize(text: str) -> str:
    """:func:`normalize` of a ``str``, remembered: a workbook's cells repeat the same headers,
    names and choices many times, and a run reads many workbooks. It depends only on the text."""
    if _TO_CLEAN.search(text):  # ``translate`` is slow, and seldom has anything to do
        text = text.translate(_CLEAN)
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _AROUND_NEWLINE.sub("\n", _SPACES.sub(" ", text))
    return text.strip()


def _clusters(nfd: str) -> list[tuple[str, str]]:
    """Split NFD text into (base character, combining marks) pairs."""
    clusters: list[tuple[str, str]] = []
    for char in nfd:
        if clusters and unicodedata.category(char).startswith("M"):
            base, marks = clusters[-1]
            clusters[-1] = (base, marks + char)
        else:
            clusters.append((char, ""))
    return clusters


_WORD = re.compile(r"[^\W\d_]+")
_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}
_VOWELS = set("aeiouy")


def _restyle_word(word: str, old: bool) -> str:
    """Move the tone of a final open ``oa``/``oe``/``uy`` (not after ``q``) in one word."""
    clusters = _clusters(unicodedata.normalize("NFD", word))
    if len(clusters) < 2:
        return word
    (b1, m1), (b2, m2) = clusters[-2:]
    if (b1.lower(), b2.lower()) not in _PAIRS:
        return word
    onset = [base.lower() for base, _ in clusters[:-2]]
    if any(base in _VOWELS for base in onset) or (onset and onset[-1] == "q"):
        return word
    if any(marks for _, marks in clusters[:-2]) or len(m1) + len(m2) != 1:
        return word
    tone = m1 + m2
    if tone not in _TONE_RANK:
        return word
    first, second = (b1 + tone, b2) if old else (b1, b2 + tone)
    rebuilt = "".join(base + marks for base, marks in clusters[:-2]) + first + second
    return unicodedata.normalize("NFC", rebuilt)


def tone_style(text: str, style: Literal["old", "new"] = "old") -> str:
    """Put the tone of open ``oa``, ``oe``, ``uy`` syllables in one place (result is NFC).

    ``old`` (kiểu cũ) puts it on the first vowel: ``hòa``, ``khỏe``, ``thủy``; ``new`` (kiểu mới)
    on the second: ``hoà``, ``khoẻ``, ``thuỷ``. Syllables after ``q`` (``quý``) or with a final
    consonant or vowel (``hoàng``, ``thuyền``, ``khuya``) are never touched, nor is i/y spelling.

    >>> tone_style("Uỷ ban nhân dân tỉnh Hoà Bình")
    'Ủy ban nhân dân tỉnh Hòa Bình'
    >>> tone_style("CỘNG HÒA, thủy, quý, hoàng", "new")
    'CỘNG HOÀ, thuỷ, quý, hoàng'
    """
    text = require_str(text, "tone_style")
    if style not in ("old", "new"):
        raise ValueError(f"tone_style: style={show(style)} không hợp lệ (chọn 'old' hoặc 'new')")
    old = style == "old"
    return _WORD.sub(lambda m: _restyle_word(m.group(), old), unicodedata.normalize("NFC", text))


def match_key(text: str) -> str:
    """A key for matching names across sheets; never for display.

    Equal for the three Unicode forms, both tone placements, any case, NBSP, extra or missing
    spaces at the ends, soft hyphens, zero-width characters and ETH for Đ. Diacritics are kept:
    ``Ban Tổ chức`` and ``Ban Tổ chúc`` stay different.

    >>> match_key("Tỉnh uỷ") == match_key("TỈNH ỦY") == match_key(" tỉnh\\u00a0ủy")
    True
    >>> match_key("Hoà Bình")
    'hòa bình'
    >>> match_key("Ban Tổ chức") == match_key("Ban Tổ chúc")
    False
    """
    if text.__class__ is str:
        return _match_key(text)
    return _match_key(str(require_str(text, "match_key")))


@functools.lru_cache(maxsize=1 << 16)
def _match_key(text: str) -> str:
    """:func:`match_key` of a ``str``, remembered: a workbook matches the same few hundred
    names thousands of times (headers, units, titles), and a document's line-breaking filters
    key every word of every cell (:mod:`pipeline.vi.lines`). The key depends only on the text."""
    text = tone_style(normalize(text), "old")
    text = unicodedata.normalize("NFC", text.casefold())
    return _ANY_SPACE.sub(" ", text).strip()


def in_hoa(s: str) -> str:
    """Vietnamese-safe upper case of NFC text, for headers (never ``str.title()``).

    The text is cleaned by :func:`normalize` first (NFC, ``Ð`` → ``Đ``, tidy spaces), so
    decomposed input gives precomposed capitals and ``đ`` always becomes ``Đ``.

    >>> in_hoa("Tỉnh ủy")
    'TỈNH ỦY'
    >>> in_hoa("Ban Tuyên giáo Tỉnh ủy đảng bộ")
    'BAN TUYÊN GIÁO TỈNH ỦY ĐẢNG BỘ'
    """
    return unicodedata.normalize("NFC", normalize(require_str(s, "in_hoa")).upper())


def noi(items: Iterable[str], va: str = "và") -> str:
    """Join a list the Vietnamese way: ``A, B và C``; one item alone; empty list → ``""``.

    Nothing is dropped or reordered; ``va`` replaces the last connective (e.g. ``"hoặc"``). An
    empty or blank item is refused (``ValueError``), never joined as ``A và``: it is missing
    data, and a template that means to leave blanks out says so (``{{ ds|select|noi }}``).

    >>> noi(["A", "B", "C"])
    'A, B và C'
    >>> noi(["A", "B"]), noi(["A"]), noi([])
    ('A và B', 'A', '')
    >>> noi(["Lạng Sơn", "Cao Bằng"], va="hoặc")
    'Lạng Sơn hoặc Cao Bằng'
    >>> noi(["A", " "])
    Traceback (most recent call last):
    ...
    ValueError: noi: phần tử thứ 2 là chuỗi trống (bỏ phần tử trống trước khi nối: ds|select|noi)
    """
    connective = require_str(va, "noi", "từ nối")
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise ValueError(f"noi: {show(items)} không phải là danh sách chuỗi")
    parts = list(items)
    for index, part in enumerate(parts, 1):
        if not isinstance(part, str):
            raise ValueError(f"noi: phần tử {show(part)} không phải là chuỗi văn bản")
        if not part.strip():
            raise ValueError(
                f"noi: phần tử thứ {index} là chuỗi trống (bỏ phần tử trống trước khi nối: "
                "ds|select|noi)"
            )
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {connective} {parts[-1]}"


# ---------------------------------------------------------------------------------------------
# Collation

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER = {letter: index for index, letter in enumerate(_ALPHABET)}
_QUALITY = {
    ("a", _BREVE): "ă",
    ("a", _CIRCUMFLEX): "â",
    ("e", _CIRCUMFLEX): "ê",
    ("o", _CIRCUMFLEX): "ô",
    ("o", _HORN): "ơ",
    ("u", _HORN): "ư",
}
# First-level classes, in ICU's order: spaces, punctuation and symbols, digits, letters.
_SPACE, _SYMBOL, _DIGIT, _VI_LETTER, _OTHER_LETTER = range(5)
# Common punctuation and symbols in the CLDR root order (characters in one string share their
# first-level weight and differ at the second); others follow in code point order.
_SYMBOL_ORDER = (
    "_", "-", "–", "—", ",", ";", ":", "!", "¡", "?", "¿", ".", "…", "·", "'‘’", '"“”', "«",
    "»", "(", ")", "[", "]", "{", "}", "§", "¶", "@", "*", "/", "\\", "&", "#", "%", "•",
    "`", "^", "°", "©", "®", "+", "±", "÷", "×", "<", "=", ">", "¬", "|", "¦", "~", "¤", "¢",
    "$", "£", "¥", "₫", "€", "№",
)  # fmt: skip
_SYMBOL_RANK = {
    char: (rank, i) for rank, group in enumerate(_SYMBOL_ORDER) for i, char in enumerate(group)
}

Primary = tuple[int, int]
SortKey = tuple[tuple[Primary, ...], tuple[int, ...], tuple[int, ...], str]
"""``(primary weights, secondary weights, tertiary weights, NFC text)``."""


def _mark_weight(mark: str) -> int:
    """Second-level weight of a combining mark: the five tones first, in the CLDR vi order."""
    return _TONE_RANK.get(mark, 6 + ord(mark))


def _weigh(base: str, marks: str) -> tuple[Primary, tuple[int, ...], tuple[int, ...]] | None:
    """Weights of one character and its marks, like ICU's collation elements: one primary, then
    a secondary and a tertiary weight for the character and for each remaining mark. None if
    the character is ignorable."""
    lower = base.lower() if len(base.lower()) == 1 else base
    variant = int(base != lower)  # third level: upper case, or a variant form of a character
    form = 0  # second level of the character itself (’ after ')
    primary: Primary
    if lower in _LETTER:  # a Vietnamese letter: ă â ê ô ơ ư are letters, not marked letters
        letter = lower
        for mark in marks:
            if (letter, mark) in _QUALITY:
                letter = _QUALITY[letter, mark]
                marks = marks.replace(mark, "", 1)
                break
        primary = (_VI_LETTER, _LETTER[letter])
    elif base.isspace():
        primary, variant = (_SPACE, 0), int(base != " ")
    elif unicodedata.category(base) in ("Cc", "Cf") and not marks:
        return None  # completely ignorable, as in ICU (soft hyphen, zero-width space…)
    elif (digit := unicodedata.decimal(base, None)) is not None:
        primary, variant = (_DIGIT, digit), int(not base.isascii())
    elif unicodedata.category(base).startswith("L"):
        primary = (_OTHER_LETTER, ord(lower))
    else:
        rank, form = _SYMBOL_RANK.get(base, (len(_SYMBOL_ORDER) + ord(base), 0))
        primary, variant = (_SYMBOL, rank), 0
    secondary = (form, *(_mark_weight(mark) for mark in marks))
    return primary, secondary, (variant,) + (0,) * len(marks)


def sort_key(text: str) -> SortKey:
    """Key for Vietnamese alphabetical order, as ICU's ``vi`` collator (CLDR).

    All first-level differences (letters, with ``ă â đ ê ô ơ ư`` as letters of their own;
    spaces < punctuation < digits < letters) are compared before any tone difference
    (ngang < huyền < hỏi < ngã < sắc < nặng), and those before case (lower first). The key is
    the same for NFC, NFD and "Unicode tổ hợp" input, treats ``Ð`` as ``Đ``, and ends with the
    NFC text, so two keys are equal only for canonically equal strings.

    >>> sorted(["Đức", "Dũng", "Duy", "An", "Ăn", "Ân", "Ơn", "Ô", "Oanh"], key=sort_key)
    ['An', 'Ăn', 'Ân', 'Dũng', 'Duy', 'Đức', 'Oanh', 'Ô', 'Ơn']
    >>> sorted(["Há", "Hà", "Hạ", "Hả", "Hã", "Ha"], key=sort_key)
    ['Ha', 'Hà', 'Hả', 'Hã', 'Há', 'Hạ']
    """
    nfc = unicodedata.normalize("NFC", require_str(text, "sort_key"))
    nfd = unicodedata.normalize("NFD", nfc).replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")
    primaries: list[Primary] = []
    secondaries: list[int] = []
    tertiaries: list[int] = []
    for base, marks in _clusters(nfd):
        weights = _weigh(base, marks)
        if weights is not None:
            primaries.append(weights[0])
            secondaries.extend(weights[1])
            tertiaries.extend(weights[2])
    return tuple(primaries), tuple(secondaries), tuple(tertiaries), nfc


def name_sort_key(full_name: str, *, family_before_middle: bool = False) -> tuple[SortKey, ...]:
    """Key for sorting Vietnamese person names: given name, then middle names, then family name.

    The last word is the given name (tên), the first the family name (họ), the rest the middle
    name (tên đệm); each part is compared with :func:`sort_key`, the full name breaks ties.
    ``family_before_middle=True`` gives the two-column spreadsheet order instead: given name, then
    the whole "họ và tên đệm" string.

    >>> names = ["Nguyễn Văn Bình", "Lê Văn An", "Trần Thị An", "Đỗ Thị Ánh"]
    >>> sorted(names, key=name_sort_key)
    ['Trần Thị An', 'Lê Văn An', 'Đỗ Thị Ánh', 'Nguyễn Văn Bình']
    >>> sorted(names, key=lambda n: name_sort_key(n, family_before_middle=True))
    ['Lê Văn An', 'Trần Thị An', 'Đỗ Thị Ánh', 'Nguyễn Văn Bình']
    """
    name = normalize(require_str(full_name, "name_sort_key"))
    by_ho_dem = require_bool(family_before_middle, "family_before_middle", "name_sort_key")
    words = name.split()
    given = words[-1] if words else ""
    if by_ho_dem:
        return sort_key(given), sort_key(" ".join(words[:-1])), sort_key(name)
    middle = " ".join(words[1:-1])
    family = words[0] if len(words) > 1 else ""
    return sort_key(given), sort_key(middle), sort_key(family), sort_key(name)
