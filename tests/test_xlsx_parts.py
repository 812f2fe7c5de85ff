"""The xlsx backend's XML edits on their own: one worksheet's rows, and the styles part."""

from __future__ import annotations

import datetime as dt

from sow_sheets.backends.xlsx.cells import cell_xml, serial
from sow_sheets.backends.xlsx.sheet import SheetXml
from sow_sheets.backends.xlsx.styles import BASE_STYLES, ensure_styles
from sow_sheets.model.cells import column_index
from sow_sheets.model.cells import column_letters as column_letter

PREFIXED = (
    '<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main"><x:dimension ref="A1:C3"/><x:cols><x:col min="1" max="1" '
    'width="30" customWidth="1"/></x:cols><x:sheetData>'
    '<x:row r="1" spans="1:3"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" s="4">'
    "<x:f>SUM(1,2)</x:f><x:v>3</x:v></x:c></x:row>"
    '<x:row r="3"><x:c r="A3" s="2"><x:v>7</x:v></x:c></x:row>'
    '</x:sheetData><x:autoFilter ref="A1:C3"/></x:worksheet>'
)


def test_column_letters_round_trip() -> None:
    for col in (0, 25, 26, 51, 701, 702, 16383):
        assert column_index(column_letter(col)) == col
    assert column_letter(27) == "AB"


def test_an_edit_touches_only_written_cells_and_keeps_everything_else() -> None:
    edited = SheetXml(PREFIXED, "Tab").edit(
        {1: {1: "=HYPERLINK(1)"}, 2: {0: dt.date(2026, 1, 2)}, 3: {0: ""}, 5: {4: 1.5}},
        date_style=9,
    )
    # The formula cell and its stored result, the widths and the filter are untouched.
    assert '<x:c r="C1" s="4"><x:f>SUM(1,2)</x:f><x:v>3</x:v></x:c>' in edited
    assert '<x:cols><x:col min="1" max="1" width="30" customWidth="1"/></x:cols>' in edited
    assert edited.endswith('<x:autoFilter ref="A1:C3"/></x:worksheet>')
    # A literal string in its column order, a new row with a dated cell in the date style.
    assert (
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is>'
        '<x:t>=HYPERLINK(1)</x:t></x:is></x:c><x:c r="C1"' in edited
    )
    assert f'<x:row r="2"><x:c r="A2" s="9"><x:v>{int(serial(dt.date(2026, 1, 2)))}</x:v>' in edited
    # A cleared cell keeps its style, without a value; the dimension grows to E5.
    assert '<x:row r="3"><x:c r="A3" s="2"/></x:row>' in edited
    assert '<x:row r="5"><x:c r="E5"><x:v>1.5</x:v></x:c></x:row>' in edited
    assert '<x:dimension ref="A1:E5"/>' in edited
    assert edited.index('r="2"') < edited.index('r="3"') < edited.index('r="5"')


def test_rows_without_references_are_counted() -> None:
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData><row><c><v>1</v></c></row><row><c><v>2</v></c><c><v>3</v></c></row>"
        "</sheetData></worksheet>"
    )
    edited = SheetXml(xml, "Tab").edit({2: {0: "x"}}, date_style=1)
    assert "<row><c><v>1</v></c></row>" in edited
    assert '<c r="A2" t="inlineStr"><is><t>x</t></is></c><c><v>3</v></c>' in edited


def test_strings_stay_literal_and_xml_safe() -> None:
    xml = cell_xml("A1", "a<b & _x0041_ \x01 ", None, 0)
    assert "a&lt;b &amp; _x005F_x0041_  " in xml and 'xml:space="preserve"' in xml
    assert cell_xml("A1", None, None, 0) == ""
    assert cell_xml("A1", True, None, 0) == '<c r="A1" t="b"><v>1</v></c>'


def test_styles_are_appended_once_and_found_again() -> None:
    first, styles = ensure_styles(BASE_STYLES)
    again, same = ensure_styles(first)
    assert again == first and same == styles
    assert first.startswith(BASE_STYLES.split("<cellXfs")[0].split("<fonts")[0])
    assert 'formatCode="DD-MM-YYYY"' in first and "<b/>" in first
    assert {styles.bold, styles.date} == {1, 2} and sorted(styles.fills.values()) == [0, 1, 2, 3]
    assert len({styles.header, styles.wrap, styles.bold_wrap, styles.link}) == 4
    assert 'wrapText="1"' in first and 'rgb="FF1155CC"' in first


def test_a_new_cell_takes_its_columns_style_and_wrapped_text_grows_its_row() -> None:
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cols>'
        '<col min="2" max="2" width="10" style="7" customWidth="1"/></cols><sheetData>'
        '<row r="2" ht="40" customHeight="1"><c r="A2"><v>1</v></c></row></sheetData></worksheet>'
    )
    long = "woord " * 6  # 36 characters in a column 9 characters wide: 4 lines
    edited = SheetXml(xml, "Tab").edit({2: {1: "kort"}, 3: {1: long, 0: "x"}}, 1, wrap_style=7)
    assert '<c r="B2" s="7" t="inlineStr">' in edited
    assert '<row r="2" ht="40" customHeight="1">' in edited  # already tall enough: kept
    assert '<row r="3" ht="60" customHeight="1"><c r="A3" t="inlineStr">' in edited
    # Another style than the wrapped one grows nothing.
    assert (
        'ht="' not in SheetXml(xml, "Tab").edit({3: {1: long}}, 1, wrap_style=8).split("</row>")[1]
    )
