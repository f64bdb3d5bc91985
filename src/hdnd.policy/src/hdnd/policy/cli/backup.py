"""`hdnd backup` and `hdnd restore`: the database and its blobs, with
repozo (FileStorage, ZEO) or pg_dump (RelStorage)."""

from hdnd.policy.cli.instance import data_dir
from pathlib import Path

import calendar
import json
import re
import shutil
import subprocess
import sys
import time
import zc.lockfile


def _storage_files(args):
    """The FileStorage and blob directory of this profile's data, or None
    (RelStorage keeps both in PostgreSQL)."""
    var = data_dir(args)
    if args.profile == "relstorage":
        return None
    if args.profile == "zeo":  # on the machine of the ZEO server
        return var / "zeo" / "Data.fs", var / "zeo" / "blobstorage"
    return var / "filestorage" / "Data.fs", var / "blobstorage"


def _mirror(source: Path, target: Path):
    """Copy the blob files ``target`` lacks. Blobs are never changed once
    written, so a file already there is the same file; none is removed, so
    that an older database backup still finds its blobs."""
    copied = 0
    for path in source.rglob("*"):
        if path.is_file():
            destination = target / path.relative_to(source)
            if not destination.exists() or destination.stat().st_size != path.stat().st_size:
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)
                copied += 1
    return copied


def _run(command):
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"hdnd: {Path(str(command[0])).name} failed: {(done.stderr or done.stdout).strip()}")
    return done.stdout


def cmd_backup(args):
    """Back up the database and its files into a folder, while the site runs:
    repozo (full, then incremental) and the new blobs for FileStorage and
    ZEO; pg_dump for RelStorage."""
    target = Path(args.folder)
    target.mkdir(parents=True, exist_ok=True)
    files = _storage_files(args)
    if files is None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        dump = target / f"hdnd-{stamp}.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", dump, "--dbname", args.pg_dsn])
        print(f"hdnd: PostgreSQL dumped to {dump} ({dump.stat().st_size} bytes)")
        if args.keep:
            for old in sorted(target.glob("hdnd-*.dump"))[:-args.keep]:
                old.unlink()
                print(f"hdnd: removed {old.name} (--keep {args.keep})")
        return
    data, blobs = files
    if not data.exists():
        raise SystemExit(f"hdnd: there is no database at {data}")
    (target / "filestorage").mkdir(exist_ok=True)
    # repozo names its files by the second (UTC); two backups in one second
    # would sort the increment before the full backup and lose it on recovery.
    while any(p.name.startswith(time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime()))
              for p in (target / "filestorage").iterdir()):
        time.sleep(0.2)
    repozo = Path(sys.executable).with_name("repozo")
    # The database first, then the blobs: every blob the backup refers to
    # exists by the time the blobs are copied.
    started = time.time()
    _run([repozo, "--backup", "--quick", "--gzip", "--repository", target / "filestorage", "--file", data])
    copied = _mirror(blobs, target / "blobstorage")
    print(f"hdnd: database backed up in {target / 'filestorage'}, {copied} new blob file(s) in {target / 'blobstorage'}")
    gone = _note_gone_blobs(blobs, target / "blobstorage", started)
    if args.keep:
        _age_out(target, gone, args.keep)


GONE = ".hdnd-gone.json"


def _note_gone_blobs(live: Path, kept: Path, now):
    """Blob files the backup holds that the live database no longer has (a
    pack after a destruction removed them), with when a backup first saw
    them gone: {relative path: time}."""
    path = kept.parent / GONE  # beside the blobs: a restore copies blobstorage/ back
    gone = json.loads(path.read_text()) if path.exists() else {}
    for found in kept.rglob("*.blob"):
        name = str(found.relative_to(kept))
        if not (live / name).exists():
            gone.setdefault(name, now)
    gone = {n: t for n, t in gone.items() if (kept / n).exists() and not (live / n).exists()}
    path.write_text(json.dumps(gone, indent=0, sort_keys=True))
    return gone


def _age_out(target: Path, gone, keep):
    """Keep the ``keep`` newest full backups (each with its increments);
    remove older ones, then the blob files only they still needed: those
    gone from the live database before the oldest full backup kept."""
    folder = target / "filestorage"
    stamp = re.compile(r"(\d{4}(?:-\d\d){5})\.")
    fulls = sorted(p.name[:19] for p in folder.glob("*.fsz")) + sorted(p.name[:19] for p in folder.glob("*.fs"))
    fulls = sorted(set(fulls))
    if len(fulls) <= keep:
        return
    oldest = fulls[-keep]
    removed = 0
    for path in folder.iterdir():
        found = stamp.match(path.name)
        if found and found.group(1) < oldest:
            path.unlink()
            removed += 1
    since = calendar.timegm(time.strptime(oldest, "%Y-%m-%d-%H-%M-%S"))
    blobs = target / "blobstorage"
    # repozo names a backup by the second it began, after the run that saw
    # the blob gone had begun: compare whole seconds (a fraction of the same
    # second kept the blob, whenever repozo did not cross into the next one).
    pruned = [name for name, when in gone.items() if int(when) <= since]
    for name in pruned:
        (blobs / name).unlink(missing_ok=True)
        try:
            (blobs / name).parent.rmdir()  # the object's folder, once empty
        except OSError:
            pass
    (target / GONE).write_text(json.dumps({n: t for n, t in gone.items() if n not in pruned}, indent=0, sort_keys=True))
    print(f"hdnd: kept the {keep} newest full backup(s) (from {oldest} UTC): removed {removed} older file(s) "
          f"and {len(pruned)} blob file(s) the live database no longer has")


def cmd_restore(args):
    """Restore a folder written by `hdnd backup` (the server stopped): the
    database as of the last backup (or --date), and its blobs."""
    source = Path(args.folder)
    files = _storage_files(args)
    if files is None:
        dumps = sorted(source.glob("hdnd-*.dump"))
        if not dumps:
            raise SystemExit(f"hdnd: no hdnd-*.dump in {source}")
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--dbname", args.pg_dsn, dumps[-1]])
        print(f"hdnd: PostgreSQL restored from {dumps[-1]}")
        return
    data, blobs = files
    if not (source / "filestorage").is_dir():
        raise SystemExit(f"hdnd: {source} holds no backup (no filestorage/ folder)")
    lock = Path(f"{data}.lock")
    if lock.exists():
        try:
            zc.lockfile.LockFile(str(lock)).close()
        except zc.lockfile.LockError:
            raise SystemExit("hdnd: the database is in use; stop the server before restoring") from None
    if args.date and not re.fullmatch(r"\d{4}(-\d\d){5}", args.date):
        raise SystemExit("hdnd: --date is YYYY-MM-DD-hh-mm-ss (UTC), e.g. 2026-11-20-08-00-00")
    if not (source / "blobstorage").is_dir():
        raise SystemExit(f"hdnd: {source} holds no blobstorage/ folder: not a complete backup")
    data.parent.mkdir(parents=True, exist_ok=True)
    # Kept aside until the recovery has worked: a failed restore loses nothing.
    aside = [(path, path.with_name(path.name + ".before-restore")) for path in data.parent.glob(data.name + "*")
             if not path.name.endswith(".before-restore")]
    for path, kept in aside:
        kept.unlink(missing_ok=True)
        path.replace(kept)
    repozo = Path(sys.executable).with_name("repozo")
    try:
        _run([repozo, "--recover", "--repository", source / "filestorage", "--output", data]
             + (["--date", args.date] if args.date else []))
    except SystemExit:
        for path, kept in aside:
            kept.replace(path)
        raise
    if blobs.exists():
        kept = blobs.with_name(blobs.name + ".before-restore")
        if kept.exists():
            shutil.rmtree(kept)
        blobs.replace(kept)
    _mirror(source / "blobstorage", blobs)
    print(f"hdnd: restored {data} and {blobs} from {source} (the previous files kept as *.before-restore)")
