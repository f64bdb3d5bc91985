"""A converter that stays: run by Debian's Python (the one with UNO, through
the ``python-uno`` wrapper of :mod:`hdnd.content.docgen.libreoffice`), it
connects to LibreOffice once and converts one file per request, for as long
as the Zope process that started it lives.

Why: appy.pod's own way starts a new interpreter for every document
(``appy/bin/convert.py``), which imports appy and UNO and opens a new UNO
connection each time: about 0.3 s on a quiet machine before LibreOffice
does any work, seconds on a busy one. Here that cost is paid once.

Protocol, one JSON object a line: the request on stdin
``{"source": path, "result": path, "options": {...}}`` (the options are
appy's Converter's keyword arguments), the answer on stdout
``{"ok": true}`` or ``{"ok": false, "error": "..."}``. The conversion is
appy's ``Converter`` (the same updates of the ODT, PDF options and filters);
only its connection is kept. A LibreOffice that restarted is reconnected to
once per request.

This file is a script: it imports appy and UNO only (no hdnd, no Zope).
"""

import json
import sys


def main():
    from appy.pod.converter import Converter

    class Kept(Converter):
        """appy's Converter, connected once."""

        connection = None

        def connect(self):
            if Kept.connection is None:
                Converter.connect(self)
                Kept.connection = (self.context, self.version, self.oo)
            self.context, self.version, self.oo = Kept.connection
            if self.processColumns:
                create = self.context.ServiceManager.createInstanceWithContext
                self.dispatchHelper = create("com.sun.star.frame.DispatchHelper", self.context)

    def convert(source, result, options):
        Kept(source, result, **options).run()

    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            options = request.get("options") or {}
            try:
                convert(request["source"], request["result"], options)
            except Converter.Error:
                raise
            except Exception:
                # A LibreOffice that restarted (or a connection gone):
                # connect again and try once more.
                Kept.connection = None
                convert(request["source"], request["result"], options)
            answer = {"ok": True}
        except Exception as error:  # reported to the caller, which raises
            answer = {"ok": False, "error": f"{type(error).__name__}: {error}"[:2000]}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
