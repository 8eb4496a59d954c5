# Two commands set up a fresh machine: `make run` (the product) and `make test` (the suite).
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup clip export-extra lint web-lint typecheck pytest web web-client browser bench format clean

$(UV):
	python3 -m pip install --user --quiet uv

# --inexact: keep what `make export-extra` added (torch's CPU build is not in uv.lock).
setup: $(UV)
	$(UV) sync --frozen --inexact

# The optional `export` extra (torch, transformers, onnx) in the project's own venv, for
# `layerminder models export-clip`. uv.lock resolves torch to the CUDA build (~3 GB of nvidia
# wheels), so torch comes from its CPU build: a wheel on disk where there is one (TORCH_WHEEL),
# else PyTorch's CPU index; everything else at uv.lock's versions, --no-deps so that no version
# range can pull the CUDA torch back in.
TORCH_VERSION := 2.13.0
TORCH_WHEEL ?= $(firstword $(wildcard /opt/wheels/torch-$(TORCH_VERSION)+cpu-cp311-*.whl))
export-extra: setup
	@set -eo pipefail; \
	$(UV) export --quiet --frozen --extra export --no-dev --no-hashes --no-emit-project \
		--no-header --no-annotate | grep -vE '^(torch|triton|nvidia-|cuda-)' > .venv/export-extra.txt; \
	$(UV) pip install --quiet --no-deps -r .venv/export-extra.txt; \
	if [ -n "$(TORCH_WHEEL)" ]; then \
		$(UV) pip install --quiet --no-index --no-deps "$(TORCH_WHEEL)"; \
	else \
		$(UV) pip install --quiet --no-deps --index-url https://download.pytorch.org/whl/cpu \
			torch==$(TORCH_VERSION); \
	fi; \
	$(UV) run --no-sync python -c 'import torch, transformers, onnx; print("export extra: torch", torch.__version__)'

# From nothing to CLIP: the extra, then openai/clip-vit-base-patch32 (or CLIP_SOURCE, a hub id or
# a local folder) exported to <data dir>/models/clip, where the server finds it on its next start.
CLIP_SOURCE ?= openai/clip-vit-base-patch32
clip: export-extra
	$(UV) run --no-sync layerminder models export-clip --source "$(CLIP_SOURCE)"

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

# Where torch's CPU wheel is on disk, the export tests (tests/cli/test_models.py) run, never skip.
# Two pytest-xdist workers, a test file each at a time (its module fixtures start servers once):
# most tests wait on servers, workers and a browser, so two halve the suite even on 2 cores.
PYTEST_WORKERS ?= 2
pytest: setup
	@if [ -n "$(TORCH_WHEEL)" ]; then $(MAKE) -s export-extra; fi
	$(if $(TORCH_WHEEL),LAYERMINDER_REQUIRE_EXPORT_TESTS=1) $(UV) run pytest \
		-n $(PYTEST_WORKERS) --dist loadfile --durations=15

test: setup web web-lint browser lint typecheck pytest

format: setup
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

bench: setup
	$(UV) run python bench/pipeline.py

clean:
	rm -rf .venv .mypy_cache .ruff_cache .pytest_cache .import_linter_cache web/out web/.next
