"""Request body parsing: JSON numbers become exact ``Decimal`` values, never binary floats."""

from __future__ import annotations

import codecs
import json
from decimal import Decimal

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class DecimalJSONParser(JSONParser):
    """Parse JSON with ``parse_float=Decimal``: ``1.235`` arrives as ``Decimal("1.235")``, so an
    amount sent as a number is as exact as one sent as a string. NaN and Infinity are refused."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            decoded = codecs.getreader(encoding)(stream)
            return json.load(decoded, parse_float=Decimal, parse_constant=_refuse_constant)
        except ValueError as exc:
            raise ParseError(f"{ParseError.default_detail} JSON: {exc}") from None
        except RecursionError:
            # 100 000 nested brackets: Python's parser runs out of stack; the answer is a 400.
            raise ParseError(f"{ParseError.default_detail} JSON: nested too deeply.") from None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")
