"""Write the plugin that docs/plugin-tutorial.md builds into examples/signups-plugin/.

Every code block of the tutorial that is a file has a line
`<!-- file: PATH -->` just before its opening fence (PATH relative to the
plugin's folder); `<!-- file: PATH (continued) -->` adds the block to the
end of a file begun earlier. Other blocks (commands, output) are not files.
Each `.po` catalogue is compiled to its `.mo`, as `compilemessages` would.

    python tools/extract_tutorial.py            # rewrite examples/signups-plugin/
    python tools/extract_tutorial.py --check    # exit 1 if the folder differs
    python tools/extract_tutorial.py --to DIR   # write the plugin into DIR

The folder holds nothing the tutorial does not give, so the two cannot drift:
tests/test_plugin_tutorial.py runs the check.
"""

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "docs" / "plugin-tutorial.md"
EXAMPLE = ROOT / "examples" / "signups-plugin"

BLOCK = re.compile(
    r"^<!-- file: (?P<path>[^\s>]+)(?P<continued> \(continued\))? -->\n"
    r"(?P<fence>`{3,})[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
MARKERS = re.compile(r"^<!-- file:", re.MULTILINE)


class TutorialError(Exception):
    pass


def tutorial_files(text: str) -> dict[str, str]:
    """The files the tutorial's blocks give, by path, in the order given."""
    files: dict[str, str] = {}
    blocks = list(BLOCK.finditer(text))
    if len(blocks) != len(MARKERS.findall(text)):
        raise TutorialError("a `<!-- file: -->` line is not just before a fence")
    for block in blocks:
        path, body = block["path"], block["body"]
        if path.startswith("/") or ".." in Path(path).parts:
            raise TutorialError(f"{path}: give a path inside the plugin's folder")
        if block["continued"]:
            if path not in files:
                raise TutorialError(f"{path} is continued before it begins")
            # Two blank lines between them, as between top-level definitions.
            files[path] += "\n\n" + body
        elif path in files:
            raise TutorialError(f"{path} is given twice (mark the rest continued)")
        else:
            files[path] = body
    return files


def plugin_tree(text: str) -> dict[str, bytes]:
    """Every file of the plugin: the tutorial's, and the compiled catalogues."""
    tree = {path: body.encode() for path, body in tutorial_files(text).items()}
    for path, body in list(tree.items()):
        if path.endswith(".po"):
            catalogue = polib.pofile(body.decode())
            with tempfile.TemporaryDirectory() as folder:
                compiled = Path(folder) / "django.mo"
                catalogue.save_as_mofile(str(compiled))
                tree[path[:-3] + ".mo"] = compiled.read_bytes()
    return tree


def folder_tree(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def _same(path: str, expected: bytes, found: bytes) -> bool:
    """Compiled catalogues are the same when their translations are: msgfmt
    (`make messages`) and polib write the same catalogue in different bytes."""
    if path.endswith(".mo"):
        return _translations(expected) == _translations(found)
    return expected == found


def _translations(compiled: bytes) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "django.mo"
        path.write_bytes(compiled)
        try:
            catalogue = polib.mofile(str(path))
        except (OSError, ValueError):
            return {"unreadable": compiled}
    return {
        (entry.msgctxt, entry.msgid): (entry.msgstr, entry.msgstr_plural)
        for entry in catalogue
        if entry.msgid  # the header, which says which program wrote it
    }


def differences(folder: Path, text: str) -> list[str]:
    """How `folder` differs from the plugin the tutorial gives; [] if not at all."""
    expected, found = plugin_tree(text), folder_tree(folder)
    return [
        *(f"{path}: missing" for path in sorted(expected.keys() - found.keys())),
        *(
            f"{path}: not in the tutorial"
            for path in sorted(found.keys() - expected.keys())
        ),
        *(
            f"{path}: differs from the tutorial"
            for path in sorted(expected.keys() & found.keys())
            if not _same(path, expected[path], found[path])
        ),
    ]


def write(folder: Path, text: str) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    for path, content in plugin_tree(text).items():
        destination = folder / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--to", type=Path, default=EXAMPLE)
    arguments = parser.parse_args()
    text = TUTORIAL.read_text()
    if arguments.check:
        problems = differences(arguments.to, text)
        for problem in problems:
            print(problem)
        if problems:
            print("Run: python tools/extract_tutorial.py")
        return 1 if problems else 0
    write(arguments.to, text)
    print(f"Wrote {arguments.to}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
