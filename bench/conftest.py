"""The benchmarks run on the test layers (a real Zope and Plone in this
process): ``make bench``. They print figures and assert nothing about time."""

from hdnd.policy.testing import HDND_FUNCTIONAL_TESTING
from pytest_plone import fixtures_factory

import os


os.environ.setdefault("zope_i18n_compile_mo_files", "true")
# Functional: the benchmarks commit, as real work does.
globals().update(fixtures_factory(((HDND_FUNCTIONAL_TESTING, "functional"),)))
