from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shebao.accounts"
    label = "accounts"
