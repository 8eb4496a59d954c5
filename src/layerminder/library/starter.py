"""A starter reference set rendered offline, so recommendations work on a fresh install."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

from layerminder.providers.local import SEAT_FORMS, render_seat

STARTER_SIZE = 512


@dataclass(frozen=True)
class StarterReference:
    """One rendered library entry: a title, search tags and JPEG bytes."""

    title: str
    tags: list[str]
    data: bytes
    title_ko: str = ""  # the title a Korean page shows


@dataclass(frozen=True)
class _Theme:
    title: str
    title_ko: str
    keyword: str
    pattern: str  # weave | grain | speckle | plain
    colours: tuple[tuple[int, int, int], ...]  # the palette a swatch board is painted from
    tags: tuple[str, ...]


# Twelve looks that between them span forms, palettes, materials and keywords designers use.
_THEMES: tuple[_Theme, ...] = (
    _Theme("Nordic Oak", "노르딕 오크", "scandinavian", "grain",
           ((196, 160, 112), (236, 230, 218), (120, 128, 118)), ("oak", "natural", "light")),
    _Theme("Walnut Midcentury", "월넛 미드센추리", "midcentury", "grain",
           ((96, 60, 38), (200, 120, 60), (230, 215, 190)), ("walnut", "warm", "retro")),
    _Theme("Brutalist Concrete", "브루탈리즘 콘크리트", "brutalist", "speckle",
           ((128, 128, 124), (70, 70, 68), (200, 196, 188)), ("concrete", "monolithic", "grey")),
    _Theme("Terracotta Curve", "테라코타 곡선", "organic", "weave",
           ((190, 96, 64), (236, 206, 180), (110, 70, 50)), ("terracotta", "curved", "earthy")),
    _Theme("Industrial Steel", "인더스트리얼 스틸", "industrial", "plain",
           ((40, 42, 46), (150, 152, 156), (180, 130, 70)), ("steel", "metal", "black")),
    _Theme("Sage Linen", "세이지 리넨", "minimal", "weave",
           ((150, 168, 140), (232, 228, 214), (170, 140, 100)), ("linen", "sage", "calm")),
    _Theme("Velvet Deco", "벨벳 아르데코", "luxury", "weave",
           ((30, 90, 86), (190, 150, 70), (24, 24, 28)), ("velvet", "teal", "brass")),
    _Theme("Cloud Boucle", "구름 부클레", "soft", "speckle",
           ((236, 230, 220), (210, 196, 178), (150, 130, 110)), ("boucle", "ivory", "plush")),
    _Theme("Japandi Ash", "재팬디 애쉬", "japanese", "grain",
           ((214, 196, 170), (60, 56, 52), (170, 150, 120)), ("ash", "wabi", "quiet")),
    _Theme("Cobalt Graphic", "코발트 그래픽", "geometric", "plain",
           ((40, 70, 170), (240, 236, 228), (230, 180, 40)), ("cobalt", "graphic", "primary")),
    _Theme("Rustic Farmhouse", "러스틱 팜하우스", "rustic", "grain",
           ((150, 100, 60), (80, 60, 44), (214, 200, 170)), ("pine", "rustic", "sturdy")),
    _Theme("Blush Playful", "경쾌한 연분홍", "playful", "weave",
           ((232, 170, 170), (250, 236, 226), (120, 170, 160)), ("blush", "pastel", "playful")),
)  # fmt: skip


_FORMS_KO = {"chair": "의자", "stool": "스툴", "bench": "벤치", "lounge": "라운지 체어"}


def _swatch_board(theme: _Theme) -> bytes:
    """A painted board in the theme's palette and pattern; it stands in for uploaded inputs."""
    rng = np.random.default_rng(sum(ord(ch) for ch in theme.title))
    height, width = 240, 320
    shares = np.array([0.55, 0.3, 0.15][: len(theme.colours)])
    edges = np.concatenate([[0], np.cumsum(shares / shares.sum())]) * width
    board = np.zeros((height, width, 3), dtype=np.float32)
    for index, colour in enumerate(theme.colours):
        board[:, int(edges[index]) : int(edges[index + 1])] = colour
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    if theme.pattern == "weave":
        board *= (1 + 0.08 * np.sin(xx * 1.1) * np.sin(yy * 1.1))[..., None]
    elif theme.pattern == "grain":
        board *= (1 + 0.1 * np.sin(yy * 0.45 + 2.5 * np.sin(xx * 0.03)))[..., None]
    elif theme.pattern == "speckle":
        board += rng.normal(0, 14, (height, width, 1))
    board += rng.normal(0, 3, board.shape)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(board, 0, 255).astype(np.uint8), "RGB").save(
        buffer, format="JPEG", quality=92
    )
    return buffer.getvalue()


def render_starter_references(count: int = 24) -> list[StarterReference]:
    """Render `count` distinct references (each theme in several forms). Deterministic, blocking."""
    references: list[StarterReference] = []
    boards = {theme.title: _swatch_board(theme) for theme in _THEMES}
    for index in range(count):
        theme = _THEMES[index % len(_THEMES)]
        round_ = index // len(_THEMES)
        # Each pass over the themes shifts the form by two, so a theme shows contrasting forms.
        form = SEAT_FORMS[(index + 2 * round_ + round_ // 2) % len(SEAT_FORMS)]
        data = render_seat(
            [boards[theme.title]], theme.keyword, form, size=STARTER_SIZE, variant=round_
        )
        tags = list(dict.fromkeys([theme.keyword, form, *theme.tags]))
        references.append(
            StarterReference(
                title=f"{theme.title} {form.capitalize()}",
                tags=tags,
                data=data,
                title_ko=f"{theme.title_ko} {_FORMS_KO[form]}",
            )
        )
    return references
