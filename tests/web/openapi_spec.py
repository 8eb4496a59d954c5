"""The API's OpenAPI spec in the canonical form committed as web/openapi.json.

`python -m tests.web.openapi_spec web/openapi.json` writes it (web/scripts/gen-client.sh runs
this before openapi-typescript); test_client_fresh.py compares it with the committed copy.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from layerminder.app import create_app
from layerminder.config import Settings

REPO = Path(__file__).resolve().parents[2]
COMMITTED_SPEC = REPO / "web" / "openapi.json"


def current_spec() -> dict[str, Any]:
    # No .env and no web build: the spec must not depend on this machine's settings.
    settings = Settings(_env_file=None, web_dir=REPO / "web" / "no-such-build")
    return create_app(settings).openapi()


def render(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> None:
    target = Path(argv[1]) if len(argv) > 1 else COMMITTED_SPEC
    target.write_text(render(current_spec()), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv)
