from residency.privacy.masking import id_card_error, mask_id_card, mask_phone, phone_error


def test_id_card_is_masked_to_region_and_last_four():
    assert mask_id_card("330483199001011234") == "330483********1234"


def test_mobile_phone_is_masked_to_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"


def test_empty_values_mask_to_empty():
    assert mask_id_card("") == "" and mask_phone("") == ""


def test_valid_id_card_passes_the_checksum():
    assert id_card_error("330483199001011239") is None
    assert id_card_error("11010519491231002x") is None  # lower-case x accepted


def test_wrong_check_digit_is_refused():
    assert id_card_error("330483199001011234") == "身份证号校验位错误"


def test_impossible_birth_date_is_refused():
    assert id_card_error("330483199002301234") == "身份证号中的出生日期无效"


def test_short_id_card_is_refused():
    assert id_card_error("33048319900101") == "身份证号应为18位(最后一位可为X)"


def test_phone_formats():
    assert phone_error("13812345678") is None
    assert phone_error("0573-88123456") is None
    assert phone_error("12345") is not None
    assert phone_error("1381234567a") is not None
