"""`layerminder generate`: Ctrl-C cancels the record (issue 16) instead of killing the job."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import make_image
from tests.jobcontrol.common import TUNABLE_IMAGES, steer
from tests.live import CLI, REPO_ROOT

pytestmark = pytest.mark.slow


def test_ctrl_c_cancels_the_generation_and_refunds(tmp_path: Path) -> None:
    image = tmp_path / "input.png"
    image.write_bytes(make_image("PNG", color=(180, 120, 60)))
    control = tmp_path / "control.json"
    steer(control, image_delay=120)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAYERMINDER_")}
    env.update(
        {
            "LAYERMINDER_DATA_DIR": str(tmp_path / "data"),
            "LAYERMINDER_SEED_LIBRARY": "false",
            "LAYERMINDER_IMAGE_PROVIDER": TUNABLE_IMAGES,
            "LAYERMINDER_TEST_CONTROL_FILE": str(control),
            "PYTHONPATH": str(REPO_ROOT),
            "COLUMNS": "200",
        }
    )
    out = tmp_path / "out"
    log = tmp_path / "cli.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [CLI, "generate", str(image), "--keyword", "minimal", "--out", str(out)],
            env=env,
            cwd=REPO_ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 180
            # Rich's live table is drawn only at the end when the output is not a terminal: the
            # record line comes first, then the job starts its 2-minute image stage.
            while "record " not in log.read_text(errors="replace"):
                assert process.poll() is None, log.read_text(errors="replace")
                assert time.monotonic() < deadline, log.read_text(errors="replace")
                time.sleep(0.2)
            time.sleep(3)
            interrupted = time.monotonic()
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=30)
            took = time.monotonic() - interrupted
        finally:
            if process.poll() is None:
                process.kill()
    output = log.read_text(errors="replace")
    assert code == 130, output
    assert took < 10, f"exited {took:.1f}s after Ctrl-C"
    assert "cancelled (credit refunded)" in output
    state = json.loads((out / "story.json").read_text(encoding="utf-8"))
    assert state["cancelled"] and state["refunded"]
    assert state["image_status"] == "cancelled" and state["designs"] == []
