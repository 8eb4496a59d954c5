"""The curated furniture styles: names and one-line descriptions in English and Korean, and the
cue the providers draw them with (materials, palette, leaning archetype, proportion words).

The material words are ones both local story writers know (providers/local/vocabulary*.py), so
a style's materials reach the render and the story's Material line.
"""

from __future__ import annotations

from dataclasses import dataclass

from layerminder.providers.base import StyleCue


@dataclass(frozen=True)
class Style:
    cue: StyleCue
    name_ko: str
    description: str
    description_ko: str

    @property
    def id(self) -> str:
        return self.cue.id

    @property
    def name(self) -> str:
        return self.cue.name


def _style(
    id: str,
    name: str,
    name_ko: str,
    description: str,
    description_ko: str,
    *,
    prompt: str,
    materials: tuple[str, ...],
    palette: tuple[str, ...],
    form: str | None,
    proportion_words: tuple[str, ...],
) -> Style:
    rgb = tuple((int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)) for h in palette)
    cue = StyleCue(id, name, prompt, materials, rgb, form, proportion_words)
    return Style(cue, name_ko, description, description_ko)


STYLES: tuple[Style, ...] = (
    _style(
        "japandi", "Japandi", "재팬디",
        "Japanese restraint meets Scandinavian warmth: low, quiet, pale oak and linen.",
        "일본의 절제와 북유럽의 온기가 만난 스타일: 낮고 조용한 밝은 오크와 리넨.",
        prompt="Japandi: low and calm, pale oak with visible joinery, natural linen, muted "
        "earth tones",
        materials=("oak", "linen"),
        palette=("d8c8ae", "a58a64", "efe9df", "5d5347"),
        form="bench",
        proportion_words=("japanese", "minimal", "low"),
    ),
    _style(
        "scandinavian", "Scandinavian", "스칸디나비안",
        "Light ash, soft wool and rounded legs: honest, bright and made for everyday use.",
        "밝은 애쉬, 부드러운 울, 둥근 다리: 정직하고 밝은 일상의 가구.",
        prompt="Scandinavian: light ash frame, tapered round legs, soft grey wool upholstery",
        materials=("ash", "wool"),
        palette=("e4d6bd", "f3f1ec", "a9b2b6", "c9b28f"),
        form="chair",
        proportion_words=("scandinavian", "light"),
    ),
    _style(
        "mid-century-modern", "Mid-century modern", "미드센추리 모던",
        "Splayed tapered legs, walnut and a warm mustard seat: 1950s optimism.",
        "벌어진 테이퍼드 다리, 월넛, 따뜻한 머스터드 좌석: 1950년대의 낙관.",
        prompt="Mid-century modern: oiled walnut, splayed tapered legs, mustard or teal "
        "upholstery",
        materials=("walnut", "wool"),
        palette=("6b4226", "d9a334", "2f6f73", "efe4cf"),
        form="lounge",
        proportion_words=("midcentury",),
    ),
    _style(
        "bauhaus", "Bauhaus", "바우하우스",
        "Tubular steel, leather and primary accents: form follows function.",
        "튜브형 스틸, 가죽, 원색 포인트: 형태는 기능을 따른다.",
        prompt="Bauhaus: chromed tubular steel frame, black leather, primary red, blue and "
        "yellow accents, pure geometry",
        materials=("steel", "leather"),
        palette=("1c1c1c", "c8ccd0", "c0392b", "f1c40f"),
        form="chair",
        proportion_words=("bauhaus", "geometric"),
    ),
    _style(
        "brutalist", "Brutalist", "브루탈리스트",
        "Massive slabs of raw concrete and dark timber, heavy and monumental.",
        "거친 콘크리트와 어두운 목재의 육중한 덩어리, 무겁고 기념비적인.",
        prompt="Brutalist: massive monolithic slabs of raw board-formed concrete and dark "
        "timber, no ornament",
        materials=("concrete", "oak"),
        palette=("8e8b86", "b5b1aa", "4a4540", "6e655c"),
        form="bench",
        proportion_words=("brutalist", "monolithic"),
    ),
    _style(
        "art-deco", "Art Deco", "아르데코",
        "Polished brass, deep velvet and stepped geometry: 1920s glamour.",
        "광택 나는 황동, 깊은 벨벳, 계단식 기하학: 1920년대의 화려함.",
        prompt="Art Deco: polished brass details, deep emerald velvet, lacquered black, stepped "
        "and fanned geometry",
        materials=("velvet", "brass"),
        palette=("0f5e4b", "c9a44c", "1a1a1a", "7a1f3d"),
        form="lounge",
        proportion_words=("elegant", "luxury"),
    ),
    _style(
        "memphis", "Memphis", "멤피스",
        "Loud colour, laminate and playful blocks: 1980s Milan rule-breaking.",
        "강렬한 색, 라미네이트, 장난스러운 블록: 1980년대 밀라노의 파격.",
        prompt="Memphis: bold primary and pastel colour blocks, laminate with squiggle "
        "pattern, playful geometric parts",
        materials=("lacquer",),
        palette=("f25c54", "3d9be9", "f7d046", "2ec4b6"),
        form="stool",
        proportion_words=("playful", "geometric", "bold"),
    ),
    _style(
        "wabi-sabi", "Wabi-sabi", "와비사비",
        "Imperfect, weathered and handmade: aged wood, clay and raw linen.",
        "불완전하고 풍화된 손의 흔적: 오래된 나무, 흙, 거친 리넨.",
        prompt="Wabi-sabi: weathered wood, hand-rubbed plaster, raw linen, irregular "
        "handmade forms, muted clay tones",
        materials=("oak", "linen"),
        palette=("9c8b76", "cfc4b2", "6f6253", "b8a48a"),
        form="stool",
        proportion_words=("wabi", "low"),
    ),
    _style(
        "shaker", "Shaker", "셰이커",
        "Plain cherry wood, woven seat and ladder back: utility made beautiful.",
        "소박한 체리목, 엮은 좌판, 사다리 등받이: 쓰임이 곧 아름다움.",
        prompt="Shaker: plain cherry wood, slender turned legs with stretchers, woven tape "
        "seat, ladder back",
        materials=("cherry", "linen"),
        palette=("9b5a34", "d7c29e", "5b3a24", "efe6d6"),
        form="chair",
        proportion_words=("classic", "slender"),
    ),
    _style(
        "korean-minimal", "Korean minimal", "한국 미니멀",
        "Floor-level soban and ondol height: low pine and hanji-pale surfaces.",
        "소반과 온돌 높이의 좌식 생활: 낮은 소나무와 한지처럼 밝은 면.",
        prompt="Korean minimal: floor-level soban and ondol height, low pine or ash with "
        "simple joinery, hanji-pale surfaces",
        materials=("pine", "linen"),
        palette=("e6d3b3", "f4efe6", "a4805a", "3e3a36"),
        form="bench",
        proportion_words=("low", "low", "minimal"),
    ),
    _style(
        "industrial", "Industrial", "인더스트리얼",
        "Blackened steel, reclaimed timber and exposed bolts: workshop honesty.",
        "흑색 스틸, 재생 목재, 드러난 볼트: 작업장의 솔직함.",
        prompt="Industrial: blackened steel frame with exposed bolts, reclaimed timber seat, "
        "riveted joints",
        materials=("steel", "oak"),
        palette=("2b2b2b", "7a5c3e", "5a5f63", "a08060"),
        form="stool",
        proportion_words=("industrial",),
    ),
    _style(
        "organic-modern", "Organic modern", "오가닉 모던",
        "Soft curves in walnut and cream bouclé: calm, tactile and warm.",
        "월넛과 크림색 부클레의 부드러운 곡선: 차분하고 촉각적이며 따뜻한.",
        prompt="Organic modern: soft rounded curves, walnut and cream boucle, warm neutral "
        "tones",
        materials=("walnut", "boucle"),
        palette=("efe6d8", "6b4a33", "d9c9b3", "a27b5c"),
        form="lounge",
        proportion_words=("organic", "soft"),
    ),
    _style(
        "mediterranean", "Mediterranean", "지중해풍",
        "Travertine, rattan and sun-bleached linen: slow summers by the sea.",
        "트래버틴, 라탄, 햇볕에 바랜 리넨: 바닷가의 느린 여름.",
        prompt="Mediterranean: travertine base, woven rattan, sun-bleached linen, terracotta "
        "accents",
        materials=("travertine", "rattan"),
        palette=("e3d5bf", "c67b4e", "b99a6b", "f2ece2"),
        form="bench",
        proportion_words=("rounded", "low"),
    ),
)  # fmt: skip

STYLES_BY_ID: dict[str, Style] = {style.id: style for style in STYLES}
