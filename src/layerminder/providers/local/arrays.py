"""The array type the local providers compute with."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

# float32 in practice; typed loosely because numpy's arithmetic promotes in the stubs.
FloatArray = npt.NDArray[np.floating[Any]]
