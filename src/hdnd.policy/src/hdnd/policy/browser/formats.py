"""The office's one format for dates, times and numbers lives in
hdnd.content.core.formats (plain Python, used by documents and registers
too); views that import it from here get the same functions."""

from hdnd.content.core.formats import clock  # noqa: F401
from hdnd.content.core.formats import day  # noqa: F401
from hdnd.content.core.formats import moment  # noqa: F401
from hdnd.content.core.formats import number  # noqa: F401
from hdnd.content.core.formats import percent  # noqa: F401
from hdnd.content.core.formats import year  # noqa: F401
