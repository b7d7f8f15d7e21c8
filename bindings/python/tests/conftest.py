"""Shared fixtures: the repository root and the keyvet command line the
parity tests compare with (built by `cargo build`; KEYVET_CLI overrides)."""

import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def cli() -> str:
    env = os.environ.get("KEYVET_CLI")
    candidates = [env] if env else [ROOT / "target/debug/keyvet", ROOT / "target/release/keyvet"]
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return str(c)
    raise RuntimeError(
        "the keyvet command line is needed to compare with: run `cargo build` first, or set KEYVET_CLI"
    )
