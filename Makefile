# hdnd — the two commands a new user needs:
#   make run    install, create the site with demo data, serve it
#   make test   install what the tests need and run the whole suite
PYTHON ?= python3.11
VENV := .venv
PIP := $(VENV)/bin/pip
HDND := $(VENV)/bin/hdnd
PINS := -c constraints.txt

SOURCES := setup.py constraints.txt src/hdnd.content/setup.py src/hdnd.policy/setup.py

.PHONY: validators axe run install ldap system system-test test test-unit bench serve setup clean-data help i18n workflows

help:
	@echo "make run    install hdnd, create the site 'hdnd' with demo data, serve it on http://127.0.0.1:8080/hdnd"
	@echo "make test   install the test requirements and run the whole test suite"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q $(PINS) "setuptools<82" wheel

# Re-installs when a setup.py or the pins change.
$(VENV)/.installed: $(VENV)/bin/python $(SOURCES)
	$(PIP) install -q $(PINS) -e src/hdnd.content -e src/hdnd.policy -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -q $(PINS) -e ".[test]"
	touch $@

# The E-ARK reference validator in a venv of its own: it pins lxml 5.1.0,
# Plone's pins lxml 6. The tests and `hdnd package verify --eark` run it there.
VALIDATORS := .venv-validators
$(VALIDATORS)/.installed: constraints-validators.txt
	$(PYTHON) -m venv --clear $(VALIDATORS)
	$(VALIDATORS)/bin/pip install -q -c constraints-validators.txt eark-validator
	touch $@

validators: $(VALIDATORS)/.installed

# axe-core for the browser tests' accessibility checks (tests/axe): npm ci from
# the lock file, its cache under var/; the tests then read it offline.
AXE := tests/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/axe/package.json tests/axe/package-lock.json
	cd tests/axe && npm ci --prefer-offline --no-audit --no-fund --cache $(CURDIR)/var/npm-cache
	touch $@

axe: $(AXE)

install: $(VENV)/.installed

# Directory sign-in (LDAP / Active Directory): pas.plugins.ldap, whose
# python-ldap builds against Debian's OpenLDAP and SASL headers.
ldap: $(VENV)/.installed
	@bash scripts/system-packages.sh build-essential libldap2-dev libsasl2-dev
	$(PIP) install -q $(PINS) -e ".[ldap]"

# LibreOffice (PDF, DOCX) and the other Debian packages, when missing.
system:
	@bash scripts/system-packages.sh

setup: system install
	$(HDND) setup --demo

serve: install
	$(HDND) serve

run: setup
	$(HDND) serve

# What the tests start for real besides LibreOffice: PostgreSQL (the RelStorage
# profile), a PKCS#11 token (SoftHSM), the compiler psycopg2 may need, and
# Debian's headless chromium with its chromedriver (the browser tests), and
# OpenLDAP's slapd with the headers python-ldap builds with (directory sign-in).
system-test:
	@bash scripts/system-packages.sh build-essential libpq-dev postgresql softhsm2 chromium chromium-driver nodejs slapd libldap2-dev libsasl2-dev

test: system-test $(VENV)/.installed-test $(VALIDATORS)/.installed $(AXE)
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

test-unit: $(VENV)/.installed-test
	$(VENV)/bin/python -m pytest tests/unit $(PYTEST_ARGS)

# Figures, not assertions: hdnd next to plain Plone on the same run (bench/).
bench: system $(VENV)/.installed-test
	$(VENV)/bin/python -m pytest bench -o python_files='bench_*.py' -s -q -p no:warnings

clean-data:
	@echo "This deletes var/ (the database and blobs). Ctrl-C to keep it."; sleep 5; rm -rf var

# Write the workflows' GenericSetup profile and docs/permissions.md from
# hdnd.content.workflows.definitions (a test fails when they disagree).
workflows: $(VENV)/.installed
	$(VENV)/bin/python -m hdnd.content.workflows.render .

# Rebuild the message catalog after changing message ids, then translate.
i18n: $(VENV)/.installed-test
	bash scripts/i18n.sh
