"""Runs the matching benchmark at a tiny size so the script keeps working."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bench_matching.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_matching", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_runs_and_the_optimum_beats_or_equals_greedy() -> None:
    result = load().bench(150)
    assert result["sparse_equals_dense"] is True and result["plan_equals_dense"] is True
    assert result["families_matched"] == result["max_families_possible"]
    greedy = result["greedy"]
    assert greedy["families_matched"] <= result["families_matched"]
    assert result["families_matched"] <= result["families_available"] <= 150


def test_dense_city_benchmark_equals_the_uncapped_solve_at_a_tiny_size() -> None:
    result = load().bench_city(60, 90, 1.0)
    assert result["plan_equals_uncapped"] is True
    assert 0 < result["families_matched"] <= 90
    assert result["candidate_pairs"] > 60 * 90 // 10  # one town: most pairs are in reach
