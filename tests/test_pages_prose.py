"""The plain-prose shortcut (`prose._paragraphs`) writes what Markdown and the sanitiser write."""

from __future__ import annotations

import random

import markdown
import pytest

from site_builder.prose import _paragraphs, render_markdown, sanitise

EXTENSIONS = ["tables", "sane_lists"]


@pytest.mark.parametrize("text", [
    "如下：\n\n1. 甲\n\n2. 乙\n\n3. 丙", "如下：\n\n3. 从三开始\n\n4. 四", "1. 只有一项", "02. 前导零\n\n3. 乙",
    "1. 甲\n\n\n\n2. 隔了几行\n\n后记", "1. 甲\n\n正文\n\n2. 另一个列表", "**（一）标题**\n\n1. 甲\n\n2. 乙",
    "1. 甲\n2. 紧凑列表", "1. 甲\n续行", "1.  两个空格\n\n2. 乙", "1. **加粗**\n\n2. 乙", "1. 2. 嵌套\n\n3. 乙",
    "1. 甲 \n\n2. 行尾空格", "1. #号\n\n2. 乙", "１. 全角\n\n２. 乙", "1. \u00a0不换行空格\n\n2. 乙",
])
def test_numbered_lists_are_markdown(text):
    fresh = markdown.markdown(text, extensions=EXTENSIONS, output_format="html")
    assert render_markdown(text) == sanitise(fresh)


def test_lists_on_random_text():
    rng = random.Random(11)
    chars = list("预算（）、。：%.-#*09１ \u3000\u00a0\u2028\x85\n\"'") + ["  \n", "**", "1. "]
    starts = ["", "", "1. ", "2. ", "10. ", "01. ", "1.", "**", "\n"]
    converter = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    lists = 0
    for _ in range(4000):
        blocks = [rng.choice(starts) + "".join(rng.choice(chars) for _ in range(rng.randint(0, 6)))
                  for _ in range(rng.randint(1, 5))]
        text = "".join(block + rng.choice(["\n\n", "\n\n", "\n\n\n", "\n"]) for block in blocks)
        fast = _paragraphs(text)
        if fast is not None and text.strip():
            lists += "<ol" in fast
            assert fast == converter.reset().convert(text), repr(text)
            assert render_markdown(text) == sanitise(fast), repr(text)
    assert lists > 200


def test_the_shortcut_skips_the_sanitiser_only_where_it_changes_nothing():
    rng = random.Random(5)
    # any character but those that make text not plain; U+00A0 is the one nh3 rewrites (&nbsp;)
    alphabet = [chr(c) for c in range(0x20, 0x3000, 7) if chr(c) not in "\\`*_[]<>&|!"] + ["\n\n", "\n"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        fast = _paragraphs(text)
        if fast is not None:
            assert render_markdown(text) == sanitise(fast) if text.strip() else "", repr(text)
