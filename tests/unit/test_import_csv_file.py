"""Reading CSV exports: physical line numbers, encodings, and files that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.importers.csv_file import open_csv, read_csv
from storage.importers.errors import ImportAborted


def write(tmp_path: Path, content: str | bytes, name: str = "export.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    return path


def test_rows_know_the_line_they_start_on(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'id,notes\r\n1,"two\r\nline notes"\r\n\r\n2,plain\r\n3,"three\nlines\nhere"\r\n4,last\r\n',
    )
    table = read_csv(path)
    assert table.header == ("id", "notes")
    assert [(row.line, row.cells[0]) for row in table.rows] == [
        (2, "1"),
        (5, "2"),
        (6, "3"),
        (9, "4"),
    ]
    assert table.rows[2].cells[1] == "three\nlines\nhere"


def test_header_is_the_first_non_blank_line(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path, "\n\nid,stage\n1,Won\n"))
    assert table.header == ("id", "stage")
    assert table.rows[0].line == 4


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path, "\ufeffid,name\n1,Société\n"))
    assert table.header == ("id", "name")
    assert table.rows[0].cells == ("1", "Société")
    assert table.encoding == "utf-8-sig"


def test_utf16_with_bom_is_recognised(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path, "id,name\r\n1,Société\r\n".encode("utf-16")))
    assert table.header == ("id", "name")
    assert table.rows[0].cells == ("1", "Société")
    assert table.encoding == "utf-16"


def test_latin1_bytes_name_the_line_and_byte_and_suggest_an_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "id,name\n1,Acme\n2,Société Générale\n".encode("latin-1"))
    with pytest.raises(ImportAborted) as caught:
        read_csv(path)
    message = str(caught.value)
    assert "not UTF-8: line 3 has byte 0xE9" in message
    assert "--encoding latin-1" in message
    table = read_csv(path, "latin-1")
    assert table.rows[1].cells == ("2", "Société Générale")


def test_an_explicit_utf8_encoding_still_drops_the_bom(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path, "\ufeffid\n1\n"), "UTF-8")
    assert table.header == ("id",)


def test_unknown_encoding_name(tmp_path: Path) -> None:
    with pytest.raises(ImportAborted, match="unknown encoding 'klingon'"):
        read_csv(write(tmp_path, "id\n1\n"), "klingon")


@pytest.mark.parametrize("content", [b"", b"   \r\n\n  "])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(ImportAborted, match="the file is empty"):
        read_csv(write(tmp_path, content))


def test_header_only_is_readable_with_no_rows(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path, "id,stage\n"))
    assert table.header == ("id", "stage")
    assert table.rows == ()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04rest-of-a-zip", "Excel workbook"),
        (b"%PDF-1.7", "PDF document"),
        (b"id\x00,name\x00\n", "NUL bytes"),
    ],
)
def test_not_a_csv_file(tmp_path: Path, content: bytes, message: str) -> None:
    with pytest.raises(ImportAborted, match=message):
        read_csv(write(tmp_path, content))


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ImportAborted, match="no such file"):
        read_csv(tmp_path / "nope.csv")
    with pytest.raises(ImportAborted, match="folder"):
        read_csv(tmp_path)


def test_a_quote_that_never_closes_makes_the_file_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path, 'id,notes\n1,fine\n2,"never closed\n3,lost\n')
    with pytest.raises(ImportAborted, match="line 3: a quoted field starts on this line"):
        read_csv(path)


def test_a_malformed_header_makes_the_file_unreadable(tmp_path: Path) -> None:
    with pytest.raises(ImportAborted, match="line 2: cannot read the header row"):
        read_csv(write(tmp_path, '\n"id"x,stage\n1,Won\n'))


def test_a_malformed_row_is_marked_and_the_next_rows_still_read(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path, 'id,notes\n1,"ab"c\n2,fine\n'))
    assert table.rows[0].line == 2
    assert table.rows[0].error is not None
    assert table.rows[1].cells == ("2", "fine")


def test_rows_that_do_not_line_up_with_the_header(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path, "id,name,stage\n1,Acme, Inc,Won\n2,Beta\n3,Gamma,Won\n"))
    assert "4 values but the header has 3 columns" in str(table.rows[0].error)
    assert "2 values but the header has 3 columns" in str(table.rows[1].error)
    assert table.rows[2].error is None


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimiters(tmp_path: Path, delimiter: str) -> None:
    table = read_csv(write(tmp_path, f"id{delimiter}amount\n1{delimiter}1,5\n"))
    assert table.rows[0].cells == ("1", "1,5")


def test_a_salesforce_report_footer_is_set_aside(tmp_path: Path) -> None:
    content = (
        '"Opportunity ID","Stage"\n"006A","Prospecting"\n"006B","Closed Won"\n'
        '""\n"Grand Totals (2 records)"\n'
        '"Copyright (c) 2000-2017 salesforce.com, inc. All rights reserved."\n'
        '"Confidential Information - Do Not Distribute"\n'
        '"Generated By:  Ann Lee  5/22/2017 7:02 AM"\n"Acme Inc."\n'
    )
    table = read_csv(write(tmp_path, content))
    assert [row.cells[0] for row in table.rows] == ["006A", "006B"]
    assert table.footer_lines == 5


def test_a_file_of_empty_cells_has_no_header(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text(";\n;;\n")
    with pytest.raises(ImportAborted, match="no header row, only empty cells"):
        read_csv(path)


def test_rows_stream_again_for_a_second_pass(tmp_path: Path) -> None:
    file = open_csv(write(tmp_path, "id,stage\r\n1,Won\r\n\r\n2,Lost\r\n"))
    assert file.header == ("id", "stage")
    first = list(file.rows())
    assert first == list(file.rows())
    assert [(row.line, row.cells) for row in first] == [(2, ("1", "Won")), (4, ("2", "Lost"))]


def test_a_salesforce_footer_with_several_blank_lines_is_set_aside(tmp_path: Path) -> None:
    content = (
        '\ufeff"Opportunity ID","Stage"\r\n"1","Won"\r\n""\r\n"Grand Totals (1 record)"\r\n'
        '""\r\n"Confidential Information - Do Not Distribute"\r\n'
        '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\r\n'
    )
    file = open_csv(write(tmp_path, content))
    assert [row.cells for row in file.rows()] == [("1", "Won")]
    assert file.footer_lines == 3
