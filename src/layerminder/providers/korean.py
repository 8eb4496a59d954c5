"""Korean particles (조사) agreeing with the noun they follow: 이/가, 을/를, 은/는, 과/와, 으로/로.

A particle's form depends on whether the noun's last syllable ends in a consonant (받침), and for
으로/로 whether that consonant is ㄹ. For a Hangul syllable this is read from its code point. For
other text the noun is read the way a Korean speaker would say it:

- a digit by its Sino-Korean name, with trailing zeros as the place word (10 십, 100 백, 1000 천,
  10000 만), so "3" is 삼 (받침 ㅁ), "2" is 이 (none), "7" is 칠 (ㄹ), "20" is 이십 (ㅂ);
- a unit after a number by its name (80cm 센티미터, 5kg 킬로그램);
- an all-capital Latin word of up to four letters (CLIP, MDF) letter by letter, by the letter's
  Korean name: L 엘 and R 알 end in ㄹ, M 엠 and N 엔 in another consonant, the rest in none;
- any other Latin word by its usual loanword reading (steel 스틸, oak 오크, walnut 월넛, stone 스톤,
  marble 마블): a final l (or consonant + "le") is ㄹ; m, n and ng are a consonant; a stop
  (b c d g k p t, "ck") is a consonant only after a single short vowel (walnut 월넛, nordic 노르딕,
  black 블랙) and otherwise a 으-syllable with none (oak 오크, desk 데스크, felt 펠트); a silent
  final e is skipped (stone 스톤, smoke 스모크); vowels, r, s, x, y, w, h and z end in none.
  Loanword spelling is irregular, so this is a reading rule, not a dictionary: it is right for the
  furniture words this product writes and most English nouns, and can be wrong for a rare word.

Trailing quotes, brackets and punctuation are skipped, so ‘minimal’이 agrees with "minimal". Text
with no readable last character (e.g. only symbols, or Chinese characters) gets the written
both-forms convention, "을(를)".
"""

from __future__ import annotations

from enum import Enum

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL_FINAL = 8  # index of ㄹ among the 28 final-consonant slots (0 = none)


class Final(Enum):
    """How a word ends, as far as particles care."""

    NONE = "none"  # an open syllable: 가, 를, 는, 와, 로
    RIEUL = "rieul"  # ㄹ: 이, 을, 은, 과, but 로
    OTHER = "other"  # any other consonant: 이, 을, 은, 과, 으로


# (form after a consonant, form after a vowel); 으로/로 is handled apart because of ㄹ.
_PAIRS: dict[str, tuple[str, str]] = {
    "이/가": ("이", "가"),
    "을/를": ("을", "를"),
    "은/는": ("은", "는"),
    "과/와": ("과", "와"),
    "이나/나": ("이나", "나"),
    "이랑/랑": ("이랑", "랑"),
    "이라는/라는": ("이라는", "라는"),
    "이라고/라고": ("이라고", "라고"),
    "이며/며": ("이며", "며"),
    "이고/고": ("이고", "고"),
    "이다/다": ("이다", "다"),
    "이었다/였다": ("이었다", "였다"),
    "아/야": ("아", "야"),
}
_LOWER_FINALS = {"l": Final.RIEUL, "m": Final.OTHER, "n": Final.OTHER}
_STOPS = set("bcdgkpt")
_VOWELS = set("aeiou")
# Sino-Korean digit names: 영 일 이 삼 사 오 육 칠 팔 구.
_DIGIT_FINALS = (
    Final.OTHER,
    Final.RIEUL,
    Final.NONE,
    Final.OTHER,
    Final.NONE,
    Final.NONE,
    Final.OTHER,
    Final.RIEUL,
    Final.RIEUL,
    Final.NONE,
)
# Letter names: 에이 비 씨 디 이 에프 지 에이치 아이 제이 케이 엘 엠 엔 오 피 큐 알 에스 티 유 브이
# 더블유 엑스 와이 지.
_LETTER_FINALS = {"L": Final.RIEUL, "R": Final.RIEUL, "M": Final.OTHER, "N": Final.OTHER}
# Units after a number are read as words: 80cm 센티미터, 5kg 킬로그램.
_UNIT_FINALS = {
    "mm": Final.NONE,
    "cm": Final.NONE,
    "m": Final.NONE,
    "km": Final.NONE,
    "g": Final.OTHER,
    "kg": Final.OTHER,
}
_SKIPPED = set(" \t\n'\"‘’“”«»()[]{}<>「」『』.,!?;:·…-_/*~")


def _syllable_final(char: str) -> Final:
    index = (ord(char) - _HANGUL_FIRST) % 28
    if index == 0:
        return Final.NONE
    return Final.RIEUL if index == _RIEUL_FINAL else Final.OTHER


def _number_final(digits: str) -> Final:
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == len(digits):
        return Final.OTHER  # 영
    if zeros:
        return Final.OTHER  # 십 ㅂ, 백 ㄱ, 천 ㄴ, 만 ㄴ (and 십만, 백만 … end in 만)
    return _DIGIT_FINALS[int(digits[-1])]


def _latin_final(word: str) -> Final:
    if word.isupper() and len(word) <= 4:
        return _LETTER_FINALS.get(word[-1], Final.NONE)
    lower = word.lower()
    if lower.endswith("ng"):
        return Final.OTHER
    # A silent final e after a consonant (stone, smoke, table): read the consonant before it.
    if len(lower) > 2 and lower[-1] == "e" and lower[-2] not in _VOWELS:
        if lower[-2] == "l":
            return Final.RIEUL  # table 테이블, simple 심플
        lower = lower[:-1]
        if lower[-1] in _LOWER_FINALS:
            return _LOWER_FINALS[lower[-1]]
        return Final.NONE  # smoke 스모크, made 메이드
    last = lower[-1]
    if last in _LOWER_FINALS:
        return _LOWER_FINALS[last]
    if lower.endswith("ck"):
        return Final.OTHER  # black 블랙
    if last in _STOPS:
        # A stop closes the syllable only after one short vowel that follows a consonant:
        # walnut 월넛, nordic 노르딕, but oak 오크, teak 티크, desk 데스크, felt 펠트.
        before = lower[:-1]
        if (
            before
            and before[-1] in _VOWELS
            and (len(before) == 1 or before[-2] not in _VOWELS)
            and last != "d"  # bed 베드, wood 우드: d is almost always 드
            and last != "g"  # rug 러그, fog 포그
        ):
            return Final.OTHER
        return Final.NONE
    return Final.NONE


def final_of(word: str) -> Final | None:
    """How `word` ends for particle agreement, or None when it cannot be read."""
    text = word.rstrip()
    while text and text[-1] in _SKIPPED:
        text = text[:-1]
    if not text:
        return None
    last = text[-1]
    if _HANGUL_FIRST <= ord(last) <= _HANGUL_LAST:
        return _syllable_final(last)
    if last.isascii() and last.isdigit():
        start = len(text)
        while start > 0 and text[start - 1].isascii() and text[start - 1].isdigit():
            start -= 1
        return _number_final(text[start:])
    if last.isascii() and last.isalpha():
        start = len(text)
        while start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
            start -= 1
        token = text[start:]
        if token.lower() in _UNIT_FINALS and text[:start].rstrip()[-1:].isdigit():
            return _UNIT_FINALS[token.lower()]
        return _latin_final(token)
    return None


def particle(word: str, pair: str) -> str:
    """The form of `pair` (e.g. "이/가", "으로/로") that agrees with `word`."""
    final = final_of(word)
    if pair == "으로/로":
        if final is None:
            return "(으)로"
        return "으로" if final is Final.OTHER else "로"
    try:
        after_consonant, after_vowel = _PAIRS[pair]
    except KeyError:
        raise ValueError(f"unknown particle pair {pair!r}") from None
    if final is None:
        return f"{after_consonant}({after_vowel})"
    return after_vowel if final is Final.NONE else after_consonant


def attach(word: str, pair: str) -> str:
    """`word` and the form of `pair` that agrees with it: ("의자", "을/를") → "의자를"."""
    return word + particle(word, pair)


def hangul_share(text: str) -> float:
    """Hangul syllables as a share of the letters in `text` (Hangul and Latin), 0 when none."""
    hangul = sum(1 for char in text if _HANGUL_FIRST <= ord(char) <= _HANGUL_LAST)
    latin = sum(1 for char in text if char.isascii() and char.isalpha())
    return hangul / (hangul + latin) if hangul + latin else 0.0
