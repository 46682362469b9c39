from django.apps import AppConfig


class CounterConfig(AppConfig):
    """At the counter (窗口业务): retirement and continuation, certificates, arrears, renewal queue."""

    name = "shebao.counter"
    label = "counter"
    default_auto_field = "django.db.models.BigAutoField"
