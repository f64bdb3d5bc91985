"""`hdnd audit verify` and `hdnd audit export` on a real FileStorage database:
an intact log exits 0 with its head; a tampered one exits 1 naming the entry."""

from pathlib import Path

import os
import pytest
import subprocess
import sys
import textwrap


pytestmark = pytest.mark.server

HDND = str(Path(sys.executable).with_name("hdnd"))

# Run with the same Python: opens the database as `hdnd` does, then works in the site.
SCRIPT = textwrap.dedent("""
    import sys
    import transaction
    from hdnd.policy.cli import parser
    from hdnd.policy.cli.database import open_app
    from hdnd.policy.cli.instance import write_instance
    from zope.component.hooks import setSite
    from hdnd.content import audit

    app = open_app(write_instance(parser().parse_args(["instance"])))
    site = app["hdnd"]
    setSite(site)
    log = audit.get_log(site)
    what = sys.argv[1]
    if what == "append":
        doc = site["van-ban"]
        for copies in range(1, 6):
            audit.record("print", doc, actor="vanthu", copies=copies, ghi_chu="Bản sao tài liệu mật")
    elif what == "tamper":
        changed, deleted = int(sys.argv[2]), int(sys.argv[3])
        log._entries[changed] = {**log._entries[changed], "details": {"copies": 0}}
        del log._entries[deleted]
    transaction.commit()
    print("%s:%s" % log.head())
    app._p_jar.close()
""")


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDND_")}
    env.update(HDND_VAR=str(var))
    done = subprocess.run([HDND, "setup"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return env


def run(env, *args):
    return subprocess.run([HDND, *args], env=env, capture_output=True, text=True, timeout=120)


def script(env, *args):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]  # the head, SEQ:HASH


def test_verify_finds_tampering(instance, tmp_path):
    noted = script(instance, "append")
    last = int(noted.split(":")[0])
    intact = run(instance, "audit", "verify", "--expect", noted)
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert f"is intact: {last} entries" in intact.stdout
    assert f"hdnd: head {noted}" in intact.stdout

    export = tmp_path / "audit.csv"
    assert run(instance, "audit", "export", "--csv", str(export)).returncode == 0
    assert export.read_bytes().startswith("\ufeffseq,".encode("utf-8"))
    assert "Bản sao tài liệu mật" in export.read_text(encoding="utf-8")
    assert run(instance, "audit", "verify", "--csv", str(export)).returncode == 0

    script(instance, "tamper", str(last - 3), str(last - 1))
    tampered = run(instance, "audit", "verify")
    assert tampered.returncode == 1
    assert "has been tampered with" in tampered.stdout
    assert f"entry {last - 3}: hash mismatch, the entry was changed" in tampered.stdout
    assert f"entry {last}: sequence gap, entry {last - 1} missing" in tampered.stdout
    assert "Traceback" not in tampered.stderr

    # The file exported before the tampering still verifies; changed, it does not.
    assert run(instance, "audit", "verify", "--csv", str(export)).returncode == 0
    text = export.read_text(encoding="utf-8")
    assert '""copies"":2' in text  # details are JSON in a quoted CSV field
    export.write_text(text.replace('""copies"":2', '""copies"":7'), encoding="utf-8")
    offline = run(instance, "audit", "verify", "--csv", str(export))
    assert offline.returncode == 1
    assert "hash mismatch, the entry was changed" in offline.stdout
