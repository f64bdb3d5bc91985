"""A REST search by a document's symbol finds it however the symbol is typed.

The ``symbol`` index holds each document's symbol in its canonical printed
form (``canonical_symbol``: "4/ubnd-vp" is stored as "04/UBND-VP", domain.md
§3), so that two spellings of one number are one entry. A query has to be
read the same way, or a client asking ``@search?symbol=4/UBND-VP`` - the very
text it sent - finds nothing. plone.restapi turns each index's query value
through an IIndexQueryParser adapter of (index, context, request); this one,
on hdnd's layer, is plone.restapi's own for FieldIndexes and canonicalises
the values asked of the ``symbol`` index. Text that is not a symbol is asked
as it is (it then finds what holds exactly that text).
"""

from hdnd.content.core.symbols import SymbolError
from hdnd.content.interfaces import IHdndContentLayer
from hdnd.content.numbers.identity import parse
from plone.restapi.interfaces import IIndexQueryParser
from plone.restapi.search.query import FieldIndexQueryParser
from Products.PluginIndexes.FieldIndex.FieldIndex import FieldIndex
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


SYMBOL_INDEX = "symbol"


def canonical(text):
    """``text`` as the symbol index holds it, or as it is when no symbol."""
    try:
        return parse(text).format()
    except SymbolError:
        return text


@implementer(IIndexQueryParser)
@adapter(FieldIndex, Interface, IHdndContentLayer)
class SymbolAwareFieldIndexQueryParser(FieldIndexQueryParser):
    def parse_query_value(self, query_value):
        value = super().parse_query_value(query_value)
        if self.index.getId() == SYMBOL_INDEX:
            return canonical(value)
        return value
