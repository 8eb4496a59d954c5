"""Hand-off exports: a record's spec sheet as PDF, schema.org JSON-LD or a zip; a room's zip."""
