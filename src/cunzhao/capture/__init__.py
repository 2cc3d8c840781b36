"""Stage 1 — capture: bytes plus provenance, nothing interpreted."""

from cunzhao.capture.model import Capture, CaptureError, Skipped

__all__ = ["Capture", "CaptureError", "Skipped"]
