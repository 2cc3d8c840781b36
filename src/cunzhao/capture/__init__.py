"""Stage 1 — capture: bytes plus provenance, nothing interpreted."""

from cunzhao.capture.model import Capture, CaptureError, Skipped
from cunzhao.capture.sources import iter_captures

__all__ = ["Capture", "CaptureError", "Skipped", "iter_captures"]
