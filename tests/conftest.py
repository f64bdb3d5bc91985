"""Shared test set-up. Plone layers live in tests/integration/conftest.py so
that the plain-Python unit tests import no Zope at all."""

import os


# Compile the .po catalogs when Zope loads them (as the deployment profiles do).
os.environ.setdefault("zope_i18n_compile_mo_files", "true")
