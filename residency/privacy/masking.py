"""Chinese ID-card numbers and phone numbers: validation and masking (pure)."""
from __future__ import annotations

import re
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def id_card_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_card_error(number: str) -> str | None:
    """None when ``number`` is a valid 18-digit resident ID (GB 11643), else the reason."""
    number = (number or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return "身份证号应为18位(最后一位可为X)"
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "身份证号中的出生日期无效"
    if id_card_check_digit(number[:17]) != number[17]:
        return "身份证号校验位错误"
    return None


def phone_error(number: str) -> str | None:
    number = (number or "").strip()
    if MOBILE_RE.match(number) or LANDLINE_RE.match(number):
        return None
    return "电话号码格式错误(应为11位手机号或区号-座机号)"


def mask_id_card(number: str) -> str:
    """``330483199001011234`` -> ``330483********1234``."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(number: str) -> str:
    """``13812345678`` -> ``138****5678``; landlines keep the area code and last 4."""
    if not number:
        return ""
    if MOBILE_RE.match(number):
        return number[:3] + "****" + number[-4:]
    if len(number) <= 4:
        return "*" * len(number)
    return number[:-8] + "****" + number[-4:] if len(number) > 8 else "****" + number[-4:]
