from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "shebao.people"
    label = "people"
