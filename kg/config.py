"""Options people set every time, in a file: ``kg.toml``.

The file is found as ``--config PATH`` (before the command), else ``$KG_CONFIG``, else
``kg.toml`` in the current folder. Top-level keys are the global options; a table per
command holds that command's options, named as on the command line without the dashes::

    ner-model = "fast"

    [build]
    jobs = 2
    formats = "ttl,graphml,gexf"
    text-field = "content"

    [serve]
    port = 7878
    cors = ["https://example.org"]

A value from the file becomes the option's default, so the command line still wins. A key
the command does not have, or a value of the wrong kind, is an error that names the file,
the key and the options there are, before anything runs.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from .errors import InputError

DEFAULT_NAME = "kg.toml"


def find_config(argv: Sequence[str]) -> tuple[Optional[Path], list[str]]:
    """The config file to read (or None) and ``argv`` without ``--config PATH``."""
    args, path = list(argv), None
    for i, arg in enumerate(args):
        if arg == "--config" and i + 1 < len(args):
            path = Path(args[i + 1])
            del args[i:i + 2]
            break
        if arg.startswith("--config="):
            path = Path(arg.split("=", 1)[1])
            del args[i]
            break
    if path is None and os.environ.get("KG_CONFIG"):
        path = Path(os.environ["KG_CONFIG"])
    if path is None and Path(DEFAULT_NAME).is_file():
        path = Path(DEFAULT_NAME)
    if path is not None and not path.is_file():
        raise InputError(f"{path}: no such config file")
    return path, args


def load_config(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise InputError(f"{path}: not a readable TOML file: {err}") from None


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """Long option name without dashes -> its action (help and subcommands left out)."""
    out = {}
    for action in parser._actions:  # argparse keeps no public list of a parser's options
        if isinstance(action, (argparse._HelpAction, argparse._VersionAction, argparse._SubParsersAction)):
            continue
        for flag in action.option_strings:
            if flag.startswith("--"):
                out[flag[2:]] = action
    return out


def _value(path: Path, where: str, key: str, action: argparse.Action, value: Any) -> Any:
    """The value as the option would have parsed it from the command line."""
    if isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction)):
        if not isinstance(value, bool):
            raise InputError(f"{path}: {where}{key} must be true or false, not {value!r}")
        return value
    if isinstance(action, argparse._AppendAction):
        values = value if isinstance(value, list) else [value]
        return [_value(path, where, key, argparse.Action([], key, type=action.type), v) for v in values]
    if isinstance(value, (list, dict)):
        raise InputError(f"{path}: {where}{key} takes one value, not {value!r}")
    text = str(value).lower() if isinstance(value, bool) else str(value)
    try:
        parsed = action.type(text) if action.type else text
    except (argparse.ArgumentTypeError, ValueError, TypeError) as err:
        raise InputError(f"{path}: {where}{key} = {value!r}: {err}") from None
    if action.choices is not None and parsed not in action.choices:
        raise InputError(f"{path}: {where}{key} must be one of {', '.join(map(str, action.choices))}")
    return parsed


def apply_config(parser: argparse.ArgumentParser, path: Path) -> None:
    """Make the file's values the defaults of the parser and its commands' parsers."""
    config = load_config(path)
    commands = next((a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)), {})
    top = _options(parser)
    for key, value in config.items():
        if isinstance(value, dict):
            if key not in commands:
                raise InputError(f"{path}: [{key}] is not a kg command (commands: {', '.join(commands)})")
            options = _options(commands[key])
            for name, item in value.items():
                if name not in options:
                    raise InputError(f"{path}: [{key}] has no option {name!r} "
                                     f"(it has: {', '.join(sorted(options))})")
                commands[key].set_defaults(**{options[name].dest: _value(path, f"[{key}] ", name, options[name], item)})
        elif key in top:
            parser.set_defaults(**{top[key].dest: _value(path, "", key, top[key], value)})
        else:
            raise InputError(f"{path}: {key!r} is not a global option (they are: {', '.join(sorted(top))}); "
                             f"put a command's options under [command]")
