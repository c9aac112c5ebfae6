"""Telegram's HTML parse mode: visible text, entities and Telegram's error wording."""

from __future__ import annotations

import pytest

from bot.sandbox.html_check import EntityParseError, parse_html, utf16_length


def test_plain_text_passes_through_without_entities() -> None:
    parsed = parse_html("Singing near Lancaster")
    assert parsed.text == "Singing near Lancaster"
    assert parsed.entities == []


def test_tags_become_entities_and_escapes_are_decoded() -> None:
    parsed = parse_html("<b>Choir</b> &amp; <i>drums</i> &lt;3 &quot;ok&quot; &#39;x&#x27;")
    assert parsed.text == "Choir & drums <3 \"ok\" 'x'"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 5},
        {"type": "italic", "offset": 8, "length": 5},
    ]


def test_offsets_are_counted_in_utf16_code_units() -> None:
    parsed = parse_html("🎵 <u>sing</u>")
    assert utf16_length("🎵") == 2
    assert parsed.entities == [{"type": "underline", "offset": 3, "length": 4}]


def test_nested_entities_are_ordered_outer_first() -> None:
    parsed = parse_html("<b>bold <i>both</i></b>")
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 9},
        {"type": "italic", "offset": 5, "length": 4},
    ]


def test_links_spoilers_code_and_quotes_carry_their_attributes() -> None:
    parsed = parse_html(
        '<a href="https://example.org/?a=1&amp;b=2">site</a> '
        '<span class="tg-spoiler">x</span> <tg-spoiler>y</tg-spoiler> '
        '<pre><code class="language-python">print()</code></pre> '
        "<blockquote expandable>q</blockquote> "
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> <s>s</s><del>d</del>'
    )
    by_type = {entity["type"]: entity for entity in parsed.entities}
    assert by_type["text_link"]["url"] == "https://example.org/?a=1&b=2"
    assert by_type["spoiler"]["length"] == 1
    assert by_type["pre"]["language"] == "python"
    assert "code" not in by_type
    assert by_type["expandable_blockquote"]["length"] == 1
    assert by_type["custom_emoji"]["custom_emoji_id"] == "5368324170671202286"
    assert parsed.text.startswith("site x y print() q 👍 sd")


def test_empty_elements_produce_no_entity() -> None:
    assert parse_html("<b></b>x").entities == []


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("é<b>x</b", "Unclosed end tag at byte offset 6"),
        ("Tom & Jerry", "Character '&' is reserved and must be escaped as &amp; at byte offset 4"),
        ("&nbsp;", "Character '&' is reserved and must be escaped as &amp; at byte offset 0"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        (
            "<tg-emoji>e</tg-emoji>",
            'Tag "tg-emoji" must have attribute "emoji-id" at byte offset 0',
        ),
        ('<a href="x>y</a>', 'Unclosed end of the attribute value of the tag "a" at byte offset 8'),
    ],
)
def test_invalid_markup_is_refused_with_telegrams_explanation(source: str, message: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert str(caught.value) == message


def test_byte_offsets_count_utf8_bytes() -> None:
    with pytest.raises(EntityParseError, match="byte offset 3"):
        parse_html("£ <x>")
