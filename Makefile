# Two commands set up a fresh machine: `make run` (the product) and `make test` (the suite).
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint web-lint typecheck pytest web web-client browser bench format clean

$(UV):
	python3 -m pip install --user --quiet uv

setup: $(UV)
	$(UV) sync --frozen

# The web studio's static export; rebuilt only when its sources changed.
# flock: `make run` and test runs may build at once in one tree; npm ci must not race itself.
web:
	@if [ -f web/package.json ]; then flock web/.build.lock $(MAKE) -s web/out/index.html; fi

web/out/index.html: $(shell find web/src web/public web/package.json web/package-lock.json web/next.config.* web/postcss.config.* web/tsconfig.json -type f 2>/dev/null)
	cd web && npm ci --no-audit --no-fund && NEXT_TELEMETRY_DISABLED=1 npm run build

# Regenerate web/openapi.json and the typed client web/src/api/schema.d.ts after an API change;
# tests/web/test_client_fresh.py fails while they are stale.
web-client: setup
	web/scripts/gen-client.sh

# Debian's Chromium for the browser tests (never a browser download); needs root to install.
browser:
	@command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

run: setup web
	$(UV) run layerminder serve --host $(HOST) --port $(PORT)

# lint-imports: the import contracts in pyproject.toml (infrastructure imports no domain; no cycles).
lint: setup
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run lint-imports

# ESLint with Next's config (web/eslint.config.mjs) on the web sources; `web` ran npm ci.
web-lint: web
	@if [ -f web/package.json ]; then cd web && npm run -s lint; fi

typecheck: setup
	$(UV) run mypy

pytest: setup
	$(UV) run pytest

test: setup web web-lint browser lint typecheck pytest

format: setup
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

bench: setup
	$(UV) run python bench/pipeline.py

clean:
	rm -rf .venv .mypy_cache .ruff_cache .pytest_cache .import_linter_cache web/out web/.next
