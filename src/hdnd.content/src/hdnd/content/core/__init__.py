"""Plain-Python rules of hdnd: no Zope imports, unit-tested without layers."""
