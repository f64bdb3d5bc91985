"""Fill empty translations of a .po file with the message's default text
(`#. Default: "..."`), or with the msgid itself when it is plain text."""

import re
import sys


def fill(text):
    out = []
    default = None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        match = re.match(r'#\. Default: "(.*)"$', line)
        if match:
            default = match.group(1)
        if line.startswith("msgid ") and i + 1 < len(lines) and lines[i + 1] == 'msgstr ""':
            msgid = line[len('msgid "'):-1]
            following = lines[i + 2] if i + 2 < len(lines) else ""
            if msgid and not following.startswith('"'):
                out.append(line)
                out.append('msgstr "%s"' % (default if default is not None else msgid))
                default = None
                i += 2
                continue
        if line.startswith("msgid "):
            default = None if not match else default
        out.append(line)
        i += 1
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(fill(text))
