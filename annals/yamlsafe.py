"""YAML as Annals reads it (settings, gazetteer, metadata): safe types, and no aliases — a few lines of
anchors and aliases can expand to gigabytes, and nothing an archive writes needs them."""
from __future__ import annotations

import yaml
from yaml.composer import ComposerError

ALIASES_REFUSED = "aliases (*name) are not accepted — write the value out where it is used"


class _NoAliases(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise ComposerError(None, None, ALIASES_REFUSED, self.peek_event().start_mark)
        return super().compose_node(parent, index)


def load(text: str):
    """`yaml.safe_load`, refusing aliases with a YAMLError that marks where the first one stands."""
    return yaml.load(text, Loader=_NoAliases)  # noqa: S506 — a SafeLoader


def short(value, limit: int = 80) -> str:
    """A value as a message quotes it: its repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"
