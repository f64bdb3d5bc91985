"""`hdnd numbers reserve|import|report`: Party number reservations carried
between the main and the confidential installation on media."""

from hdnd.content.core.reservations import number_ranges
from hdnd.content.numbers import reservations
from hdnd.policy.cli import database
from pathlib import Path

import json


def _numbers_of(text):
    payload = json.loads(text)
    return payload, number_ranges(payload["numbers"])


def cmd_reserve(args):
    out = Path(args.out)
    text = database.in_site(args, lambda: reservations.reserve(args.type, args.count, args.date, args.to), out)
    payload, numbers = _numbers_of(text)
    _party, issuer, doc_type, term = payload["key"]
    print(f"hdnd: reserved {numbers} of {doc_type}/{issuer} (term {term}) for {payload['to']} in {out}")
    print(f"hdnd: carry it to {payload['to']} and run `hdnd numbers import {out.name}` there")


def cmd_import(args):
    path = Path(args.file)
    try:
        text = path.read_bytes()
    except OSError as error:
        raise SystemExit(f"hdnd: cannot read {path}: {error.strerror}") from None
    kind, result = database.in_site(args, lambda: reservations.import_file(text))
    if kind == "reservation":
        key = result["key"]
        print(
            f"hdnd: received {number_ranges(result['numbers'])} of {key[2]}/{key[1]} "
            f"(term {key[3]}) from {result['from']}; {result['left']} reserved numbers of {key[2]} left"
        )
    else:
        symbols = ", ".join(stub.symbol for stub in result)
        print(f"hdnd: secret document stubs recorded ({len(result)}): {symbols}")


def cmd_report(args):
    out = Path(args.out)
    text = database.in_site(args, lambda: reservations.report(args.to), out)
    payload = json.loads(text)
    symbols = ", ".join(entry["symbol"] for entry in payload["issued"])
    print(f"hdnd: reported the numbers issued ({symbols}) to {payload['to']} in {out}")
    print(f"hdnd: carry it to {payload['to']} and run `hdnd numbers import {out.name}` there")
