"""The message factory of the ``hdnd`` i18n domain, shared by both packages."""

from zope.i18nmessageid import MessageFactory


_ = MessageFactory("hdnd")

