"""docs/commands.md, written from the argparse parser itself so the reference cannot drift from the code.

    python -m worker.cli_reference > docs/commands.md

(tests/test_docs_reference.py fails when the committed file differs from what this prints.)
"""

from __future__ import annotations

import argparse
import sys

from worker.cli import CRASH, NOTHING_DONE, USAGE_ERROR, build_parser

COMMON = ("--config", "--db")  # every command takes them: described once, at the top

HEADER = """# Commands

Generated from the program's own argument parser by `python -m worker.cli_reference > docs/commands.md`
(a test checks it is up to date); `newsarchive COMMAND --help` prints the same. `python -m worker` is the
same program as `newsarchive`.

Every command{but} takes:

{common}

`--db` takes `sqlite:///PATH` (relative to the working directory; `sqlite:////abs/path` for an absolute
one) or `postgresql://user[:password]@host[:port]/db`. Read commands (`status`, `export`, `fetches`,
`history`, `diff`) never create an archive: a missing SQLite file is reported, not made.

## Exit statuses

| status | meaning |
| --- | --- |
| `0` | the command did its work. For `run --once`: the pass completed, even if some fetches or some sources failed (the summary line counts them, `status` says which) |
| `{nothing}` | nothing could be done: no source could be polled (`run --once` prints `all N sources failed (...)`), the archive is unreachable or missing, an `extract` input could not be read or fetched, the site given to `discover` did not answer, `serve`'s port is taken, or another service already runs on the archive. Trying again later may work |
| `{usage}` | a usage or config error: a bad option, config file or `--db` URL; the message names the file, line and key. Trying again will not help until it is fixed |
| `{crash}` | a crash: a bug, with its traceback on standard error (please report it) |
| `130` | stopped by Ctrl-C before it finished (the service itself stops with `0` on SIGTERM or SIGINT) |

Every failure is one line on standard error starting `newsarchive:`, without a traceback (except `{crash}`).
"""


def _flags(action: argparse.Action) -> str:
    name = action.metavar or ("{" + ",".join(map(str, action.choices)) + "}" if action.choices else None)
    if not action.option_strings:
        return f"`{name or action.dest}`"
    value = "" if action.nargs == 0 else f" {name or action.dest.upper()}"
    return ", ".join(f"`{flag}{value}`" for flag in action.option_strings)


def _meaning(action: argparse.Action) -> str:
    text = (action.help or "").replace("|", "\\|")
    if action.nargs in ("*", "+") or isinstance(action, argparse._AppendAction):
        text += "; repeatable" if action.option_strings and "repeatable" not in text else ""
    return text


def _table(actions: list[argparse.Action]) -> list[str]:
    rows = ["| argument | meaning |", "| --- | --- |"]
    rows += [f"| {_flags(a)} | {_meaning(a)} |" for a in actions]
    return rows


def render() -> str:
    parser = build_parser()
    (commands,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {c.dest: c.help for c in commands._choices_actions}
    common = next(iter(commands.choices.values()))
    common_actions = [a for a in common._actions if set(a.option_strings) & set(COMMON)]
    others = [f"`{n}`" for n, s in commands.choices.items()
              if not {f for a in s._actions for f in a.option_strings} >= set(COMMON)]
    but = f" but {', '.join(others)}" if others else ""
    out = [HEADER.format(common="\n".join(_table(common_actions)), but=but, nothing=NOTHING_DONE,
                         usage=USAGE_ERROR, crash=CRASH)]
    out.append("## The commands\n")
    out += [f"- [`{name}`](#newsarchive-{name}): {helps[name]}" for name in commands.choices]
    for name, sub in commands.choices.items():
        sub.formatter_class = lambda prog: argparse.HelpFormatter(prog, width=100)
        usage = sub.format_usage().strip()
        own = [a for a in sub._actions if not isinstance(a, argparse._HelpAction)
               and not set(a.option_strings) & set(COMMON)]
        out += ["", f"## newsarchive {name}", "", f"{helps[name][0].upper()}{helps[name][1:]}.", "",
                "```", usage, "```"]
        if own:
            out += [""] + _table(own)
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
