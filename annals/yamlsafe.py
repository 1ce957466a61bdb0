"""YAML as Annals reads it (settings, gazetteer, metadata): safe types, no aliases — a few lines of
anchors and aliases can expand to gigabytes — and no lists or mappings nested hundreds of levels deep,
which PyYAML's loaders read by recursion until Python's stack runs out. Nothing an archive writes needs
either."""
from __future__ import annotations

import re

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

ALIASES_REFUSED = "aliases (*name) are not accepted — write the value out where it is used"
MAX_DEPTH = 100  # lists and mappings inside one another; an archive's YAML needs a few levels
TOO_DEEP = f"lists or mappings nested more than {MAX_DEPTH} levels deep are not accepted"


class _NoAliases(yaml.SafeLoader):
    depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise ComposerError(None, None, ALIASES_REFUSED, self.peek_event().start_mark)
        if self.depth == MAX_DEPTH and self.check_event(yaml.CollectionStartEvent):
            raise ComposerError(None, None, TOO_DEEP, self.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


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
            return _fast_load(text)
        except ComposerError:
            raise
        except (yaml.YAMLError, RecursionError):
            pass  # libyaml refuses some text Python's loader reads ("\ud800"), and composes by recursion
    return yaml.load(text, Loader=_NoAliases)  # noqa: S506 — a SafeLoader


TAG = "tag:yaml.org,2002:"
STR, SEQ, MAP = TAG + "str", TAG + "seq", TAG + "map"
SPECIAL_KEYS = {TAG + "merge", TAG + "value"}  # "<<" and "=": keys that PyYAML's constructor rewrites


def _fast_load(text: str):
    """`yaml.load(text, Loader=CSafeLoader)`, with strings, lists and plain mappings made here rather than
    by PyYAML's constructor, which builds each through Python generators: a 10,000-entry gazetteer
    0.48 s → 0.32 s. Every other node (numbers, dates, booleans, other tags, merge keys) is PyYAML's."""
    loader = FAST(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _built(node, loader, 1)
    finally:
        loader.dispose()


def _built(node, loader, depth: int):
    """The value of `node`, `depth` levels down (1: the document's own)."""
    tag = node.tag
    if tag == STR and isinstance(node, ScalarNode):
        return node.value
    if depth > MAX_DEPTH and not isinstance(node, ScalarNode):
        raise ComposerError(None, None, TOO_DEEP, node.start_mark)
    if tag == SEQ and isinstance(node, SequenceNode):
        return [_built(item, loader, depth + 1) for item in node.value]
    if tag == MAP and isinstance(node, MappingNode) and not any(k.tag in SPECIAL_KEYS for k, _ in node.value):
        mapping = {}
        for key_node, value_node in node.value:
            key, value = _built(key_node, loader, depth + 1), _built(value_node, loader, depth + 1)
            try:
                mapping[key] = value
            except TypeError:  # the words of PyYAML's own error
                raise ConstructorError("while constructing a mapping", node.start_mark, "found unhashable key",
                                       key_node.start_mark) from None
        return mapping
    return loader.construct_object(node, deep=True)


def short(value, limit: int = 80) -> str:
    """A value as a message quotes it: its repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"
