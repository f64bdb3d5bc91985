"""Each deployment profile renders to a zope.conf that Zope's own schema
accepts, with the storage it promises. Running them against real ZEO and
PostgreSQL servers: tests/server/test_storages.py."""

from hdnd.policy import cli
from hdnd.policy.cli import instance
from Zope2.Startup.options import ZopeWSGIOptions

import pytest


def render(tmp_path, *argv):
    args = cli.parser().parse_args(["--var", str(tmp_path / "var"), *argv, "instance"])
    return instance.write_instance(args)


@pytest.mark.parametrize(
    "profile, storage",
    [
        ("filestorage", "BlobStorage"),
        ("zeo", "ZEOClient"),
        ("relstorage", "RelStorageFactory"),
        ("confidential", "BlobStorage"),
    ],
)
def test_profile_is_a_valid_zope_configuration(tmp_path, profile, storage):
    zope_conf = render(tmp_path, "--profile", profile, "--port", "8123")
    # Parsed exactly as `runwsgi` parses it (without opening the storage).
    config = ZopeWSGIOptions(configfile=str(zope_conf))().configroot
    (database,) = config.databases
    assert database.config.mount_points == ["/"]
    assert type(database.config.storage).__name__ == storage
    assert config.instancehome == str((tmp_path / "var").resolve())
    ini = zope_conf.with_name("zope.ini").read_text()
    assert "listen = 127.0.0.1:8123" in ini
    assert "{{" not in zope_conf.read_text() + ini


def test_zeo_profile_writes_the_server_configuration(tmp_path):
    zope_conf = render(tmp_path, "--profile", "zeo", "--zeo-address", "127.0.0.1:8765")
    zeo_conf = zope_conf.with_name("zeo.conf").read_text()
    assert "address 127.0.0.1:8765" in zeo_conf
    assert "server 127.0.0.1:8765" in zope_conf.read_text()


def test_relstorage_profile_takes_the_dsn(tmp_path):
    dsn = "dbname=x user=y host=127.0.0.1"
    zope_conf = render(tmp_path, "--profile", "relstorage", "--pg-dsn", dsn)
    assert f"dsn {dsn}" in zope_conf.read_text()


def test_unknown_profile_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli.parser().parse_args(["--profile", "mysql", "instance"])
    assert "invalid choice: 'mysql'" in capsys.readouterr().err


def test_configuration_is_private_and_var_is_relative_to_the_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # run from elsewhere: var/ is still the project's
    args = cli.parser().parse_args(["--var", "var-test-relative", "instance"])
    home = instance.find_home()
    try:
        zope_conf = instance.write_instance(args)
        assert zope_conf == home / "var-test-relative" / "etc" / "zope.conf"
        assert zope_conf.stat().st_mode & 0o077 == 0
    finally:
        import shutil

        shutil.rmtree(home / "var-test-relative")
