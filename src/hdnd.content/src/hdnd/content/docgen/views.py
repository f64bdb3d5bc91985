from Products.Five import BrowserView
from zExceptions import NotFound


class NotOffered(BrowserView):
    def __call__(self, *args, **kwargs):
        raise NotFound("This kind of document generation is not offered by hdnd.")
