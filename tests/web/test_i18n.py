"""The studio in Korean and in English, through Debian's Chromium against a real server.

The main flow (sign up → room → upload → generate → record) runs in each language, driven by the
words of that language's catalogue; in Korean no English UI word may show (and in English no
Korean one), the Korean text is set in the bundled Korean typeface, and the header's language
switcher changes the page at once and is saved on the account.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.live import CLI, LiveServer
from tests.web.conftest import launch_studio
from tests.web.test_e2e import PASSWORD, TIMEOUT_MS, image_bytes, shot, upload

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CATALOGUES = Path(__file__).resolve().parents[2] / "web" / "src" / "i18n" / "messages"
BROWSER_LOCALE = {"ko": "ko-KR", "en": "en-US"}
KOREAN_FONT = "Pretendard Variable"
# Latin words a Korean page may show: the brand, units, file formats and the CLIP model's name
# (keywords, names and other user or generated content are marked in the page and skipped).
HANGUL = r"[\uac00-\ud7a3]"
LATIN_ALLOWED = {
    "LayerMinder",
    "cm",
    "MB",
    "JPEG",
    "PNG",
    "WebP",
    "CLIP",
    "PDF",
    "zip",
    "JSON",
    "LD",
}

# Words of the page's visible text, placeholders and accessible names in the given script,
# outside content the user or the pipeline wrote ([data-content]) and what is never translated
# ([translate=no]: the brand, keywords, model names, the switcher's language names). Content
# strings are also struck out wherever a sentence quotes them ("Enlarge reference X", "a.gif: …").
FOREIGN_WORDS = """
([script, extraContent]) => {
  const pattern = script === "latin" ? /[A-Za-z]{2,}/g : /[\\uac00-\\ud7a3]+/g;
  const skipped = (el) => el.closest("[data-content], [translate=no], script, style, noscript");
  const content = [
    ...extraContent,
    ...[...document.querySelectorAll("[data-content], [translate=no]")].map((el) => el.textContent),
  ].filter((text) => text && text.trim().length >= 3);
  const strip = (text) => content.reduce((t, c) => t.split(c.trim()).join(" "), text);
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || skipped(el) || !el.checkVisibility({ visibilityProperty: true })) continue;
    for (const word of strip(node.textContent).match(pattern) ?? []) found.push(word);
  }
  for (const el of document.querySelectorAll("[placeholder], [aria-label], img[alt]")) {
    if (skipped(el) || !el.checkVisibility({ visibilityProperty: true })) continue;
    for (const name of ["placeholder", "aria-label", "alt"]) {
      const value = el.getAttribute(name);
      if (value) for (const word of strip(value).match(pattern) ?? []) found.push(word);
    }
  }
  return found;
}
"""

FONT_IN_USE = """
async () => {
  await document.fonts.ready;
  const style = (el) => getComputedStyle(el);
  return {
    lang: document.documentElement.lang,
    heading: style(document.querySelector("h1")).fontFamily,
    body: style(document.body).fontFamily,
    wordBreak: style(document.body).wordBreak,
    loaded: [...document.fonts]
      .filter((f) => f.status === "loaded")
      .map((f) => f.family.replaceAll('"', "")),
    fontFiles: performance.getEntriesByType("resource")
      .map((r) => r.name)
      .filter((u) => /\\.woff2?($|\\?)/.test(u)),
  };
}
"""


def catalogue(locale: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CATALOGUES / f"{locale}.json").read_text(encoding="utf-8"))
    return data


def message(messages: dict[str, Any], key: str, **values: object) -> str:
    """A catalogue message with its plain {arguments} filled in (enough for labels)."""
    text: Any = messages
    for part in key.split("."):
        text = text[part]
    assert isinstance(text, str), key
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), text)


def assert_speaks(page: Any, locale: str, user_content: list[str]) -> None:
    """Nothing in the other language shows on the page: no English words on a Korean page
    (beyond the allow-list), no Korean ones on an English page."""
    if locale == "ko":
        words = page.evaluate(FOREIGN_WORDS, ["latin", user_content])
        foreign = sorted(set(words) - LATIN_ALLOWED)
    else:
        foreign = sorted(set(page.evaluate(FOREIGN_WORDS, ["hangul", user_content])))
    assert not foreign, f"{locale} page {page.url} shows {foreign}"


def assert_korean_font(page: Any, base: str) -> None:
    font = page.evaluate(FONT_IN_USE)
    assert font["lang"] == "ko"
    assert font["heading"].replace('"', "").startswith(KOREAN_FONT), font
    assert font["body"].replace('"', "").startswith(KOREAN_FONT), font
    assert font["wordBreak"] == "keep-all", font
    assert KOREAN_FONT in font["loaded"], font
    # The typeface comes with the studio, from its own origin, never from a font service.
    assert font["fontFiles"], font
    assert all(url.startswith(f"{base}/_next/static/") for url in font["fontFiles"]), font


def read_token(page: Any) -> str:
    token: str = page.evaluate(
        "sessionStorage.getItem('layerminder.token') ?? localStorage.getItem('layerminder.token')"
    )
    assert token
    return token


def saved_locale(base: str, token: str, expected: str | None) -> str | None:
    """The account's locale, waiting (briefly, bounded) for a PATCH the page sent to land."""
    deadline = time.monotonic() + 10
    while True:
        me = httpx.get(f"{base}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        locale: str | None = me.json()["locale"]
        if locale == expected or time.monotonic() > deadline:
            return locale
        time.sleep(0.2)


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_main_flow_in_each_language(
    studio: LiveServer, browser: Any, screenshots: Path, locale: str
) -> None:
    from playwright.sync_api import expect

    m = catalogue(locale)
    base = studio.base_url
    # A browser that prefers this language; nobody chooses one: the studio follows it.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale=BROWSER_LOCALE[locale]
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    email = f"{locale}-{uuid.uuid4().hex[:8]}@example.com"
    room_name = "낮은 라운지 연구" if locale == "ko" else "Low lounge study"
    files = [
        ("oak-bench.png", "image/png", image_bytes("PNG", (168, 118, 78), (640, 480))),
        ("boucle.jpg", "image/jpeg", image_bytes("JPEG", (214, 206, 192), (480, 640))),
    ]
    content = [email, room_name, "japandi", *(name for name, _, _ in files)]

    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name=message(m, "landing.title"))).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == locale
    expect(page).to_have_title(message(m, "meta.title"))
    assert_speaks(page, locale, content)
    if locale == "ko":
        assert_korean_font(page, base)

    # Sign up.
    page.goto(f"{base}/signup/")
    expect(page.get_by_role("heading", name=message(m, "auth.signupTitle"))).to_be_visible()
    assert_speaks(page, locale, content)
    page.get_by_label(message(m, "auth.email")).fill(email)
    page.get_by_label(message(m, "auth.password")).fill(PASSWORD)
    page.get_by_role("button", name=message(m, "auth.createAccount"), exact=True).click()
    page.wait_for_url(f"{base}/")
    expect(page.get_by_role("heading", name=message(m, "rooms.emptyTitle"))).to_be_visible()
    assert_speaks(page, locale, content)

    # A room.
    page.get_by_role("button", name=message(m, "rooms.new")).first.click()
    dialog = page.get_by_role("dialog", name=message(m, "rooms.new"))
    assert_speaks(page, locale, content)
    dialog.get_by_label(message(m, "rooms.name")).fill(room_name)
    dialog.get_by_role("button", name=message(m, "rooms.create")).click()
    page.wait_for_url(re.compile(r"/room/\?id="))
    expect(page.get_by_role("heading", name=room_name)).to_be_visible()
    expect(page.get_by_role("heading", name=message(m, "room.noRecordsTitle"))).to_be_visible()
    assert_speaks(page, locale, content)

    # A file turned away, in the reader's language.
    page.get_by_test_id("file-input").set_input_files(
        [{"name": "anim.gif", "mimeType": "image/gif", "buffer": b"GIF89a"}]
    )
    expect(page.get_by_text(message(m, "upload.wrongType", name="anim.gif"))).to_be_visible()
    assert_speaks(page, locale, [*content, "anim.gif"])

    # Upload, keyword, generate; every stage arrives.
    upload(page, files)
    page.get_by_label(message(m, "room.keyword")).fill("japandi")
    generate = page.get_by_role("button", name=re.compile(re.escape(message(m, "room.generate"))))
    expect(generate).to_contain_text({"ko": "1크레딧", "en": "1 credit"}[locale])
    generate.click()
    expect(page.get_by_test_id("stage-recommendation")).to_have_attribute(
        "data-status", "ready", timeout=60_000
    )
    live = page.get_by_test_id("live-record")
    expect(live.get_by_test_id("design-image")).to_have_count(4)
    expect(live.get_by_test_id("keyword")).to_have_count(12)
    expect(live.get_by_test_id("story")).to_contain_text(message(m, "record.dimensions"))
    # The story comes in the language the studio shows; keywords stay English search words,
    # shown in the story's language.
    story = live.get_by_test_id("story")
    expect(story).to_have_attribute("lang", locale)
    hangul, latin = (len(re.findall(p, story.inner_text())) for p in (HANGUL, r"[A-Za-z]"))
    assert (hangul > 2 * latin) if locale == "ko" else (hangul == 0), story.inner_text()
    chips = live.get_by_test_id("keyword")
    search_words = [chips.nth(i).get_attribute("data-keyword") or "" for i in range(12)]
    assert all(re.fullmatch(r"[a-z]+", word) for word in search_words), search_words
    shown = chips.all_inner_texts()
    if locale == "ko":
        assert all(re.search(HANGUL, word) for word in shown), shown
    else:
        assert shown == search_words
    expect(page.get_by_test_id("stage-image")).to_contain_text(message(m, "stages.ready"))
    expect(page.get_by_test_id("record-card")).to_have_count(1)
    assert_speaks(page, locale, content)
    shot(page, screenshots, f"i18n-{locale}-room")

    # The record.
    page.get_by_role("link", name=message(m, "room.openRecord")).click()
    page.wait_for_url(re.compile(r"/record/\?id="))
    expect(page.get_by_test_id("design-image")).to_have_count(4)
    for term in ("record.name", "record.dimensions", "record.material"):
        expect(
            page.get_by_test_id("story").get_by_text(message(m, term), exact=True)
        ).to_be_visible()
    expect(page.get_by_text(message(m, "recordPage.inputs"))).to_be_visible()
    # Dates through Intl in the reader's language.
    date = page.get_by_test_id("record-date").inner_text()
    if locale == "ko":
        assert re.fullmatch(r"\d{4}\. \d{1,2}\. \d{1,2}\. (오전|오후) \d{1,2}:\d{2}", date), date
    else:
        assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M", date), date
    assert_speaks(page, locale, content)
    if locale == "ko":
        assert_korean_font(page, base)
    shot(page, screenshots, f"i18n-{locale}-record")

    # The room's settings, published; its public page read without an account.
    page.go_back()
    page.get_by_role("button", name=message(m, "room.settings")).click()
    settings = page.get_by_role("dialog", name=message(m, "roomSettings.title"))
    settings.get_by_role("switch", name=re.compile(message(m, "roomSettings.public"))).check()
    assert_speaks(page, locale, content)
    settings.get_by_role("button", name=message(m, "common.save")).click()
    page.get_by_role("button", name=message(m, "room.share")).click()
    share_url = page.get_by_label(message(m, "share.link")).input_value()
    assert_speaks(page, locale, [*content, share_url])
    anonymous = browser.new_context(locale=BROWSER_LOCALE[locale])
    public = anonymous.new_page()
    public.goto(share_url)
    expect(public.get_by_role("heading", name=room_name)).to_be_visible()
    expect(public.get_by_test_id("public-record").get_by_test_id("design-image")).to_have_count(4)
    assert_speaks(public, locale, content)
    anonymous.close()

    # The reference library.
    page.get_by_role("navigation", name=message(m, "header.nav")).get_by_role(
        "link", name=message(m, "header.library")
    ).click()
    expect(page.get_by_role("heading", name=message(m, "library.title"))).to_be_visible()
    expect(page.get_by_test_id("library-reference").first).to_be_visible()
    assert_speaks(page, locale, content)

    # A phone's width: the header with its switcher still fits.
    page.set_viewport_size({"width": 375, "height": 812})
    page.wait_for_timeout(200)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not errors, errors
    context.close()


def test_switcher_changes_at_once_and_is_saved_on_the_account(
    studio: LiveServer, browser: Any, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    en, ko = catalogue("en"), catalogue("ko")
    base = studio.base_url
    email = f"switch-{uuid.uuid4().hex[:8]}@example.com"
    # An English browser: the reader picks Korean before having an account.
    first = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    first.set_default_timeout(TIMEOUT_MS)
    page = first.new_page()
    page.goto(f"{base}/signup/")
    expect(page.get_by_role("heading", name=message(en, "auth.signupTitle"))).to_be_visible()
    switcher = page.get_by_test_id("language-switcher")
    expect(switcher).to_have_value("en")
    switcher.select_option("ko")
    # At once, without a reload.
    expect(page.get_by_role("heading", name=message(ko, "auth.signupTitle"))).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "ko"
    assert_speaks(page, "ko", [])
    shot(page, screenshots, "i18n-switcher-signup", full_page=False)

    page.get_by_label(message(ko, "auth.email")).fill(email)
    page.get_by_label(message(ko, "auth.password")).fill(PASSWORD)
    page.get_by_role("button", name=message(ko, "auth.createAccount"), exact=True).click()
    page.wait_for_url(f"{base}/")
    expect(page.get_by_role("heading", name=message(ko, "rooms.emptyTitle"))).to_be_visible()
    # The choice made before signing up is now the account's.
    token = read_token(page)
    assert saved_locale(base, token, "ko") == "ko"
    page.reload()
    expect(page.get_by_role("heading", name=message(ko, "rooms.emptyTitle"))).to_be_visible()
    expect(page.get_by_test_id("language-switcher")).to_have_value("ko")

    # Another device with an English browser: the account's Korean wins once signed in.
    second = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    second.set_default_timeout(TIMEOUT_MS)
    other = second.new_page()
    other.goto(f"{base}/login/")
    expect(other.get_by_role("heading", name=message(en, "auth.loginTitle"))).to_be_visible()
    other.get_by_label(message(en, "auth.email")).fill(email)
    other.get_by_label(message(en, "auth.password")).fill(PASSWORD)
    other.get_by_role("button", name=message(en, "auth.signIn"), exact=True).click()
    other.wait_for_url(f"{base}/")
    expect(other.get_by_role("heading", name=message(ko, "rooms.emptyTitle"))).to_be_visible()
    assert_speaks(other, "ko", [email])

    # Switched back to English there: saved, kept over a reload, and followed by the first device.
    other.get_by_test_id("language-switcher").select_option("en")
    expect(other.get_by_role("heading", name=message(en, "rooms.emptyTitle"))).to_be_visible()
    assert saved_locale(base, token, "en") == "en"
    other.reload()
    expect(other.get_by_role("heading", name=message(en, "rooms.emptyTitle"))).to_be_visible()
    assert other.evaluate("document.documentElement.lang") == "en"
    page.reload()
    expect(page.get_by_role("heading", name=message(en, "rooms.emptyTitle"))).to_be_visible()
    second.close()
    first.close()


@pytest.fixture(scope="module")
def invite_studio(
    web_build: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The studio where sign-up needs an invite code."""
    server = launch_studio(
        tmp_path_factory.mktemp("invite-studio"), web_build, signup_mode="invite"
    )
    yield server
    server.stop()


def test_invite_only_sign_up_in_korean(invite_studio: LiveServer, browser: Any) -> None:
    from playwright.sync_api import expect

    ko = catalogue("ko")
    base = invite_studio.base_url
    made = subprocess.run(
        [CLI, "invites", "create"],
        env=invite_studio.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    code = re.search(r"invite code: (\S+)", made.stdout)
    assert code, made.stdout
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()

    # Without the code: the field is there, and a wrong code is answered in Korean.
    page.goto(f"{base}/signup/")
    invite = page.get_by_label(message(ko, "auth.inviteCode"))
    expect(invite).to_be_visible()
    invite.fill("not-a-code")
    page.get_by_label(message(ko, "auth.email")).fill(f"invited-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_label(message(ko, "auth.password")).fill(PASSWORD)
    page.get_by_role("button", name=message(ko, "auth.createAccount"), exact=True).click()
    expect(page.locator("form").get_by_role("alert")).to_have_text(
        message(ko, "errors.InviteRequired")
    )
    assert_speaks(page, "ko", [])

    # An invite link fills the code in.
    page.goto(f"{base}/signup/?invite={code.group(1)}")
    expect(page.get_by_label(message(ko, "auth.inviteCode"))).to_have_value(code.group(1))
    page.get_by_label(message(ko, "auth.email")).fill(f"invited-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_label(message(ko, "auth.password")).fill(PASSWORD)
    page.get_by_role("button", name=message(ko, "auth.createAccount"), exact=True).click()
    page.wait_for_url(f"{base}/")
    expect(page.get_by_role("heading", name=message(ko, "rooms.emptyTitle"))).to_be_visible()
    context.close()
