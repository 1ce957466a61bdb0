"""YAML as Annals reads it (settings, gazetteer, metadata): safe types, and no aliases — a few lines of
anchors and aliases can expand to gigabytes, and nothing an archive writes needs them."""
from __future__ import annotations

import re

import yaml
from yaml.composer import ComposerError

ALIASES_REFUSED = "aliases (*name) are not accepted — write the value out where it is used"


class _NoAliases(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise ComposerError(None, None, ALIASES_REFUSED, self.peek_event().start_mark)
        return super().compose_node(parent, index)


FAST = getattr(yaml, "CSafeLoader", None)
# Where an alias could stand: a "*" at the start of a value or an item, after a space or a flow indicator.
# Text without one has no alias; text with one (an alias, or a "*" in a plain value) is looked through.
MAY_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*", re.M)  # libyaml's loader, where PyYAML was built with it


def load(text: str):
    """`yaml.safe_load`, refusing aliases with a YAMLError that marks where the first one stands. With
    libyaml, its parser looks for aliases first and its loader reads (a 10,000-entry gazetteer: 1.8 s,
    where Python's loader took 5.3 s); without it, Python's loader refuses them as it composes."""
    if FAST is not None:
        try:
            if MAY_ALIAS.search(text):  # looking through the parser's events costs a third of the load
                for event in yaml.parse(text, Loader=FAST):
                    if isinstance(event, yaml.AliasEvent):
                        raise ComposerError(None, None, ALIASES_REFUSED, event.start_mark)
            return yaml.load(text, Loader=FAST)  # noqa: S506 — libyaml's SafeLoader
        except ComposerError:
            raise
        except yaml.YAMLError:
            pass  # libyaml refuses some text Python's loader reads ("\ud800"): the same answer either way
    return yaml.load(text, Loader=_NoAliases)  # noqa: S506 — a SafeLoader


def short(value, limit: int = 80) -> str:
    """A value as a message quotes it: its repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"
