"""Planning use cases: progress (``progress``), the Excel import (``imports``), the schedule
(``schedule``), production instructions (``instructions``) and exceptions (``exceptions``)."""
