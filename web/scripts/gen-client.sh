#!/usr/bin/env bash
# Regenerate the typed API client: dump the FastAPI app's OpenAPI spec to web/openapi.json, then
# turn it into web/src/api/schema.d.ts with openapi-typescript. Run after any API change
# (`make web-client`); tests/web/test_client_fresh.py fails while either file is stale.
set -euo pipefail
cd "$(dirname "$0")/../.."
uv run python -m tests.web.openapi_spec web/openapi.json
cd web
[ -d node_modules ] || npm ci --no-audit --no-fund
npx openapi-typescript openapi.json -o src/api/schema.d.ts
