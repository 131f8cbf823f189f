"""A Jinja2 environment whose templates' globals are one plain `dict`.

Jinja gives each template a `ChainMap` of its own globals over the environment's. Every
render and every `{% include %}` copies that map into a new context (`dict(globals,
**vars)`), and each `{% from ... import ... %}` asks which globals the imported template
lacks (`set - globals.keys()`): with a `ChainMap` both are Python-level loops over about 45
globals, a fifth to a third of a pushed update's render. A `dict` makes each one copy or
one set operation in C.

The merged dict is made when a template is loaded, so the environment's globals must all be
set before the first render, which is what Jinja asks anyway ("avoid modifying any globals
after a template is loaded"): templating.py sets them all when it builds the environment."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import jinja2


class Environment(jinja2.Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """The environment's globals under the template's own (`d`), merged into one dict."""
        merged = dict(self.globals)
        merged.update(d or {})
        return merged
