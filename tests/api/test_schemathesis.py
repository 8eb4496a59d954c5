"""Schemathesis against a real `layerminder serve`: every check, the stateful phase included,
as an admin account. It must find nothing: no server error, no response that differs from
/openapi.json, no undocumented status.

Its size is set for a loaded 2-core machine (about a minute and a half): MAX_EXAMPLES cases per
operation in the fuzzing phase, and a fixed seed so a failure is reproducible
(`st replay` / the printed curl line). Raise LM_SCHEMATHESIS_EXAMPLES to search harder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live import REPO_ROOT, server_env, start_server

MAX_EXAMPLES = int(os.environ.get("LM_SCHEMATHESIS_EXAMPLES", "8"))
SEED = int(os.environ.get("LM_SCHEMATHESIS_SEED", "20261203"))
EMAIL = "contract@studio.io"
PASSWORD = "schemathesis-admin-pass"
BIN = Path(sys.executable).parent
CONFIG = Path(__file__).with_name("schemathesis.toml")


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_schemathesis_finds_nothing(tmp_path: Path) -> None:
    env = server_env(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'lm.db'}")
    subprocess.run(
        [BIN / "layerminder", "users", "create", EMAIL, "--password", PASSWORD, "--admin"],
        env=env,
        check=True,
        capture_output=True,
        cwd=REPO_ROOT,
    )
    server = start_server(env, tmp_path / "server.log")
    try:
        st_env = {
            **os.environ,
            "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_hooks",
            "PYTHONPATH": str(REPO_ROOT),
            "LM_ST_BASE_URL": server.base_url,
            "LM_ST_EMAIL": EMAIL,
            "LM_ST_PASSWORD": PASSWORD,
            "NO_COLOR": "1",
        }
        result = subprocess.run(
            [
                BIN / "schemathesis",
                "--config-file",
                str(CONFIG),
                "run",
                f"{server.base_url}/openapi.json",
                "--checks",
                "all",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--max-examples",
                str(MAX_EXAMPLES),
                "--seed",
                str(SEED),
                "--workers",
                "1",
                "--request-timeout",
                "30",
                "--suppress-health-check",
                "too_slow",
            ],
            env=st_env,
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=540,
        )
    finally:
        server.stop()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-20000:]
    assert "Traceback" not in server.log(), server.log()[-5000:]
