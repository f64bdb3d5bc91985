"""The classic deployment (buildout.cfg) uses the same pins as pip.

Fast and Zope-free: the real buildout run is scripts/check_buildout.sh.
"""

from pathlib import Path

import configparser
import importlib.util
import re

import pytest


ROOT = Path(__file__).resolve().parent.parent


def load_generator():
    spec = importlib.util.spec_from_file_location("versions_cfg", ROOT / "scripts" / "versions_cfg.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def read_cfg(name):
    parser = configparser.ConfigParser(interpolation=None)  # buildout's ${...} is not configparser's
    parser.optionxform = str  # keep keys as written
    parser.read_string((ROOT / name).read_text(encoding="utf-8"), source=name)
    return parser


def lines(value):
    return value.split()


def test_versions_cfg_is_generated_from_constraints():
    generator = load_generator()
    wanted = generator.render((ROOT / "constraints.txt").read_text(encoding="utf-8"))
    assert (ROOT / "versions.cfg").read_text(encoding="utf-8") == wanted, (
        "versions.cfg drifted from constraints.txt: run `python scripts/versions_cfg.py`"
    )


def test_versions_cfg_pins_every_constraint_with_the_same_version():
    generator = load_generator()
    pins = dict(generator.parse((ROOT / "constraints.txt").read_text(encoding="utf-8")))
    versions = read_cfg("versions.cfg")["versions"]
    assert {canonical(k): v for k, v in versions.items()} == {canonical(k): v for k, v in pins.items()}
    # buildout looks these two up by their literal dotted name (see SPELLING).
    assert "zc.buildout" in versions and "zc.recipe.egg" in versions
    for needed in ("plone-recipe-zope2instance", "setuptools", "pip", "wheel", "plone", "zeo"):
        assert needed in pins, f"{needed} has no pin in constraints.txt"


@pytest.mark.parametrize("line", ["foo>=1.0", "-e src/hdnd.content", "bar"])
def test_generator_refuses_lines_that_are_not_exact_pins(line):
    with pytest.raises(ValueError, match="not a `name==version` pin"):
        load_generator().parse(f"# comment\nok==1\n{line}\n")


def test_generator_keeps_names_and_ignores_comments():
    generator = load_generator()
    text = "# header\n\nplone-app-testing==8.0.2  # why\nzc-buildout==5.2.0\n"
    assert generator.parse(text) == [("plone-app-testing", "8.0.2"), ("zc-buildout", "5.2.0")]
    rendered = generator.render(text)
    assert "\n[versions]\n" in rendered
    pairs = [line.split("=") for line in rendered.splitlines() if "=" in line and not line.startswith("#")]
    assert [(k.strip(), v.strip()) for k, v in pairs] == [("plone-app-testing", "8.0.2"), ("zc.buildout", "5.2.0")]


def test_buildout_cfg_builds_hdnd_with_only_pinned_versions():
    cfg = read_cfg("buildout.cfg")
    buildout = cfg["buildout"]
    assert lines(buildout["extends"]) == ["versions.cfg"]
    assert lines(buildout["develop"]) == ["src/hdnd.content", "src/hdnd.policy"]
    assert buildout["allow-picked-versions"] == "false"
    assert lines(buildout["parts"]) == ["instance"]
    instance = cfg["instance"]
    assert instance["recipe"] == "plone.recipe.zope2instance"
    eggs = lines(instance["eggs"])
    assert {"Plone", "hdnd.content", "hdnd.policy", "ZEO"} <= set(eggs)
    assert instance["user"] == "admin:admin"
    assert instance["http-address"] == "127.0.0.1:8080"
    environment = dict(line.split(None, 1) for line in instance["environment-vars"].strip().splitlines())
    assert environment == {"TZ": "Asia/Ho_Chi_Minh", "zope_i18n_compile_mo_files": "true"}
