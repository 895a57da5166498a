"""Where legacy-font text ends and Unicode text begins: at the edge of Latin-1.

A TCVN3 or VNI text extracted from an old document is one byte per character, so it holds only
characters U+0000–U+00FF; a letter beyond them (U+0100 onward) can only have been typed in
Unicode, and the text is then kept as it is (:func:`decode_legacy` returns None).
"""

from __future__ import annotations

from pipeline.vi import decode_legacy


def test_the_last_latin1_letter_can_be_a_legacy_byte() -> None:
    # ÿ is byte 0xFF, a byte any 8-bit text may hold: the text is still decoded
    assert decode_legacy("Céng hoµ ÿ", ".VnTime") == "Cộng hoà ÿ"
    assert decode_legacy("Coäng hoaø ÿ", "VNI-Times") == "Cộng hoà ÿ"


def test_the_first_letter_beyond_latin1_means_unicode() -> None:
    # Ā (U+0100) fits in no byte: someone typed Unicode in the old font, keep the text
    assert decode_legacy("Céng hoµ Ā", ".VnTime") is None
    assert decode_legacy("Coäng hoaø Ā", "VNI-Times") is None
