"""yamlblock reads plainly written block YAML into exactly the nodes libyaml gives, and leaves
everything else to libyaml (which then reads it, or reports it, as before).

The reference is `yamlsource._compose` (libyaml's composer); `parse_text` is what loading uses.
"""

from __future__ import annotations

import random
import sys

import pytest
from contentkit import REPO, parse_outcome, plain_node

from site_builder import yamlblock as yb
from site_builder import yamlfast as yf
from site_builder import yamlsource as ys

sys.path.insert(0, str(REPO / "bench"))
from generate import generate  # noqa: E402

LONG_KEY = "键" * 400  # 1,200 bytes: libyaml refuses a key this long

# Read by yamlblock (no libyaml).
PLAIN = [
    "a: 1\nb: text\n", "a:\n  b: 1\n  c:\n    d: x\ne: 2\n", "  a: 1\n  b: 2\n", "a: R\nb:\n  - R\n",
    "a:\n  - x\n  - y z\n  - 'q'\n  - [a, b]\n  - {c: 1}\nb: 1\n", "- a: 1\n  b: 2\n- c: 3\n", "- x\n- y\n",
    "a: [x, 'y z', -1.5]\nb: []\nc: ['=100%']\n", "a: {b: 1, c: '-5.33', d: x y}\n", "a: ''\nb: ' x '\n",
    "a: 'x: y # z'\n", "a: a:b\nb: 12:30\nc: C#\nd: x#y\ne: x[1]{2}, 3\n", "a b: 1\n表1: 2\n",
    "# top\na:\n  # inside\n  b: 1\n    # deeper comment\n# lower\n  c: 2\n", "a:\n\n  b: 1\n\n\nc: 2\n",
    "a: |\n  one\n\n  two\n    three\n\n\nb: 1\n", "a: |\n  # not a comment\n  x\n", "a: |\n  x\n",
    "- |\n  x\n  y\n- b\n", "a:\n  - b: |\n      x\n\n      y\n    c: 1\n", "a: -1\nb: ~\nc: null\nd: 待填\n",
    "a: |\n      deep\n        deeper\n", "a: |\n  x\n# a comment after\nb: |\n  y\n",
    "t:\n  rows:\n    - {code: 201, name: x, 总计: 1.00}\n    - {code: 202, name: y}\n  more: [a]\n",
    "t:\n  - {a: 1}\n  - b: 1\n    rows:\n      - {c: 1}\n      - {c: 2}\n  - {d: 1}\n",
    "a:\n  - {a: 1}\n\n  # between runs\n  - {a: 2}\n", "- |\n x\n", "- a: |\n   x\n  b: 1\n", "a:\r\n  b: 1\r\n",
    "a: |-\n  x\n\n  y\n\nb: >-\n  z\nc: >\n  w\n\n", "- >-\n  x\n- |-\n  y\n", "a: | # c\n  x\n", "a: 1 # c\n",
    "a: [] # c\nb: x  # c#d\nc: 'x' # c\nd: {e: 1}   # c\ne: x#y # c\n", "- {a: 1} # c\n- b # c\n- c: 1 # c\n",
    "a: ['x #y', z]\nb: 'x #y'\n",
]

# Left to libyaml: the same nodes or the same problem, by the careful way.
UNUSUAL = [
    "a:  1\n", "a: 1 \n", "a: 1", "a:\n  b: 1\n   c: 2\n", "a:\n  b: 1\n c: 2\n", "a: # c\n", "a: 'x # y\n",
    "a: 'x # y' # z\n", "a: ['x #y', z] # c\n", "a: {b: x #y}\n", "a: >\n  x\n  y\n", "a: >-\n  x\n\n  y\n", "a: >+\n  x\n", "a: |1\n  x\n",
    "a: |x\n  y\n", "a: |+\n  x\n\n", "a: |2\n   x\n", "a: |\n\n  x\n", "a: |\n  x\n   \n  y\n",
    "a: |\nb: 1\n", "a: |\n  x\n y\n", "a:\n- b\n- c\n", "a:\n", "a:\nb: 1\n", "a: b\n  c\n",
    "a: 'x\n  y'\n", "a: \"q\"\n", "a: 'it''s'\n", "a: x: y\n", "a: x:\n", "a\tb: 1\n", "a: 1\t\n", "a: 1\na: 2\n",
    "---\na: 1\n", "...\n", "... a: 1\n", "%YAML 1.1\n---\na: 1\n", "\ufeffa: 1\n", "a: \u3000x\n", "a: x\u2028y\n",
    "a: [1, [2]]\n", "a: {b: {c: 1}}\n", "a: {}\n", "a: [b,c]\n", "a: [b, ]\n", "- - a\n",
    "-\n  a: 1\n", "-  a\n", "? a\n: 1\n", "a: -x\n", "a: - x\n", "a: @x\n", "a: `x`\n", "a: %x\n", "a: *x\n",
    "a:\n  - x\n  b: 1\n", "a: x\n b: 1\n", "- a\nb: 1\n", "a: 1\n- b\n", f"{LONG_KEY}: 1\n", "a: |\n  - {a: 1}\n",
    "a: [x\n", "a: {b: 1\n", "a: '\n", "x\n", "", "# only a comment\n", "\n\n", "- {a: 1}\n  b: 2\n", "a : 1\n", "- a: |\n  x\n",
    "[a]: 1\n", "a: !t x\n", "a: &x 1\nb: *x\n", "a: b\n\tc: 1\n", "a: 1\r\nb: 2\r", "a: 1\r\r\nb: 2\r\n",
]


def _block(text: str):
    """yamlblock's tree of `text` (after the runs of rows are replaced, as when loading)."""
    replaced, rows = yf._flow_rows(text.replace("\r\n", "\n"))
    return yb.block_tree(replaced, rows)


def _same(text: str) -> None:
    assert parse_outcome(ys.parse_text, text) == parse_outcome(ys._compose, text)


@pytest.mark.parametrize("text", PLAIN)
def test_plain_block_yaml_is_read_without_libyaml(text):
    assert parse_outcome(lambda t: _block(t), text) == parse_outcome(ys._compose, text)
    _same(text)
    _same(text.replace("\n", "\r\n"))


@pytest.mark.parametrize("text", UNUSUAL)
def test_anything_else_is_left_to_libyaml(text):
    with pytest.raises(yf._Unusual):
        _block(text)
    _same(text)
    _same(text.replace("\n", "\r\n"))


def test_generated_documents_are_read_without_libyaml(tmp_path):
    generate(tmp_path / "content", departments=3, years=2, seed=5, mistakes=2)
    paths = sorted((tmp_path / "content").glob("*/20*.yaml"))
    assert len(paths) == 6
    for path in paths:
        text = ys.decode_bytes(path.read_bytes())
        assert plain_node(_block(text)) == plain_node(ys._compose(text))


def test_example_documents_written_plainly_are_read_without_libyaml():
    paths = sorted((REPO / "content").glob("*/*.yaml")) + sorted((REPO / "tests" / "fixtures").rglob("*.yaml"))
    read = 0
    for path in paths:
        text = ys.decode_bytes(path.read_bytes())
        try:
            tree = _block(text)
        except yf._Unusual:
            continue
        read += 1
        assert plain_node(tree) == plain_node(ys._compose(text))
    assert read >= 10


ATOMS = ["x", "事业运行", "a b", "12.00", "-1.5", "'q'", "'a: b'", "'x # y'", "~", "R", "a:b", "C#", "x #c", "[a, b]",
         "[]", "{a: 1, b: x}", "'待填'", "-x", "?x", "x:", "a  b", "'it''s'", "\"q\"", "*x", "[a, [b]]", "x # c",
         "'x' # c", "[a] # c", "|+", "", "\u3000x", "x\u00a0y"]
KEYS = ["a", "b", "名称", "k k", "表1", "R", "-k", "'q'", "a:b", "x#y", "..."]
PLAIN_ATOMS = ["x", "事业运行", "a b", "12.00", "-1.5", "'q'", "'a: b'", "~", "R", "a:b", "C#", "x # c", "[a, b]", "[]",
               "{a: 1, b: x}", "'待填'", "[a] # c"]


def _random_block(rng: random.Random, indent: int, depth: int, atoms: list[str]) -> list[str]:
    """Lines of a random block mapping or sequence at `indent`, plainly written or not."""
    pad = " " * indent
    if rng.random() < 0.5 or depth > 3:
        keys = rng.sample(KEYS if atoms is ATOMS else KEYS[:6], rng.randint(1, 3)) if rng.random() < 0.9 else ["a", "a"]
        lines = [line for key in keys for line in _random_entry(rng, f"{pad}{key}:", indent, depth, atoms)]
    else:
        lines = []
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.3:
                pairs = ", ".join(f"{rng.choice(KEYS[:5])}: {rng.choice(['1', 'x', 'a b', chr(39) + 'q' + chr(39)])}"
                                  for _ in range(rng.randint(1, 3)))
                lines.append(f"{pad}- {{{pairs}}}")
            else:
                lines += _random_entry(rng, f"{pad}-", indent, depth, atoms)
    if rng.random() < 0.1:
        lines.insert(rng.randint(0, len(lines)), " " * rng.randint(0, indent + 3) + "# comment")
    if rng.random() < 0.1:
        lines.insert(rng.randint(0, len(lines)), "")
    return lines


def _random_entry(rng: random.Random, head: str, indent: int, depth: int, atoms: list[str]) -> list[str]:
    """`head` (a key or a dash) with a value: one line, a block scalar, nothing, or a block."""
    choice = rng.random()
    if choice < 0.55:
        return [f"{head} {rng.choice(atoms)}"]
    if choice < 0.7:
        deeper = " " * (indent + rng.choice([1, 2, 4]))
        body = [deeper + rng.choice(["text", "- {a: 1}", "# not", "x: y", ""]) for _ in range(rng.randint(1, 3))]
        return [f"{head} {rng.choice(['|', '|-', '>', '>-'])}", deeper + "first", *body]
    if choice < 0.72 and atoms is ATOMS:
        return [head]
    return [head, *_random_block(rng, indent + rng.choice([1, 2, 4] if atoms is ATOMS else [2, 4]), depth + 1, atoms)]


def _random_document(seed: int) -> str:
    rng = random.Random(seed)
    atoms = PLAIN_ATOMS if seed % 2 else ATOMS  # half written plainly (many read by yamlblock)
    return "\n".join(_random_block(rng, rng.choice([0, 0, 2]), 0, atoms)) + rng.choice(["\n", "\n", "", "\n\n"])


@pytest.mark.parametrize("seed", range(300))
def test_random_documents_give_the_strict_nodes(seed):
    text = _random_document(seed)
    _same(text)
    _same(text.replace("\n", "\r\n"))


def test_random_documents_are_often_read_without_libyaml():
    assert sum(_reads(_random_document(seed)) for seed in range(300)) >= 50


def _reads(text: str) -> bool:
    try:
        _block(text)
    except yf._Unusual:
        return False
    return True
