# Wider BTree buckets in every process that loads hdnd (issue 21: see catalogwrites).
from hdnd.content.catalogwrites import widen_buckets


widen_buckets()
