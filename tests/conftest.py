"""Shared fixtures: engines configured for one rule, and paths to the bundled example mails."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from patchlint.engine import Engine



@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    """Write a YAML configuration into a temporary file and return its path."""

    def write(text: str, name: str = "patchlint.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def engine_for(write_config: Callable[[str], Path]) -> Callable[..., Engine]:
    """An engine running only the selected rules (codes or names)."""

    def build(*selectors: str, extra: str = "") -> Engine:
        listed = ", ".join(selectors)
        return Engine(write_config(f"select: [{listed}]\n{extra}"))

    return build
