"""``flush`` (wipe every table) with the audit triggers lifted for the wipe and put back after.

Django's own ``flush`` issues ``DELETE FROM`` on SQLite, which the append-only trigger
refuses; the test runner flushes after every transactional test.  Wiping the whole
database is not tampering with single entries (it is the same as deleting the file),
and an empty log verifies as empty.
"""

from __future__ import annotations

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from shebao.audit import triggers


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options["database"]]
        triggers.drop(connection)
        try:
            return super().handle(**options)
        finally:
            triggers.create(connection)
