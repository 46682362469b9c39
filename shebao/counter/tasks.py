"""Background jobs (huey, ``settings.HUEY``): the daily rebuild of the renewal queue.

Run a consumer with ``python -m django run_huey`` (``DJANGO_SETTINGS_MODULE=shebao.settings``);
``shebao renewal-queue rebuild`` does the same job at once.  With ``SHEBAO_HUEY_IMMEDIATE=1``
(or ``HUEY.immediate = True`` in tests) tasks run in-process and no consumer is needed.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def rebuild_renewal_queue(today_iso: str | None = None) -> dict:
    import datetime as dt

    from shebao.counter.renewals import rebuild_queue

    return rebuild_queue(today=dt.date.fromisoformat(today_iso) if today_iso else None)


@db_periodic_task(crontab(hour="2", minute="30"))
def daily_renewal_queue() -> dict:
    """Every day at 02:30 (the server's time zone): rebuild the 续保提醒 queue."""
    from shebao.counter.renewals import rebuild_queue

    return rebuild_queue()
