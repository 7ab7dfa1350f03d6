"""Every docstring example in the build pipeline runs (the library's are in test_library)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import policydata_build

MODULES = sorted(m.name for m in pkgutil.iter_modules(policydata_build.__path__, "policydata_build."))


@pytest.mark.parametrize("name", MODULES)
def test_build_module_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0


def test_the_pipeline_steps_have_examples():
    with_examples = {n for n in MODULES if doctest.testmod(importlib.import_module(n)).attempted}
    for step in ("pages", "repair", "toc", "blocks", "provisions", "documents", "deadlines", "tags", "regions", "agencies",
                 "responsibility", "numerals"):
        assert f"policydata_build.{step}" in with_examples, step
