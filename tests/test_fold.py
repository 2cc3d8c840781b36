"""Search folding: width, case and traditional → simplified, always keeping length."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from cunzhao.fold import fold, fold_char


def test_width_case_and_script() -> None:
    assert fold("網信辦約談ＣＮＫＩ　ＡＰＰ") == "网信办约谈cnki app"
    assert fold("①Ⓐ，：（）") == "1a,:()"
    assert fold("ＡＢＣ abc XYZ") == "abc abc xyz"


def test_a_character_that_widens_under_nfkc_stays_as_it_is() -> None:
    assert len(unicodedata.normalize("NFKC", "㈠")) > 1
    assert fold("㈠") == "㈠"


# Full-width forms, enclosed and compatibility characters, capitals, traditional Han.
_ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
    exclude_characters="\n",
)


@given(st.text(_ALPHABET, max_size=80))
def test_fold_keeps_every_offset(text: str) -> None:
    assert len(fold(text)) == len(text)


@given(st.text(st.sampled_from(
    "ＡＺａｚ０９！～　①⑳ⒶⓏ㊀㍻ﬁÀÉßǅ︰﹏｡ﾟ網信辦約談網絡AZaz09,。"
), max_size=1))
def test_one_character_folds_as_fold_char_does(ch: str) -> None:
    """Whole-text folding agrees with the character-by-character fallback."""
    assert fold(ch) == fold_char(ch)
