"""The village import's optional office-position columns (村部纬度, 村部经度)."""
from __future__ import annotations

from decimal import Decimal

from tests.residency.importing.test_validation import check_villages, errors_of


def _row(code, lat="", lon=""):
    return {"township": "001", "code": code, "name": f"村{code}", "kind": "行政村",
            "latitude": lat, "longitude": lon}


def test_office_position_columns_are_optional_and_read_as_decimal_degrees():
    result = check_villages(_row("031", "30.631234", "120.565432"), _row("032"),
                            {"township": "001", "code": "033", "name": "村033", "kind": "行政村"})
    assert errors_of(result) == []
    assert [(r.latitude, r.longitude) for r in result.records] == [
        (Decimal("30.631234"), Decimal("120.565432")), (None, None), (None, None)]


def test_bad_office_positions_are_named_in_chinese():
    result = check_villages(_row("041", "95", "120.5"), _row("042", "北纬30", "120.5"),
                            _row("043", "30.6", ""), _row("044", "30.1234567", "120.5"))
    assert errors_of(result) == [
        (2, "村部纬度", "应在 -90 到 90 之间"),
        (3, "村部纬度", "应为数字,如 30.631234"),
        (4, "村部经度", "纬度和经度要么都填,要么都不填"),
        (5, "村部纬度", "最多6位小数"),
    ]
    assert result.records == []
