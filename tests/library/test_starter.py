"""The starter reference set rendered offline for a fresh library."""

from __future__ import annotations

import hashlib
import io
import re

from PIL import Image

from layerminder.library.starter import StarterReference, render_starter_references

FORMS_KO = {"chair": "의자", "stool": "스툴", "bench": "벤치", "lounge": "라운지 체어"}


def test_starter_set_is_varied_and_well_formed() -> None:
    references = render_starter_references()
    assert len(references) == 24
    assert all(isinstance(ref, StarterReference) for ref in references)
    assert len({hashlib.sha256(ref.data).digest() for ref in references}) == 24
    assert len({ref.title for ref in references}) == 24
    for ref in references:
        with Image.open(io.BytesIO(ref.data)) as opened:
            assert opened.format == "JPEG"
            assert opened.size == (512, 512)
        assert ref.tags and all(tag == tag.lower() and " " not in tag for tag in ref.tags)
        assert len(set(ref.tags)) == len(ref.tags)
    forms = {tag for ref in references for tag in ref.tags} & {"chair", "stool", "bench", "lounge"}
    assert forms == {"chair", "stool", "bench", "lounge"}


def test_starter_set_is_deterministic() -> None:
    first = render_starter_references(6)
    second = render_starter_references(6)
    assert [ref.data for ref in first] == [ref.data for ref in second]
    assert [ref.title for ref in first] == [ref.title for ref in second]


def test_larger_counts_stay_distinct() -> None:
    references = render_starter_references(30)
    assert len({ref.data for ref in references}) == 30
    assert len({ref.title for ref in references}) == 30


def test_starter_titles_have_korean_names() -> None:
    references = render_starter_references()
    korean = [ref.title_ko for ref in references]
    assert len(set(korean)) == 24
    for ref in references:
        # Korean words only (no English left over), ending in the form's Korean name.
        assert re.fullmatch(r"[\uac00-\ud7a3 ]+", ref.title_ko), ref.title_ko
        form = next(tag for tag in ref.tags if tag in FORMS_KO)
        assert ref.title_ko.endswith(FORMS_KO[form])
