"""The web studio's message catalogues: ko and en hold the same keys, each used in the code."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
WEB_SRC = REPO / "web" / "src"
CATALOGUES = WEB_SRC / "i18n" / "messages"
LOCALES = ("en", "ko")

PLURAL = re.compile(r"\{\s*([A-Za-z_]\w*)\s*,\s*plural\s*,")
TAG = re.compile(r"</?([A-Za-z]\w*)>")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# t("key"), t.rich("key", …), t.has("key"): the keys the code asks for by name.
CALL = re.compile(r"\bt(?:\.rich|\.markup|\.has)?\(\s*[\"']([^\"']+)[\"']")
STRING = re.compile(r"[\"'`]([A-Za-z][\w]*(?:\.[A-Za-z][\w]*)+)[\"'`]")
# Korean messages with no Hangul of their own: nothing in them is a word to translate.
NOT_WORDS = {
    "meta.pageTitle",  # "{page} — LayerMinder"
    "upload.failed",  # "{name}: {reason}"
    "record.quotedKeyword",  # "“{keyword}”"
}


def arguments(message: str) -> set[str]:
    """The ICU arguments a message takes ({name}, {count, plural, one {…} other {…}})."""
    found: set[str] = set()

    def text(i: int, depth: int) -> int:  # a message body, up to its closing brace
        while i < len(message):
            if message[i] == "}" and depth:
                return i + 1
            i = argument(i + 1) if message[i] == "{" else i + 1
        return i

    def argument(i: int) -> int:  # after "{": name, then "}" or ", type[, options]}"
        name = re.match(r"\s*([A-Za-z_]\w*)\s*", message[i:])
        assert name, f"bad ICU argument in {message!r}"
        found.add(name.group(1))
        i += name.end()
        if message[i] == "}":
            return i + 1
        kind = re.match(r",\s*(\w+)\s*", message[i:])
        assert kind, f"bad ICU argument in {message!r}"
        i += kind.end()
        if kind.group(1) not in ("plural", "select", "selectordinal"):
            return message.index("}", i) + 1  # {n, number} and the like
        i += 1  # the comma before the options
        while True:
            option = re.match(r"\s*(=?\w+)\s*\{", message[i:])
            if not option:
                close = re.match(r"\s*\}", message[i:])
                assert close, f"bad ICU options in {message!r}"
                return i + close.end()
            i = text(i + option.end(), 1)

    text(0, 0)
    return found


def flatten(tree: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from flatten(value, f"{prefix}{key}.")
        else:
            assert isinstance(value, str), f"{prefix}{key} is not a string"
            yield f"{prefix}{key}", value


def catalogue(locale: str) -> dict[str, str]:
    return dict(flatten(json.loads((CATALOGUES / f"{locale}.json").read_text(encoding="utf-8"))))


def source_files() -> list[Path]:
    return [
        path
        for path in sorted(WEB_SRC.rglob("*"))
        if path.suffix in (".ts", ".tsx")
        and path.name != "schema.d.ts"  # generated from the API, never holds a key
        and CATALOGUES not in path.parents
    ]


@pytest.fixture(scope="module")
def messages() -> dict[str, dict[str, str]]:
    return {locale: catalogue(locale) for locale in LOCALES}


@pytest.fixture(scope="module")
def code() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in source_files())


def test_both_catalogues_hold_the_same_keys(messages: dict[str, dict[str, str]]) -> None:
    en, ko = set(messages["en"]), set(messages["ko"])
    assert not en - ko, f"missing from ko.json: {sorted(en - ko)}"
    assert not ko - en, f"missing from en.json: {sorted(ko - en)}"
    assert len(en) > 200  # the whole studio, not a sample


def test_every_key_is_used_in_the_code(messages: dict[str, dict[str, str]], code: str) -> None:
    # Keys appear in the code as whole string literals (t("room.generate"), or a typed map
    # such as { image: "stages.image" }); none is built from pieces, so a plain scan finds all.
    literals = set(STRING.findall(code))
    unused = sorted(set(messages["en"]) - literals)
    assert not unused, f"keys no code uses (delete them or use them): {unused}"


def test_every_key_the_code_asks_for_exists(messages: dict[str, dict[str, str]], code: str) -> None:
    asked = set(CALL.findall(code))
    assert len(asked) > 100
    for locale in LOCALES:
        missing = sorted(asked - set(messages[locale]))
        assert not missing, f"keys missing from {locale}.json: {missing}"


def test_translations_take_the_same_arguments_and_tags(
    messages: dict[str, dict[str, str]],
) -> None:
    for key, english in messages["en"].items():
        korean = messages["ko"][key]
        # Korean has no grammatical plural: it may leave out a number that only chose a form.
        chooses_only = set(PLURAL.findall(english))
        assert arguments(korean) <= arguments(english), key
        assert arguments(english) - arguments(korean) <= chooses_only, key
        assert sorted(TAG.findall(korean)) == sorted(TAG.findall(english)), key


def test_korean_catalogue_is_written_in_korean(messages: dict[str, dict[str, str]]) -> None:
    untranslated = sorted(
        key
        for key, text in messages["ko"].items()
        if key not in NOT_WORDS and not HANGUL.search(text)
    )
    assert not untranslated, f"ko.json messages with no Korean in them: {untranslated}"
    assert not any(HANGUL.search(text) for text in messages["en"].values())


# 합니다체 endings (…합니다, …습니까, …십시오): the studio speaks 해요체 everywhere.
FORMAL = re.compile(r"(니다|니까|십시오)")
# A particle written straight after an argument fits one word and not another ("시안 {n}을"
# is wrong for 2): after an argument the catalogue writes the pair ("{n}을(를)") and the
# studio's t() picks the form (web/src/i18n/particles.ts).
BARE_PARTICLE = re.compile(
    r"\{\w+\}(을|를|이|가|은|는|과|와|으로|로|이라고|라고)(?![(\uac00-\ud7a3])"
)
# "디자인" names the discipline only ("가구 디자인 스튜디오"); a design is a 시안.
DISCIPLINE = {"meta.title"}


def test_korean_speaks_one_speech_level(messages: dict[str, dict[str, str]]) -> None:
    formal = {key: text for key, text in messages["ko"].items() if FORMAL.search(text)}
    assert not formal, f"합니다체 in ko.json (write 해요체): {formal}"


def test_a_design_is_always_a_sian(messages: dict[str, dict[str, str]]) -> None:
    other = {
        key: text
        for key, text in messages["ko"].items()
        if "디자인" in text and key not in DISCIPLINE
    }
    assert not other, f"a design is 시안 in Korean: {other}"


def test_particles_after_arguments_are_written_as_pairs(
    messages: dict[str, dict[str, str]],
) -> None:
    bare = {key: text for key, text in messages["ko"].items() if BARE_PARTICLE.search(text)}
    assert not bare, f"write the pair after an argument (을(를), 이(가), 은(는)…): {bare}"
    assert BARE_PARTICLE.search("이전 기록의 시안 {n}을 다듬은 결과")
    assert not BARE_PARTICLE.search("이전 기록의 시안 {n}을(를) 다듬은 결과")
    assert not BARE_PARTICLE.search("{count}이상")  # a word, not a particle, is not a concern


def test_korean_particles_fit_the_words_put_before_them() -> None:
    """The studio's particle code (es-hangul underneath) on known cases and on every Korean
    message that writes a pair, filled with words of each ending (scripts/check-particles.mjs)."""
    node = shutil.which("node")
    if node is None or not (REPO / "web" / "node_modules" / "es-hangul").is_dir():
        pytest.skip("node and web/node_modules (npm ci) are needed to run the studio's code")
    result = subprocess.run(
        [node, "scripts/check-particles.mjs"],
        cwd=REPO / "web",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "particles fit" in result.stdout


def test_arguments_are_read_through_plurals() -> None:
    assert arguments("{count, plural, one {# credit} other {{total} credits}} for {query}") == {
        "count",
        "total",
        "query",
    }
    assert arguments("{n}크레딧 · <q>{file}</q>") == {"n", "file"}


def test_the_scan_sees_a_missing_and_an_unused_key() -> None:
    """The checks above catch what they claim: a stray key and a call without a message."""
    code = 't("room.generate"); const STAGE = { image: "stages.image" }; t("room.nope")'
    known = {"room.generate", "stages.image", "rooms.unused"}
    assert set(CALL.findall(code)) - known == {"room.nope"}
    assert known - set(STRING.findall(code)) == {"rooms.unused"}
