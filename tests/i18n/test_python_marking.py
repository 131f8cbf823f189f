"""Every string a person reads in the Python code is marked for translation.

Walks the AST of each module under src/crowdsource and flags the str constants (and the
literal parts of f-strings) that read like a sentence for people — two words or more that
start with a capital or end with `. ! ? :`, or one capitalised word with a full stop ("Saved.");
identifiers and all-capitals keywords are no words — unless they are:
  * a docstring or a bare string statement;
  * inside a marker call: `Text`, `ntext`, `_`, `gettext`, `ngettext`;
  * inside a logging call (`log.…`, `logger.…`, `logging.…`, or any module-level name bound to
    `logging.getLogger(…)`), an `assert`, or a `raise` of an operator's exception
    (`OPERATOR_EXCEPTIONS`);
  * a module-level constant used only in logging calls;
  * in a module of `ALLOWED_MODULES`, or a part (a top-level function or constant) of
    `ALLOWED_PARTS`: text that only the person running the server reads, or never translated.

Fails naming the module and its strings, one test per module.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "crowdsource"

MARKERS = {"Text", "ntext", "_", "gettext", "ngettext"}
LOGGERS = {"log", "logger", "logging"}
# Exceptions whose message is for the operator (a terminal, a log), never a web page. Not
# ValueError: the domain raises it (and its subclasses) with messages for people.
OPERATOR_EXCEPTIONS = {
    "SettingsError",  # settings.py: a wrong environment variable, shown by the CLI
    "Unreachable",  # domain/service_urls.py: the database or Redis does not answer at start-up
    "RuntimeError",  # a programming error: logged with its traceback
    "TypeError",
    "NotImplementedError",
    "AssertionError",
    "DecodeError",  # PyJWT's, a malformed token (auth/tokens.py): read as signed out, never shown
}

# module (or folder) -> why its strings stay as they are. Keep it short: a module listed here
# is not checked at all, and `test_every_allowance_is_needed` fails on one that needs none.
ALLOWED_MODULES = {
    "settings.py": "environment variables and their errors: the operator's terminal",
    "startup.py": "the start-up banner and warnings in the operator's terminal",
    "web/metrics.py": "Prometheus help texts, read by a scraper and its operator",
    "log_setup.py": "uvicorn's start-up and shutdown lines it rewrites: the operator's log",
    "domain/migrations": "the database schema's history (table comments): never shown",
    "web/report_export.py": "the room report's CSV columns and cells: a fixed contract",
    "i18n/languages.py": "each language's name is written in that language: never translated",
}
# (module, top-level function or constant) -> why it stays English.
ALLOWED_PARTS = {
    ("cli.py", "ENVIRONMENT"): "`--help`: argparse's own words are English (see cli.py)",
    ("cli.py", "environment_help"): "`--help`, as above",
    ("cli.py", "build_parser"): "`--help`, as above",
}

# A word: letters (an apostrophe or hyphen inside), with punctuation around it; not an
# identifier (`REDIS_URL`, `poll_id`) nor an all-capitals keyword (`SELECT`, `BEGIN`).
WORD = re.compile(r"[^\w]*([^\W\d_]+(?:['\u2019-][^\W\d_]+)*)[^\w]*")


def _is_word(token: str) -> bool:
    match = WORD.fullmatch(token)
    return match is not None and (len(match[1]) == 1 or not match[1].isupper())


def looks_human(text: str) -> bool:
    """A sentence for people: two words or more that start with a capital or end like a
    sentence (`. ! ? :`), or one capitalised word with a full stop ("Saved.")."""
    text = text.strip()
    if not text:
        return False
    words = sum(_is_word(token) for token in text.split())
    ends = text[-1] in ".!?:"
    if words >= 2:
        return text[0].isupper() or ends
    return words == 1 and " " not in text and text[0].isupper() and text[-1] in ".!?"


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _module_loggers(tree: ast.Module) -> set[str]:
    """Module-level names bound to `logging.getLogger(…)` (`ACCESS = logging.getLogger(…)`)."""
    names = set(LOGGERS)
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and _call_name(node.value.func) == "getLogger"
        ):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _is_logging_call(node: ast.Call, loggers: set[str]) -> bool:
    return isinstance(node.func, ast.Attribute) and _root_name(node.func) in loggers


def _spared_roots(tree: ast.Module, loggers: set[str]) -> list[ast.AST]:
    """The nodes whose strings are not for people (or already marked)."""
    spared: list[ast.AST] = []
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            spared += [
                statement
                for statement in body
                if isinstance(statement, ast.Expr)
                and isinstance(statement.value, ast.Constant | ast.JoinedStr)
            ]  # docstrings and bare strings (comments)
        if (
            isinstance(node, ast.Call)
            and (_call_name(node.func) in MARKERS or _is_logging_call(node, loggers))
        ) or isinstance(node, ast.Assert):
            spared.append(node)
        elif isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if _call_name(raised) in OPERATOR_EXCEPTIONS:
                spared.append(node)
    return spared


def _log_only_constants(tree: ast.Module, loggers: set[str]) -> list[ast.AST]:
    """Module-level `NAME = "…"` whose every use is inside a logging call."""
    assigned: dict[str, ast.Assign] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant | ast.JoinedStr):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned[target.id] = node
    in_logs: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_logging_call(node, loggers):
            in_logs.update(id(inner) for inner in ast.walk(node))
    uses: dict[str, list[ast.Name]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in assigned:
            uses.setdefault(node.id, []).append(node)
    return [
        assigned[name]
        for name, found in uses.items()
        if found and all(id(use) in in_logs for use in found)
    ]


def _text_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):  # f"Closed {when}." reads "Closed {}."
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return None


def _named_parts(tree: ast.Module, names: set[str]) -> list[ast.AST]:
    """The top-level functions, classes and assignments of `names`."""
    found: list[ast.AST] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name in names:
                found.append(node)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in names for t in targets):
                found.append(node)
    return found


def unmarked(source: str, allowed_parts: set[str] | None = None) -> list[str]:
    """The strings of `source` that read like sentences for people and are not marked
    (outside the top-level functions and constants named in `allowed_parts`)."""
    tree = ast.parse(source)
    loggers = _module_loggers(tree)
    spared: set[int] = set()
    roots = _spared_roots(tree, loggers) + _log_only_constants(tree, loggers)
    for root in roots + _named_parts(tree, allowed_parts or set()):
        spared.update(id(inner) for inner in ast.walk(root))
    inside_fstring = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in ast.walk(node)
        if part is not node
    }
    found: list[str] = []
    for node in ast.walk(tree):
        if id(node) in spared or id(node) in inside_fstring:
            continue
        text = _text_of(node)
        if text is not None and looks_human(text):
            found.append(f"line {node.lineno}: {text!r}")  # type: ignore[attr-defined]
    return sorted(found, key=lambda line: int(line.split(":")[0].split()[1]))


def _allowed(module: str) -> bool:
    return any(module == name or module.startswith(name + "/") for name in ALLOWED_MODULES)


def _parts_of(module: str) -> set[str]:
    return {name for (where, name) in ALLOWED_PARTS if where == module}


ALL_MODULES = sorted(path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py"))
MODULES = [module for module in ALL_MODULES if not _allowed(module)]


def _found_in(module: str, allowed_parts: set[str] | None = None) -> list[str]:
    return unmarked((PACKAGE / module).read_text(encoding="utf-8"), allowed_parts)


@pytest.mark.parametrize("module", MODULES)
def test_python_strings_for_people_are_marked(module: str) -> None:
    found = _found_in(module, _parts_of(module))
    assert not found, f"{module}: strings for people not marked:\n  " + "\n  ".join(found)


def test_every_allowance_is_needed() -> None:
    """An allowed module or part that holds no sentence is left over: the list stays short."""
    for name in ALLOWED_MODULES:
        covered = [
            module
            for module in ALL_MODULES
            if _allowed(module) and (module == name or module.startswith(name + "/"))
        ]
        assert any(_found_in(module) for module in covered), f"{name} needs no allowance"
    for module, part in ALLOWED_PARTS:
        without = set(_found_in(module, _parts_of(module) - {part}))
        assert without - set(_found_in(module, _parts_of(module))), f"{module} {part}: not needed"


SAMPLE = '''
"""A docstring. Not for people."""
import logging
from crowdsource.i18n.current import Text, _
log = logging.getLogger("x")
ACCESS = logging.getLogger("x.access")
STARTED = "Server started on %s."
HELP = "Shows the help of this command."
def view(n):
    """Spared too."""
    log.info(STARTED, n)
    ACCESS.info("Request done.")
    logging.warning("Something went wrong here.")
    assert n, "Should never happen."
    marked = _("Poll closed.")
    later = Text("Pick %(low)s to %(high)s.", low=1, high=2)
    key, sql = "poll_id", "SELECT pg_advisory_lock($1)"
    if not n:
        raise SettingsError("DATA_DIR is not a folder.")
    if n > 3:
        raise HTTPException(403, "Not allowed here.")
    if n > 2:
        raise ValueError("Give a whole number.")
    unmarked = "This poll is closed."
    shout = f"Welcome back, {n}!"
    return marked, later, key, sql, unmarked, shout, "Saved.", HELP
'''


def test_the_scanner_flags_unmarked_sentences_and_spares_marked_ones() -> None:
    flagged = [
        "line 8: 'Shows the help of this command.'",
        "line 21: 'Not allowed here.'",
        "line 23: 'Give a whole number.'",
        "line 24: 'This poll is closed.'",
        "line 25: 'Welcome back, {}!'",
        "line 26: 'Saved.'",
    ]
    assert unmarked(SAMPLE) == flagged
    assert unmarked(SAMPLE, {"HELP"}) == flagged[1:]  # an allowed part is spared


@pytest.mark.parametrize(
    ("text", "human"),
    [
        ("Poll closed", True),
        ("closed for now.", True),
        ("text/html; charset=utf-8", False),
        ("poll_id", False),
        ("Content-Type", False),
        ("GITHUB_URL, GITHUB_API_URL", False),
        ("BEGIN IMMEDIATE", False),
        ("Saved.", True),
        ("OK.", False),
        ("", False),
    ],
)
def test_what_reads_like_a_sentence(text: str, human: bool) -> None:
    assert looks_human(text) is human
