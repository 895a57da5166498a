"""Vietnamese collation at its edges: what each level of ICU's ``vi`` collator decides.

Expected orders come from the rules in the reference (vi-formatting.md §6.4, CLDR ``vi`` and the
CLDR root collation it tailors), not from running :func:`sort_key`:

- first level: spaces < punctuation < symbols < digits < letters, with ``ă â đ ê ô ơ ư`` letters
  of their own; ignorable characters (controls, format characters) weigh nothing;
- second level: compared left to right over the whole string, before any case difference; the
  tones in the order ngang < huyền < hỏi < ngã < sắc < nặng, other marks after every tone;
- third level: lower case first, a no-break space after a space, a full-width digit after the
  ASCII one.
"""

from __future__ import annotations

import pytest

from pipeline.vi import name_sort_key, sort_key, tone_style


def _sorted(words: list[str]) -> list[str]:
    return sorted(words, key=sort_key)


def test_a_tone_outweighs_any_case_difference() -> None:
    # Each word differs from the next by its tone and, the other way round, by its case.
    words = ["hạ", "Há", "hã", "Hả", "hà", "Ha"]
    assert _sorted(words) == ["Ha", "hà", "Hả", "hã", "Há", "hạ"]
    assert _sorted(["hạ", "Há"]) == ["Há", "hạ"]  # sắc before nặng, whatever the case


def test_second_level_runs_left_to_right() -> None:
    # the first letter decides: no accent on A before the huyền of à, the later à does not count
    assert _sorted(["àA", "Aà"]) == ["Aà", "àA"]
    # a diaeresis on the first letter outweighs a tone on the second
    assert _sorted(["ëa", "eà"]) == ["eà", "ëa"]
    # a symbol's own second-level weight is the common one, as a bare letter's
    assert _sorted(["à→", "A→\u0300"]) == ["A→\u0300", "à→"]


def test_other_marks_come_after_every_tone() -> None:
    assert _sorted(["ë", "é", "ẹ", "e"]) == ["e", "é", "ẹ", "ë"]
    # ă with a second breve: the letter ă plus one breve mark, after all six tones of ă
    doubled = "a\u0306\u0306"
    expected = ["ă", "ằ", "ẳ", "ẵ", "ắ", "ặ", doubled]
    assert _sorted([doubled, "ặ", "ắ", "ẵ", "ẳ", "ằ", "ă"]) == expected
    assert sort_key(doubled)[0] == sort_key("ă")[0]  # still the letter ă at the first level


def test_first_level_classes() -> None:
    # punctuation before digits before letters, even when a later letter would decide otherwise
    assert _sorted(["1", "-"]) == ["-", "1"]
    assert _sorted(["a", "2b"]) == ["2b", "a"]
    assert _sorted(["a", "-b"]) == ["-b", "a"]
    assert _sorted(["b1", "b-", "bb"]) == ["b-", "b1", "bb"]
    # a symbol outside the listed punctuation still sorts after the first punctuation mark
    assert _sorted(["→", "_"]) == ["_", "→"]
    assert _sorted(["→", "a", "7"]) == ["→", "7", "a"]


def test_ignorable_characters_weigh_nothing() -> None:
    assert sort_key("a\u200bb")[:3] == sort_key("ab")[:3]  # zero-width space
    assert sort_key("a\u00adb")[:3] == sort_key("ab")[:3]  # soft hyphen
    assert _sorted(["b", "\u200bc", "a"]) == ["a", "b", "\u200bc"]


def test_third_level_variants() -> None:
    # a no-break space is a space with a third-level difference
    assert _sorted(["a\u00a0b", "a b"]) == ["a b", "a\u00a0b"]
    assert _sorted(["a\u00a0b", "a c", "a b"]) == ["a b", "a\u00a0b", "a c"]
    # a full-width digit is the digit with a third-level difference
    assert _sorted(["３", "3"]) == ["3", "３"]
    assert _sorted(["4", "３", "3"]) == ["3", "３", "4"]


def test_two_column_order_compares_the_whole_ho_dem() -> None:
    # Tên equal, so the whole "họ và tên đệm" decides: "Lê Thị Thu" < "Lê Văn" (T < V), although
    # the first words of both are "Lê" and "Lê Văn" is shorter.
    names = ["Lê Văn An", "Lê Thị Thu An"]
    by_columns = sorted(names, key=lambda n: name_sort_key(n, family_before_middle=True))
    assert by_columns == ["Lê Thị Thu An", "Lê Văn An"]


@pytest.mark.parametrize(
    ("word", "style"),
    [("Ñoà", "old"), ("ñòa", "new"), ("Çuỷ", "old")],
)
def test_tone_style_leaves_words_with_foreign_letters_alone(word: str, style: str) -> None:
    # Only Vietnamese open syllables move their tone; a consonant carrying a mark is not one.
    assert tone_style(word, style) == word  # type: ignore[arg-type]
