"""Countries customers and suppliers are in: ISO 3166-1 alpha-2 with Chinese and English names."""

from django.utils.translation import get_language

COUNTRIES: dict[str, tuple[str, str]] = {
    "CN": ("中国", "China"), "HK": ("中国香港", "Hong Kong, China"), "TW": ("中国台湾", "Taiwan, China"),
    "MO": ("中国澳门", "Macao, China"), "US": ("美国", "United States"), "CA": ("加拿大", "Canada"),
    "MX": ("墨西哥", "Mexico"), "BR": ("巴西", "Brazil"), "AR": ("阿根廷", "Argentina"), "CL": ("智利", "Chile"),
    "CO": ("哥伦比亚", "Colombia"), "PE": ("秘鲁", "Peru"), "GB": ("英国", "United Kingdom"),
    "DE": ("德国", "Germany"), "FR": ("法国", "France"), "IT": ("意大利", "Italy"), "ES": ("西班牙", "Spain"),
    "PT": ("葡萄牙", "Portugal"), "NL": ("荷兰", "Netherlands"), "BE": ("比利时", "Belgium"),
    "CH": ("瑞士", "Switzerland"), "AT": ("奥地利", "Austria"), "SE": ("瑞典", "Sweden"), "NO": ("挪威", "Norway"),
    "DK": ("丹麦", "Denmark"), "FI": ("芬兰", "Finland"), "PL": ("波兰", "Poland"), "CZ": ("捷克", "Czechia"),
    "HU": ("匈牙利", "Hungary"), "RO": ("罗马尼亚", "Romania"), "GR": ("希腊", "Greece"), "IE": ("爱尔兰", "Ireland"),
    "RU": ("俄罗斯", "Russia"), "UA": ("乌克兰", "Ukraine"), "TR": ("土耳其", "Türkiye"),
    "AE": ("阿联酋", "United Arab Emirates"), "SA": ("沙特阿拉伯", "Saudi Arabia"), "IL": ("以色列", "Israel"),
    "EG": ("埃及", "Egypt"), "ZA": ("南非", "South Africa"), "NG": ("尼日利亚", "Nigeria"), "KE": ("肯尼亚", "Kenya"),
    "MA": ("摩洛哥", "Morocco"), "IN": ("印度", "India"), "PK": ("巴基斯坦", "Pakistan"),
    "BD": ("孟加拉国", "Bangladesh"), "JP": ("日本", "Japan"), "KR": ("韩国", "South Korea"),
    "SG": ("新加坡", "Singapore"), "MY": ("马来西亚", "Malaysia"), "TH": ("泰国", "Thailand"),
    "VN": ("越南", "Vietnam"), "ID": ("印度尼西亚", "Indonesia"), "PH": ("菲律宾", "Philippines"),
    "KH": ("柬埔寨", "Cambodia"), "MM": ("缅甸", "Myanmar"), "AU": ("澳大利亚", "Australia"),
    "NZ": ("新西兰", "New Zealand"),
}


def country_name(code: str) -> str:
    names = COUNTRIES.get(code)
    if not names:
        return code
    return names[0] if (get_language() or "zh-hans").startswith("zh") else names[1]


def country_choices():
    """Choices for forms, named in the active language (a callable, so it follows the language)."""
    return sorted(((code, country_name(code)) for code in COUNTRIES), key=lambda c: c[1])
