"""The committed TypeScript client matches the API: web/openapi.json is the app's current spec,
and web/src/api/schema.d.ts is what openapi-typescript makes of it. Fix with `make web-client`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.web.openapi_spec import COMMITTED_SPEC, REPO, current_spec, render

WEB = REPO / "web"


def test_committed_spec_is_the_apps_spec() -> None:
    committed = json.loads(COMMITTED_SPEC.read_text(encoding="utf-8"))
    fresh = current_spec()
    old_paths, new_paths = committed.get("paths", {}), fresh.get("paths", {})
    changed = sorted(p for p in {*old_paths, *new_paths} if old_paths.get(p) != new_paths.get(p))
    old_schemas = committed.get("components", {}).get("schemas", {})
    new_schemas = fresh.get("components", {}).get("schemas", {})
    changed += sorted(
        s for s in {*old_schemas, *new_schemas} if old_schemas.get(s) != new_schemas.get(s)
    )
    assert committed == fresh, (
        "web/openapi.json is stale (run `make web-client` and commit web/openapi.json and "
        f"web/src/api/schema.d.ts); what differs: {changed or 'metadata'}"
    )
    # Byte-for-byte too, so the file is always the canonical rendering.
    assert COMMITTED_SPEC.read_text(encoding="utf-8") == render(fresh)


def test_generated_client_matches_spec(web_build: Path) -> None:
    # web_build ran `make web`, which installed web/node_modules (openapi-typescript).
    node = shutil.which("node")
    generator = WEB / "node_modules" / "openapi-typescript"
    if node is None or not generator.is_dir():
        reason = "node or web/node_modules is missing (run `make web`)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    result = subprocess.run(
        [node, "scripts/check-client.mjs"], cwd=WEB, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
