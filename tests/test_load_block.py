"""yamlblock reads plainly written block YAML into exactly the nodes libyaml gives, and leaves
everything else to libyaml (which then reads it, or reports it, as before).

The reference is `yamlsource._compose` (libyaml's composer); `parse_text` is what loading uses.
"""

from __future__ import annotations

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
