"""``mkdocs-wa measure``: observed values read from monitoring, load tests and bills.

One module per source kind (:mod:`.prometheus`, :mod:`.cloudwatch`, :mod:`.cost`,
:mod:`.files`), each with ``measure(spec, ctx) -> Reading`` raising :class:`SourceError`
with a message for the user; :mod:`.run` evaluates the sources of many metrics and
:mod:`.evidence` stores the results. Importing this package imports no source's
client library (boto3 is loaded only when an AWS source is measured).
"""
