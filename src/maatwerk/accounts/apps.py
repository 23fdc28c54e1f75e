from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "maatwerk.accounts"
    verbose_name = "Accounts en rollen"

    def ready(self) -> None:
        from . import predicates  # noqa: F401  (registers the permissions)
