"""The seller printed on every document: our company's names, address, bank and contract terms.

``GENDAN_COMPANY`` holds placeholders a new installation recognises at a glance; a deployment
sets its own in the Django setting ``GENDAN_COMPANY`` (a dict, any subset of these keys).
"""

from __future__ import annotations

from django.conf import settings

GENDAN_COMPANY: dict[str, object] = {
    "name_zh": "示例进出口有限公司",
    "name_en": "Example Import & Export Co., Ltd.",
    "address_zh": "浙江省宁波市鄞州区示例路 88 号",
    "address_en": "No. 88 Example Road, Yinzhou District, Ningbo, Zhejiang, China",
    "phone": "+86 574 8888 0000",
    "fax": "",
    "email": "sales@example.com",
    "website": "",
    "tax_id": "",  # 统一社会信用代码 / 纳税人识别号, printed on the 购销合同
    "legal_representative": "",
    "bank_name": "Bank of China, Ningbo Branch",
    "bank_name_zh": "中国银行宁波分行",
    "bank_address": "",
    "bank_account": "000000000000000000",
    "bank_swift": "BKCHCNBJ92A",
    "beneficiary": "Example Import & Export Co., Ltd.",
    "pi_validity_days": 30,  # a PI is valid this many days from its date
    "contract_place_zh": "宁波",  # 签订地点
    # 争议解决 clause of the 购销合同 (PRC Civil Code art. 470).
    "dispute_resolution_zh": "因本合同引起的或与本合同有关的任何争议，双方应友好协商解决；协商不成的，"
                             "任何一方均可向乙方所在地有管辖权的人民法院提起诉讼。",
}


def company() -> dict[str, object]:
    """Return the seller's details: the defaults above, overridden by ``settings.GENDAN_COMPANY``."""
    return {**GENDAN_COMPANY, **(getattr(settings, "GENDAN_COMPANY", None) or {})}
