from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "shebao.contributions"
    label = "contributions"
