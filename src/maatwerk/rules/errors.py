"""Errors raised by the rules package (bad regulation files, bad engine inputs)."""

from __future__ import annotations


class RulesInputError(ValueError):
    """An engine input that breaks its contract; names the field in Dutch and English."""

    def __init__(self, field: str, nl: str, en: str) -> None:
        self.field = field
        self.nl = nl
        self.en = en
        super().__init__(f"{field}: {nl} / {en}")


class RegulationError(ValueError):
    """A regulation file or override that does not validate; names the file and the key."""

    def __init__(self, file: str, path: str, nl: str, en: str) -> None:
        self.file = file
        self.path = path
        super().__init__(f"{file}: {path}: {nl} / {en}")
