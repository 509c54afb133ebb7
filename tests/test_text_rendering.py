"""Text a reader must see whatever it holds: Chinese, Japanese and emoji in real glyphs, words of any length."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest import MINIMAL
from trustdocs.cli import main
from trustdocs.render.pdf import BREAK_EVERY, ZERO_WIDTH_SPACE, breakable_long_words

PRODUCT = "Tiny Notes 笔记本 ノート 📝"


def _fonts_installed() -> bool:
    if shutil.which("fc-list") is None:
        return False
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return "Noto Sans CJK" in families and "Noto Color Emoji" in families


def _build(runner, tmp_path, edit) -> tuple:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "trustdocs.yaml").write_text(edit(MINIMAL.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(root), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out / "security-document.pdf"


def _text(pdf) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.skipif(
    not _fonts_installed(),
    reason="fonts-noto-cjk and fonts-noto-color-emoji are not installed (make setup installs them)",
)
def test_chinese_japanese_and_emoji_print_in_real_glyphs(runner, tmp_path):
    pdf = _build(runner, tmp_path, lambda t: t.replace("  product: Tiny Notes\n", f'  product: "{PRODUCT}"\n'))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK" in fonts
    assert "Noto-Color-Emoji" in fonts
    assert PRODUCT in _text(pdf)


def test_digits_keep_the_text_font(runner, tmp_path):
    # Noto Color Emoji has digits (for keycaps): it must never be the font the figures print in.
    pdf = _build(runner, tmp_path, lambda t: t)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Emoji" not in fonts


def test_a_20000_character_word_breaks_in_free_text_and_in_a_table_cell(runner, tmp_path):
    # 20,000 characters already overflow every width: pdftotext gives 1,000 lines of each word, over 14 pages
    # in the threat's paragraph and 19 in the revision table's cell. 100,000 broke the same way, only on five
    # times the pages (and took 80 s). See breakable_long_words for why a cell is the case that was slow.
    length = 20_000
    pdf = _build(
        runner,
        tmp_path,
        lambda t: t.replace(
            "      description: Attackers replay leaked passwords.",
            f"      description: Attackers {'A' * length} replay.",
        ).replace("      summary: First draft", f"      summary: First {'B' * length} draft"),
    )
    text = _text(pdf)
    # Every character is printed, in lines broken across the pages (running heads and footers in between).
    assert sum(map(len, re.findall(r"A{16,}", text))) == length
    assert sum(map(len, re.findall(r"B{16,}", text))) == length
    assert re.search(r"Attackers\s+A{16,}", text) and re.search(r"A+ replay\.", text)
    assert re.search(r"First\s+B{16,}", text) and re.search(r"B+\s+draft", text)


def test_long_words_get_break_opportunities_outside_tags_entities_and_style_sheets():
    long_word = "x" * 50 + "&amp;" + "y" * 20
    address = "security@a-rather-long-vendor-name.example"
    html = f'<p title="{"t" * 80}">{long_word} {address}</p><style>{"c" * 90}</style>'
    broken = breakable_long_words(html)
    assert broken == (
        f'<p title="{"t" * 80}">{"x" * 20}{ZERO_WIDTH_SPACE}{"x" * 20}{ZERO_WIDTH_SPACE}'
        f"{'x' * 10}&amp;{'y' * 9}{ZERO_WIDTH_SPACE}{'y' * 11} {address}</p><style>{'c' * 90}</style>"
    )
    assert broken.replace(ZERO_WIDTH_SPACE, "") == html
    assert BREAK_EVERY == 20
