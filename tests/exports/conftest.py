"""The studio app and its record factory, for the export tests."""

from tests.finished_records import make_record, studio

__all__ = ["make_record", "studio"]
